import { IngressControllerSettings, IngressSettings, ingressNginxValues } from "../components/ingressExposure";
import { parseControllerCommon } from "./controller";
import { ingressNginxAnnotationValues, ingressNginxRoutes, sslRedirectAnnotation } from "./controllerRules";
import * as kv from "./kubernetesValues";
import { ConfigError } from "../config/errors";
import { ParsedRoutes, routeKey } from "./routes";
import type { Config } from "./schema";
import { ARTIFACTS } from "./upstream";

export type { IngressControllerSettings, IngressSettings } from "../components/ingressExposure";

/** The Ingress's settings as stacks/ reads them: its routes keep their config keys (stacks/routes.ts). */
export type ParsedIngress = IngressSettings & ParsedRoutes;

/** Reads `ingress`, over the routing both proxies share (stacks/routing.ts readRoutes). */
export function parseIngress(o: Config["ingress"], routes: ParsedRoutes & { sslRedirect: boolean }): ParsedIngress {
    const settings: ParsedIngress = {
        ...routes,
        className: o.className,
        address: o.address,
        httpsAddress: o.httpsAddress,
        annotations: o.annotations,
        controller: parseController(o.controller),
    };
    kv.ingressClassAnnotation("ingress.annotations", settings.annotations, "ingress.className", settings.className);
    // What ingress-nginx 1.15.1 makes of the paths under these annotations (stacks/controllerRules.ts).
    sslRedirectAnnotation("ingress.annotations", settings.annotations, `${routes.prefix}.sslRedirect`, settings.sslRedirect, settings.tls.length > 0);
    ingressNginxRoutes(settings.routes, settings.annotations, "ingress.annotations", routeKey);
    if (settings.controller.install) {
        // The chart's IngressClass gets the controller value the program derives from the class.
        const controller = ingressNginxValues(settings).controller as { ingressClassResource: { controllerValue: string } };
        kv.ingressClassController("ingress.className", settings.className, controller.ingressClassResource.controllerValue);
    }
    return settings;
}

function parseController(o: Config["ingress"]["controller"]): IngressControllerSettings {
    return {
        ...parseControllerCommon("ingress.controller", o, { artifact: ARTIFACTS.ingressNginx }),
        nodePorts: o.nodePorts,
        hostPort: o.hostPort,
        replicas: o.replicas,
        image: o.image,
    };
}

/**
 * A maintained fork's controller image (ingress-nginx is retired), as a full reference with a tag
 * and a digest: the chart always renders `<repository>:<tag>` and adds `@<digest>` when it has one
 * (templates/controller-deployment.yaml L88, _helpers.tpl imageDigest, at helm-chart-4.15.1), and
 * a controller every request passes through is pinned by content, not by a movable tag.
 */
export function controllerImage(key: string, raw: unknown): { repository: string; tag: string; digest: string } {
    const image = kv.pinnedImage(key, raw);
    const m = /^(.+?):([\w][\w.-]{0,127})@(sha(?:256|384|512):[a-f0-9]+)$/.exec(image);
    if (!m || m[1].includes("@")) {
        throw new ConfigError(
            key,
            raw,
            "a full image reference with a tag and a digest, <registry>/<path>:<tag>@sha256:<64 hex digits> (a fork's controller, pinned by content)",
        );
    }
    return { repository: m[1], tag: m[2], digest: m[3] };
}

export function ingressAnnotations(key: string, raw: unknown): Record<string, string> {
    const annotations = kv.annotations(key, raw);
    for (const name of Object.keys(annotations)) {
        if (/^nginx\.ingress\.kubernetes\.io\/.*snippet$/.test(name)) {
            throw new ConfigError(
                `${key}.${name}`,
                annotations[name],
                "no snippet annotations: the controller keeps allowSnippetAnnotations off (they allow arbitrary NGINX config, cf. CVE-2021-25742)",
            );
        }
        // With canary: "true" ingress-nginx builds no server for the Ingress ("marked as Canary,
        // ignoring": controller-v1.15.1 internal/ingress/controller/controller.go, createServers and
        // getBackendServers): the main Ingress would route nothing, or take a share of another
        // Ingress on the same host. The canary-* annotations act only with it.
        if (/^nginx\.ingress\.kubernetes\.io\/canary(-|$)/.test(name)) {
            throw new ConfigError(
                `${key}.${name}`,
                annotations[name],
                "no canary annotation on the main Ingress (ingress-nginx would then route nothing through it): set the canary key, which declares a canary Ingress beside it",
            );
        }
        if (name.startsWith("ingress.kubernetes.io/")) {
            throw new ConfigError(
                `${key}.${name}`,
                annotations[name],
                `the nginx.ingress.kubernetes.io/ prefix: ingress-nginx ignores ingress.kubernetes.io/ annotations (try 'nginx.${name}')`,
            );
        }
    }
    // ingress-nginx validates the values of the annotations it reads, and refuses the Ingress otherwise.
    ingressNginxAnnotationValues(key, annotations);
    return annotations;
}
