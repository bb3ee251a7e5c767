import { GatewayControllerSettings, GatewaySettings } from "../components/gatewayExposure";
import { GATEWAY_API_LIMITS, NGF_INTERNAL_PATH_PREFIX, NGF_RESERVED_PORTS, ngfProvisionedNames } from "./controllerRules";
import { parseControllerCommon } from "./controller";
import { ConfigError } from "../config/errors";
import { ParsedRoutes, routeKey, routingPrefix } from "./routes";
import type { Config } from "./schema";
import { ARTIFACTS, gatewayApiBundle } from "./upstream";
import * as v from "../config/validate";

export type { GatewayControllerSettings, GatewaySettings } from "../components/gatewayExposure";

/**
 * The CEL rules of the HTTPRoute CRD on Exact and PathPrefix path values (gateway-api v1.5.1,
 * HTTPPathMatch), so such a path fails here rather than at `pulumi up`.
 */
const HTTPROUTE_PATH_RULES: { breaks: (path: string) => boolean; says: string }[] = [
    { breaks: (p) => p.includes("//"), says: "no '//'" },
    { breaks: (p) => p.includes("/./"), says: "no '/./'" },
    { breaks: (p) => p.includes("/../"), says: "no '/../'" },
    { breaks: (p) => p.endsWith("/.") || p.endsWith("/.."), says: "not ending in '/.' or '/..'" },
    { breaks: (p) => /%2f/i.test(p), says: "no '%2f' or '%2F'" },
    { breaks: (p) => p.includes("#"), says: "no '#'" },
];

/**
 * Reads the `gateway` key. The routing (hosts, paths, TLS) is the one the Ingress uses, shared.
 * `exposed` is undefined when gateway is not an exposure (its checks then do not apply); else the
 * objects the program names in the echo namespace, which NGF's data-plane objects must not take. `set` says which
 * of name and className the user set (the parsed values always have them, from their defaults).
 */
export function parseGateway(
    o: Config["gateway"],
    routing: ParsedRoutes,
    exposed?: { objects: NamespacedObject[] },
    set: { name?: boolean; className?: boolean } = {},
): GatewaySettings {
    const settings: GatewaySettings = {
        existing: o.existing && { name: o.existing.name, namespace: o.existing.namespace, proxyNamespace: o.existing.proxyNamespace ?? o.existing.namespace },
        name: o.name,
        className: o.className,
        httpPort: o.httpPort,
        httpsPort: o.httpsPort,
        nodePorts: o.nodePorts,
        address: o.address,
        httpsAddress: o.httpsAddress,
        controller: parseController(o.controller, o.existing !== undefined),
    };
    if (settings.controller.install && !settings.existing) v.dnsLabel("gateway.className", settings.className);
    if (settings.httpPort === settings.httpsPort) {
        throw new ConfigError("gateway.httpsPort", settings.httpsPort, `a port other than gateway.httpPort (${settings.httpPort})`);
    }
    // The routing is the gateway's only when it is an exposure (settings.ts passes none otherwise).
    const on = exposed !== undefined;
    // The program installs NGINX Gateway Fabric 2.6.7 and declares the Gateway it programs.
    const ngf = on && settings.controller.install && !settings.existing;
    if (ngf) {
        for (const portKey of ["httpPort", "httpsPort"] as const) {
            const reserved = NGF_RESERVED_PORTS[settings[portKey]];
            if (reserved) {
                throw new ConfigError(
                    `gateway.${portKey}`,
                    settings[portKey],
                    `a listener port other than ${settings[portKey]}: it is ${reserved} (NGINX Gateway Fabric 2.6.7)`,
                );
            }
        }
    }
    routing.routes.forEach((r) => {
        const unsafe = HTTPROUTE_PATH_RULES.find((rule) => rule.breaks(r.path));
        if (unsafe) {
            throw new ConfigError(routeKey(r, "path"), r.path, `a path the HTTPRoute CRD accepts when gateway is an exposure: ${unsafe.says}`);
        }
        if (r.path.length > GATEWAY_API_LIMITS.pathLength) {
            throw new ConfigError(
                routeKey(r, "path"),
                `${r.path.slice(0, 40)}… (${r.path.length} characters)`,
                `a path of at most ${GATEWAY_API_LIMITS.pathLength} characters when gateway is an exposure (HTTPRoute spec.rules[].matches[].path.value maxLength)`,
            );
        }
        if (ngf && r.path.startsWith(NGF_INTERNAL_PATH_PREFIX)) {
            throw new ConfigError(
                routeKey(r, "path"),
                r.path,
                `a path not starting with '${NGF_INTERNAL_PATH_PREFIX}': NGINX Gateway Fabric reserves it for its internal locations and refuses the route`,
            );
        }
        if (r.pathType === "ImplementationSpecific") {
            // HTTPRoute has PathPrefix, Exact and (extended support) RegularExpression, no
            // implementation-specific matching: the same routing cannot be expressed.
            throw new ConfigError(
                routeKey(r, "pathType"),
                r.pathType,
                "Prefix or Exact when gateway is an exposure (HTTPRoute has no ImplementationSpecific path match)",
            );
        }
    });
    if (on) routeLimits(routing, !settings.existing);
    if (exposed && !settings.existing) dataPlaneNames(set, settings, exposed.objects);
    return settings;
}

