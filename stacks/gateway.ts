import { ConfigError } from "./errors";
import { optional } from "./optional";
import { parseResources, ResourceSettings } from "./resources";
import { RouteSettings } from "./routes";
import * as v from "./validate";

export const DATA_PLANE_SERVICE_TYPES = ["LoadBalancer", "NodePort", "ClusterIP"] as const;
export type DataPlaneServiceType = (typeof DATA_PLANE_SERVICE_TYPES)[number];

export interface GatewayControllerSettings {
    /** Install NGINX Gateway Fabric and the Gateway API CRDs, or use an implementation already in the cluster. */
    install: boolean;
    namespace: string;
    /** Helm release name of NGINX Gateway Fabric. */
    releaseName: string;
    /** NGINX Gateway Fabric chart version (pinned). */
    chartVersion: string;
    /** Gateway API release whose standard-channel CRDs are installed (pinned; must match the chart). */
    crdsVersion: string;
    /** Service type of each Gateway's NGINX data plane. */
    serviceType: DataPlaneServiceType;
    resources: ResourceSettings;
    sourceRanges: string[];
    serviceAnnotations: Record<string, string>;
}

export interface GatewaySettings {
    /** Attach the HTTPRoute to this existing Gateway instead of declaring one. */
    existing?: { name: string; namespace: string };
    /** Name of the Gateway this program declares. */
    name: string;
    className: string;
    httpPort: number;
    httpsPort: number;
    /** Fixed node ports for a NodePort data plane (kind maps host 8082 to 30082). */
    nodePorts: { http?: number; https?: number };
    /** host[:port] a client uses to reach the Gateway when it reports no reachable address. */
    address?: string;
    controller: GatewayControllerSettings;
}

export const GATEWAY_DEFAULTS = {
    name: "echo-gateway",
    className: "nginx",
    httpPort: 80,
    httpsPort: 443,
    controller: {
        install: true,
        namespace: "nginx-gateway",
        releaseName: "ngf",
        // NGINX Gateway Fabric 2.6.0 supports Gateway API 1.5.1 (its technical specifications).
        chartVersion: "2.6.0",
        crdsVersion: "1.5.1",
        serviceType: "LoadBalancer" as DataPlaneServiceType,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    },
};

const GATEWAY_KEYS = ["existing", "name", "className", "httpPort", "httpsPort", "nodePorts", "address", "controller"];
const CONTROLLER_KEYS = [
    "install",
    "namespace",
    "releaseName",
    "chartVersion",
    "crdsVersion",
    "serviceType",
    "resources",
    "sourceRanges",
    "serviceAnnotations",
];

/** Reads the `gateway` key. The routing (hosts, paths, TLS) is the one `ingress` defines, shared. */
export function parseGateway(raw: unknown, routing: RouteSettings): GatewaySettings {
    const o = raw === undefined ? {} : v.object("gateway", raw, GATEWAY_KEYS);
    const d = GATEWAY_DEFAULTS;
    const nodePorts = optional(o.nodePorts, (x) => v.object("gateway.nodePorts", x, ["http", "https"])) ?? {};
    const settings: GatewaySettings = {
        existing: optional(o.existing, (x) => {
            const e = v.object("gateway.existing", x, ["name", "namespace"]);
            return { name: v.dnsSubdomain("gateway.existing.name", e.name), namespace: v.dnsLabel("gateway.existing.namespace", e.namespace) };
        }),
        name: optional(o.name, (x) => v.dnsSubdomain("gateway.name", x)) ?? d.name,
        className: optional(o.className, (x) => v.dnsSubdomain("gateway.className", x)) ?? d.className,
        httpPort: optional(o.httpPort, (x) => v.port("gateway.httpPort", x)) ?? d.httpPort,
        httpsPort: optional(o.httpsPort, (x) => v.port("gateway.httpsPort", x)) ?? d.httpsPort,
        nodePorts: {
            http: optional(nodePorts.http, (x) => v.nodePort("gateway.nodePorts.http", x)),
            https: optional(nodePorts.https, (x) => v.nodePort("gateway.nodePorts.https", x)),
        },
        address: optional(o.address, (x) => v.hostAndPort("gateway.address", x)),
        controller: parseController(o.controller),
    };
    if (settings.httpPort === settings.httpsPort) {
        throw new ConfigError("gateway.httpsPort", settings.httpsPort, `a port other than gateway.httpPort (${settings.httpPort})`);
    }
    routing.routes.forEach((r, i) => {
        if (r.pathType === "ImplementationSpecific") {
            // HTTPRoute has PathPrefix, Exact and (extended support) RegularExpression, no
            // implementation-specific matching: the same routing cannot be expressed.
            throw new ConfigError(
                i === 0 ? "ingress.pathType" : `ingress.hosts[${i}].pathType`,
                r.pathType,
                "Prefix or Exact when gateway is an exposure (HTTPRoute has no ImplementationSpecific path match)",
            );
        }
    });
    return settings;
}

function parseController(raw: unknown): GatewayControllerSettings {
    const key = "gateway.controller";
    const d = GATEWAY_DEFAULTS.controller;
    const o = raw === undefined ? {} : v.object(key, raw, CONTROLLER_KEYS);
    const sourceRanges = optional(o.sourceRanges, (x) => v.stringList(`${key}.sourceRanges`, x)) ?? [];
    return {
        install: optional(o.install, (x) => v.boolean(`${key}.install`, x)) ?? d.install,
        namespace: optional(o.namespace, (x) => v.dnsLabel(`${key}.namespace`, x)) ?? d.namespace,
        releaseName: optional(o.releaseName, (x) => v.dnsLabel(`${key}.releaseName`, x)) ?? d.releaseName,
        chartVersion: optional(o.chartVersion, (x) => v.exactVersion(`${key}.chartVersion`, x, "2.6.0")) ?? d.chartVersion,
        crdsVersion: optional(o.crdsVersion, (x) => v.exactVersion(`${key}.crdsVersion`, x, "1.5.1")) ?? d.crdsVersion,
        serviceType: optional(o.serviceType, (x) => v.oneOf(`${key}.serviceType`, x, DATA_PLANE_SERVICE_TYPES)) ?? d.serviceType,
        resources: optional(o.resources, (x) => parseResources(`${key}.resources`, x, d.resources)) ?? d.resources,
        sourceRanges: sourceRanges.map((r, i) => v.cidr(`${key}.sourceRanges[${i}]`, r)),
        serviceAnnotations: optional(o.serviceAnnotations, (x) => v.stringMap(`${key}.serviceAnnotations`, x)) ?? {},
    };
}
