import { IngressControllerSettings, IngressSettings, ingressNginxValues } from "../components/ingressExposure";
import { COMMON_CONTROLLER_KEYS, parseControllerCommon, parseNodePorts, ServiceType } from "./controller";
import { ingressNginxAnnotationValues, ingressNginxRoutes, sslRedirectAnnotation } from "./controllerRules";
import { ConfigError } from "./errors";
import * as kv from "./kubernetesValues";
import { optional } from "./optional";
import { markRouting, parseRoutes, routeKey } from "./routes";
import { ARTIFACTS } from "./upstream";
import * as pulumi from "@pulumi/pulumi";
import * as v from "./validate";

export type { IngressControllerSettings, IngressSettings } from "../components/ingressExposure";

export const INGRESS_DEFAULTS = {
    className: "nginx",
    sslRedirect: true,
    controller: {
        install: true,
        namespace: "ingress-nginx",
        releaseName: "ingress-nginx",
        // The project's final release. Charts before 4.11.5 / 4.12.1 are open to CVE-2025-1974
        // (unauthenticated RCE through the admission webhook).
        chartVersion: "4.15.1",
        serviceType: "LoadBalancer" as ServiceType,
        hostPort: false,
        replicas: 1,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    },
};

const INGRESS_KEYS = ["className", "path", "pathType", "hosts", "tls", "address", "httpsAddress", "sslRedirect", "annotations", "controller"];
const CONTROLLER_KEYS = [...COMMON_CONTROLLER_KEYS, "nodePorts", "hostPort", "replicas", "image"];

/** The routing keys: the top-level `routing` holds them; under `ingress` they are deprecated. */
export const ROUTING_KEYS = ["hosts", "path", "pathType", "tls", "sslRedirect"];

/**
 * Reads `ingress`, and the routing (hosts, paths, TLS, the redirect) the Ingress and the Gateway
 * share: from the top-level `routing` key, or from its old place under `ingress`, which keeps
 * working with a warning in the preview. Both at once is refused: one would silently win.
 */
export function parseIngress(raw: unknown, routingRaw?: unknown): IngressSettings {
    const o = raw === undefined ? {} : v.object("ingress", raw, INGRESS_KEYS);
    const legacy = ROUTING_KEYS.filter((k) => o[k] !== undefined);
    let routing: Record<string, unknown> = o;
    let prefix = legacy.length > 0 ? "ingress" : "routing";
    if (routingRaw !== undefined) {
        if (legacy.length > 0) {
            throw new ConfigError(
                `ingress.${legacy[0]}`,
                o[legacy[0]],
                `nothing: routing is set, and ingress.${legacy[0]} is its old place; set it once, as routing.${legacy[0]}`,
            );
        }
        routing = v.object("routing", routingRaw, ROUTING_KEYS);
        prefix = "routing";
    } else if (legacy.length > 0) {
        void pulumi.log.warn(
            `${legacy.map((k) => `ingress.${k}`).join(", ")}: deprecated; move ${legacy.length > 1 ? "them" : "it"} to the top-level routing key (the Ingress and the Gateway both read it). The old place keeps working for now.`,
        );
    }
    const settings: IngressSettings = {
        ...parseRoutes(prefix, routing),
        className: optional(o.className, (x) => v.dnsSubdomain("ingress.className", x)) ?? INGRESS_DEFAULTS.className,
        address: optional(o.address, (x) => v.hostAndPort("ingress.address", x)),
        httpsAddress: optional(o.httpsAddress, (x) => v.hostAndPort("ingress.httpsAddress", x)),
        sslRedirect: optional(routing.sslRedirect, (x) => v.boolean(`${prefix}.sslRedirect`, x)) ?? INGRESS_DEFAULTS.sslRedirect,
        annotations: optional(o.annotations, (x) => ingressAnnotations("ingress.annotations", x)) ?? {},
        controller: parseController(o.controller),
    };
    markRouting(settings, prefix);
    kv.ingressClassAnnotation("ingress.annotations", settings.annotations, "ingress.className", settings.className);
    // What ingress-nginx 1.15.1 makes of the paths under these annotations (stacks/controllerRules.ts).
    sslRedirectAnnotation("ingress.annotations", settings.annotations, `${prefix}.sslRedirect`, settings.sslRedirect, settings.tls.length > 0);
    ingressNginxRoutes(settings.routes, settings.annotations, "ingress.annotations", routeKey);
    if (settings.controller.install) {
        // The chart's IngressClass gets the controller value the program derives from the class.
        const controller = ingressNginxValues(settings).controller as { ingressClassResource: { controllerValue: string } };
        kv.ingressClassController("ingress.className", settings.className, controller.ingressClassResource.controllerValue);
    }
    return settings;
}

function parseController(raw: unknown): IngressControllerSettings {
    const key = "ingress.controller";
    const d = INGRESS_DEFAULTS.controller;
    const o = raw === undefined ? {} : v.object(key, raw, CONTROLLER_KEYS);
    return {
        // fullnameOverride is the release name: the chart's Services are <name>-controller and
        // <name>-controller-admission.
        ...parseControllerCommon(key, o, d, ["-controller", "-controller-admission"], { artifact: ARTIFACTS.ingressNginx }),
        nodePorts: parseNodePorts(`${key}.nodePorts`, o.nodePorts),
        hostPort: optional(o.hostPort, (x) => v.boolean(`${key}.hostPort`, x)) ?? d.hostPort,
        replicas: optional(o.replicas, (x) => v.integer(`${key}.replicas`, x, 1, 20, "a whole number of replicas")) ?? d.replicas,
        image: optional(o.image, (x) => controllerImage(`${key}.image`, x)),
    };
}

/**
 * A maintained fork's controller image (ingress-nginx is retired), as a full reference with a tag
 * and a digest: the chart always renders `<repository>:<tag>` and adds `@<digest>` when it has one
 * (templates/controller-deployment.yaml L88, _helpers.tpl imageDigest, at helm-chart-4.15.1), and
 * a controller every request passes through is pinned by content, not by a movable tag.
 */
function controllerImage(key: string, raw: unknown): { repository: string; tag: string; digest: string } {
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

function ingressAnnotations(key: string, raw: unknown): Record<string, string> {
    const annotations = kv.annotations(key, raw);
    for (const name of Object.keys(annotations)) {
        if (/^nginx\.ingress\.kubernetes\.io\/.*snippet$/.test(name)) {
            throw new ConfigError(
                `${key}.${name}`,
                annotations[name],
                "no snippet annotations: the controller keeps allowSnippetAnnotations off (they allow arbitrary NGINX config, cf. CVE-2021-25742)",
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
