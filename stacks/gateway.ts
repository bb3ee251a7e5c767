import { GatewayControllerSettings, GatewaySettings } from "../components/gatewayExposure";
import { GATEWAY_API_LIMITS, NGF_INTERNAL_PATH_PREFIX, NGF_RESERVED_PORTS, ngfResourceName } from "./controllerRules";
import { COMMON_CONTROLLER_KEYS, parseControllerCommon, parseNodePorts, ServiceType } from "./controller";
import { ConfigError } from "./errors";
import { optional } from "./optional";
import { routeKey, RouteSettings, routingPrefix } from "./routes";
import { ARTIFACTS, gatewayApiBundle, lockedVersion } from "./upstream";
import * as v from "./validate";

/**
 * Chart versions known not to work here. NGINX Gateway Fabric runs each Gateway's data plane in the
 * Gateway's namespace, which this program labels for the restricted Pod Security Standard.
 */
const BROKEN_CHARTS: Record<string, string> = {
    "2.6.0":
        "not 2.6.0: its data-plane nginx and init containers lack allowPrivilegeEscalation: false, so the restricted echo namespace rejects them (nginx-gateway-fabric#5276, fixed by #5279 in 2.6.1); use 2.6.7",
};

export type { GatewayControllerSettings, GatewaySettings } from "../components/gatewayExposure";

export const GATEWAY_DEFAULTS = {
    name: "echo-gateway",
    className: "nginx",
    httpPort: 80,
    httpsPort: 443,
    controller: {
        install: true,
        namespace: "nginx-gateway",
        releaseName: "ngf",
        // NGINX Gateway Fabric 2.6.7 (NGINX 1.31.3) supports Gateway API 1.5.1 and carries #5279,
        // so its data-plane pods meet the restricted Pod Security Standard (2.6.0 does not: see
        // BROKEN_CHARTS). Its chart declares kubeVersion >= 1.31.0-0.
        chartVersion: "2.6.7",
        crdsVersion: "1.5.1",
        installCrds: true,
        replicas: 1,
        serviceType: "LoadBalancer" as ServiceType,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    },
};

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

const GATEWAY_KEYS = ["existing", "name", "className", "httpPort", "httpsPort", "nodePorts", "address", "httpsAddress", "controller"];
const CONTROLLER_KEYS = [...COMMON_CONTROLLER_KEYS, "crdsVersion", "installCrds", "replicas"];

/** Reads the `gateway` key. The routing (hosts, paths, TLS) is the one `ingress` defines, shared. */
/**
 * Reads the `gateway` key. `exposed` is undefined when gateway is not an exposure (its checks then
 * do not apply); else the echo namespace's Service names, which NGF's data-plane Service must not take.
 */
export function parseGateway(raw: unknown, routing: RouteSettings, exposed?: { serviceNames: string[] }): GatewaySettings {
    const o = raw === undefined ? {} : v.object("gateway", raw, GATEWAY_KEYS);
    const d = GATEWAY_DEFAULTS;
    const settings: GatewaySettings = {
        existing: optional(o.existing, (x) => {
            const e = v.object("gateway.existing", x, ["name", "namespace", "proxyNamespace"]);
            const namespace = v.dnsLabel("gateway.existing.namespace", e.namespace);
            return {
                name: v.dnsSubdomain("gateway.existing.name", e.name),
                namespace,
                proxyNamespace: optional(e.proxyNamespace, (y) => v.dnsLabel("gateway.existing.proxyNamespace", y)) ?? namespace,
            };
        }),
        // NGINX Gateway Fabric names the Gateway's data-plane Service `<name>-<className>`
        // (internal/framework/controller/resource.go, hashing names over 63 characters), and
        // Service names are DNS-1035 labels: so is the name, and an installed class is a label.
        name: optional(o.name, (x) => v.serviceName("gateway.name", x)) ?? d.name,
        className: optional(o.className, (x) => v.dnsSubdomain("gateway.className", x)) ?? d.className,
        httpPort: optional(o.httpPort, (x) => v.port("gateway.httpPort", x)) ?? d.httpPort,
        httpsPort: optional(o.httpsPort, (x) => v.port("gateway.httpsPort", x)) ?? d.httpsPort,
        nodePorts: parseNodePorts("gateway.nodePorts", o.nodePorts),
        address: optional(o.address, (x) => v.hostAndPort("gateway.address", x)),
        httpsAddress: optional(o.httpsAddress, (x) => v.hostAndPort("gateway.httpsAddress", x)),
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
    if (exposed && !settings.existing) dataPlaneName(o, settings, exposed.serviceNames);
    return settings;
}

/**
 * Each host is one HTTPRoute with one rule (one match) per path, and the declared Gateway has one
 * HTTPS listener per TLS host beside the http one (components/gatewayExposure.ts): the CRDs'
 * maxItems bound both. A route has one hostname, one parentRef and one backendRef.
 */
function routeLimits(routing: RouteSettings, declaresGateway: boolean): void {
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

/**
 * NGINX Gateway Fabric names the declared Gateway's data-plane Service (and Deployment)
 * `<gateway.name>-<gateway.className>` in the echo namespace, where the program's Services are
 * `<serviceName>`, `-nodeport` and `-lb` (settings.ts passes them): one Service would overwrite the other.
 */
function dataPlaneName(o: Record<string, unknown>, settings: GatewaySettings, services: string[]): void {
    const dataPlane = ngfResourceName(settings.name, settings.className);
    if (!services.includes(dataPlane)) return;
    // Name the key the user set that makes the names meet.
    const key = o.name !== undefined ? "gateway.name" : o.className !== undefined ? "gateway.className" : "serviceName";
    const value = key === "gateway.name" ? settings.name : key === "gateway.className" ? settings.className : services[0];
    throw new ConfigError(
        key,
        value,
        `names that keep the Gateway's data-plane Service apart from the program's: NGINX Gateway Fabric names it '<gateway.name>-<gateway.className>' in the Gateway's (the echo) namespace, here '${dataPlane}', which is already a Service of the program there (from serviceName: ${services.join(", ")})`,
    );
}

function parseController(raw: unknown, existingGateway: boolean): GatewayControllerSettings {
    const key = "gateway.controller";
    const d = GATEWAY_DEFAULTS.controller;
    const o = raw === undefined ? {} : v.object(key, raw, CONTROLLER_KEYS);
    const common = parseControllerCommon(key, o, d, [], { artifact: ARTIFACTS.gatewayFabric, refused: BROKEN_CHARTS, unused: existingGateway });
    const crdsVersion =
        optional(o.crdsVersion, (x) =>
            lockedVersion(`${key}.crdsVersion`, ARTIFACTS.gatewayApi, v.exactVersion(`${key}.crdsVersion`, x, d.crdsVersion), "v"),
        ) ?? d.crdsVersion;
    const installCrds = optional(o.installCrds, (x) => v.boolean(`${key}.installCrds`, x)) ?? d.installCrds;
    return {
        ...common,
        crdsVersion,
        installCrds,
        // The bundle is resolved (mirror or verified download) now, before anything is declared.
        crdsFile: common.install && !existingGateway && installCrds ? gatewayApiBundle(crdsVersion) : undefined,
        replicas: optional(o.replicas, (x) => v.integer(`${key}.replicas`, x, 1, 20, "a whole number of replicas")) ?? d.replicas,
    };
}