/**
 * Each host is one HTTPRoute with one rule (one match) per path, and the declared Gateway has one
 * HTTPS listener per TLS host beside the http one (components/gatewayExposure.ts): the CRDs'
 * maxItems bound both. A route has one hostname, one parentRef and one backendRef.
 */
function routeLimits(routing: ParsedRoutes, declaresGateway: boolean): void {
    const perHost = new Map<string | undefined, number>();
    routing.routes.forEach((r, i) => {
        const n = (perHost.get(r.host) ?? 0) + 1;
        perHost.set(r.host, n);
        if (n > GATEWAY_API_LIMITS.rulesPerRoute) {
            throw new ConfigError(
                `${routingPrefix(routing)}.hosts[${i}]`,
                r.host ?? r.path,
                `at most ${GATEWAY_API_LIMITS.rulesPerRoute} paths per host (${r.host ?? "any host"} has more) when gateway is an exposure: a host's paths are the rules of one HTTPRoute, and the HTTPRoute CRD allows ${GATEWAY_API_LIMITS.rulesPerRoute} (spec.rules maxItems)`,
            );
        }
    });
    if (!declaresGateway) return;
    const tlsHosts = new Set<string>();
    routing.tls.forEach((t, i) =>
        t.hosts.forEach((h, j) => {
            tlsHosts.add(h);
            if (tlsHosts.size > GATEWAY_API_LIMITS.listeners - 1) {
                throw new ConfigError(
                    `${routingPrefix(routing)}.tls[${i}].hosts[${j}]`,
                    h,
                    `at most ${GATEWAY_API_LIMITS.listeners - 1} TLS hosts when the program declares the Gateway: each is an HTTPS listener beside the http one, and the Gateway CRD allows ${GATEWAY_API_LIMITS.listeners} listeners (spec.listeners maxItems)`,
                );
            }
        }),
    );
}

/** An object the program declares (or names) in the echo namespace, and the key its name comes from. */
export interface NamespacedObject {
    kind: string;
    name: string;
    /** The key the name comes from; none for the names the program fixes (its Deployments). */
    key?: string;
}

/**
 * NGINX Gateway Fabric's provisioner creates the declared Gateway's data-plane objects in the
 * Gateway's (the echo) namespace and takes over any object of the same kind and name: it creates or
 * updates each by name with no ownership check, and deletes them by name when the Gateway is invalid.
 * So none of them may be one of the program's own (its Deployments, Services and TLS Secrets).
 */
function dataPlaneNames(set: { name?: boolean; className?: boolean }, settings: GatewaySettings, objects: NamespacedObject[]): void {
    const provisioned = ngfProvisionedNames(settings.name, settings.className);
    const clash = objects.find((o) => provisioned[o.kind]?.includes(o.name));
    if (!clash) return;
    // Name the key the user set that makes the names meet.
    const key = set.name || !clash.key ? "gateway.name" : set.className ? "gateway.className" : clash.key;
    const value = key === "gateway.name" ? settings.name : key === "gateway.className" ? settings.className : clash.name;
    const base = provisioned.Service[0];
    throw new ConfigError(
        key,
        value,
        `names that keep the Gateway's data-plane objects apart from the program's: NGINX Gateway Fabric names them after '<gateway.name>-<gateway.className>' in the Gateway's (the echo) namespace ` +
            `(Deployment, Service, ServiceAccount, HorizontalPodAutoscaler '${base}', ConfigMaps ${provisioned.ConfigMap.map((n) => `'${n}'`).join(" and ")}, Secret '${provisioned.Secret[0]}'), ` +
            `and takes over an object of the same kind and name: here ${clash.kind} '${clash.name}', which is already the program's there (${clash.key ? `from ${clash.key}` : "a name the program fixes"})`,
    );
}

function parseController(o: Config["gateway"]["controller"], existingGateway: boolean): GatewayControllerSettings {
    const common = parseControllerCommon("gateway.controller", o, { artifact: ARTIFACTS.gatewayFabric, unused: existingGateway });
    return {
        ...common,
        crdsVersion: o.crdsVersion,
        installCrds: o.installCrds,
        // The bundle is resolved (mirror or verified download) now, before anything is declared.
        crdsFile: common.install && !existingGateway && o.installCrds ? gatewayApiBundle(o.crdsVersion) : undefined,
        replicas: o.replicas,
    };
}
