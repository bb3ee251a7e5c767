import * as pulumi from "@pulumi/pulumi";
import { providedTlsAnnotation } from "../components/routeUrls";
import { DEFAULTS } from "./defaults";
import { ConfigError } from "./errors";
import { optional } from "./optional";
import { CertManagerSettings, parseCertManager } from "./certManager";
import { GatewaySettings, parseGateway } from "./gateway";
import { IngressSettings, parseIngress } from "./ingress";
import * as kv from "./kubernetesValues";
import { projectKeys, readRaw } from "./read";
import { parseResources, ResourceSettings } from "./resources";
import * as v from "./validate";
import { CanarySettings, parseCanary } from "./canary";
import { GATEWAY_API_LIMITS } from "./controllerRules";
import { serviceNames, serviceSuffixes } from "../components/names";

/** Every way this program can expose the echo app. */
export const EXPOSURES = ["clusterIP", "nodePort", "loadBalancer", "ingress", "gateway"] as const;
export type Exposure = (typeof EXPOSURES)[number];

/** Every key of the project's config namespace; any other is a typo that would be ignored. */
export const CONFIG_KEYS = [
    "exposures",
    "namespace",
    "createNamespace",
    "text",
    "image",
    "imagePullPolicy",
    "replicas",
    "resources",
    "networkPolicy",
    "serviceName",
    "servicePort",
    "containerPort",
    "nodePort",
    "nodeAddress",
    "localPort",
    "loadBalancer",
    "ingress",
    "gateway",
    "certManager",
    "canary",
    "routing",
] as const;

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export interface LoadBalancerSettings {
    /** spec.loadBalancerSourceRanges: who may reach the load balancer (empty: everyone). */
    sourceRanges: string[];
    /** Annotations for the cloud's load-balancer controller (e.g. internal LB, NLB). */
    annotations: Record<string, string>;
    /**
     * Don't wait for an address. On clusters with no load-balancer implementation (kind, minikube
     * without `minikube tunnel`) pulumi-kubernetes otherwise waits 10 minutes for
     * status.loadBalancer.ingress and then fails the update.
     */
    skipAwait: boolean;
}

export interface Settings {
    exposures: Exposure[];
    namespace: string;
    createNamespace: boolean;
    app: {
        text: string;
        image: string;
        imagePullPolicy: PullPolicy;
        replicas: number;
        containerPort: number;
        resources: ResourceSettings;
    };
    networkPolicy: boolean;
    service: {
        name: string;
        port: number;
    };
    nodePort: {
        /** A fixed node port, or undefined to let the API server allocate one. */
        port?: number;
        /** The host a client uses to reach a node. */
        address: string;
    };
    portForward: { localPort: number };
    loadBalancer: LoadBalancerSettings;
    ingress: IngressSettings;
    gateway: GatewaySettings;
    /** TLS Secrets issued by cert-manager; undefined: they are provided from outside. */
    certManager?: CertManagerSettings;
    /** A canary track beside the stable one, with a share of the routed requests. */
    canary?: CanarySettings;
}

/**
 * Reads, defaults and validates the whole stack config. It throws a ConfigError on the first bad
 * value, and index.ts calls it before declaring any resource, so bad config never touches the
 * cluster.
 */
export function loadSettings(config: pulumi.Config = new pulumi.Config()): Settings {
    for (const key of projectKeys(config)) {
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            throw new ConfigError(key, readRaw(config, key), `no such key${v.didYouMean(key, CONFIG_KEYS)}; ${config.name} takes ${CONFIG_KEYS.join(", ")}`);
        }
    }
    const get = (key: string) => readRaw(config, key);

    const exposures = parseExposures(get("exposures") ?? DEFAULTS.exposures);
    const on = (e: Exposure) => exposures.includes(e);
    // The Services the program derives from serviceName (components/names.ts): each must fit too.
    const uses = { nodePort: on("nodePort"), loadBalancer: on("loadBalancer"), canary: get("canary") !== undefined };
    const service = {
        // The NodePort and LoadBalancer Services are named after it, so their names must fit too.
        name: v.serviceName("serviceName", get("serviceName") ?? DEFAULTS.serviceName, serviceSuffixes(uses)),
        port: v.port("servicePort", get("servicePort") ?? DEFAULTS.servicePort),
    };
    const createNamespace = v.boolean("createNamespace", get("createNamespace") ?? DEFAULTS.createNamespace);
    const namespace = v.dnsLabel("namespace", get("namespace") ?? DEFAULTS.namespace);
    if (createNamespace) v.creatableNamespace("namespace", namespace, "or set createNamespace: false to deploy into it");
    const ingress = parseIngress(get("ingress"), get("routing"));
    // The gateway shares the ingress routing; its own checks (e.g. no ImplementationSpecific
    // paths) only apply when it is an exposure.
    const gateway = parseGateway(
        get("gateway"),
        on("gateway") ? ingress : { routes: [], tls: [] },
        on("gateway") ? { serviceNames: serviceNames(service.name, uses) } : undefined,
    );
    // Each installed controller gets a namespace of its own (the program creates and labels it).
    const installs = (e: Exposure, install: boolean) => on(e) && install;
    if (installs("ingress", ingress.controller.install) && ingress.controller.namespace === namespace) {
        throw new ConfigError("ingress.controller.namespace", namespace, `a namespace other than the echo app's ('${namespace}'): the controller gets its own`);
    }
    if (installs("gateway", gateway.controller.install && !gateway.existing)) {
        const taken = [namespace, ...(installs("ingress", ingress.controller.install) ? [ingress.controller.namespace] : [])];
        if (taken.includes(gateway.controller.namespace)) {
            throw new ConfigError(
                "gateway.controller.namespace",
                gateway.controller.namespace,
                `a namespace of its own (not ${taken.map((t) => `'${t}'`).join(" or ")})`,
            );
        }
    }
    const certManager = parseCertManager(
        get("certManager"),
        ingress,
        {
            ingress: on("ingress"),
            gateway: on("gateway"),
            restricted: { ingress: ingress.controller.sourceRanges.length > 0, gateway: gateway.controller.sourceRanges.length > 0 },
        },
        { namespace, createNamespace, gateway },
    );
    // The Ingress carries the user's annotations and the program's (components/ingressExposure.ts):
    // the provided-TLS marker without cert-manager, ssl-redirect "false" for TLS without the redirect.
    kv.annotationsFit("ingress.annotations", ingress.annotations, {
        ...(certManager ? {} : providedTlsAnnotation(ingress.tls.map((t) => t.secretName))),
        ...(ingress.tls.length > 0 && !ingress.sslRedirect ? { "nginx.ingress.kubernetes.io/ssl-redirect": "false" } : {}),
    });
    if (certManager?.install) {
        const taken = [
            namespace,
            ...(installs("ingress", ingress.controller.install) ? [ingress.controller.namespace] : []),
            ...(installs("gateway", gateway.controller.install && !gateway.existing) ? [gateway.controller.namespace] : []),
        ];
        if (taken.includes(certManager.namespace)) {
            throw new ConfigError("certManager.namespace", certManager.namespace, `a namespace of its own (not ${taken.map((t) => `'${t}'`).join(" or ")})`);
        }
    }
    const nodePort = {
        port: optional(get("nodePort"), (x) => v.nodePort("nodePort", x)),
        address: v.host("nodeAddress", get("nodeAddress") ?? DEFAULTS.nodeAddress),
    };
    uniqueNodePorts([
        ...(on("nodePort") ? [{ key: "nodePort", port: nodePort.port }] : []),
        ...(installs("ingress", ingress.controller.install) && ingress.controller.serviceType !== "ClusterIP"
            ? nodePortsOf("ingress.controller.nodePorts", ingress.controller.nodePorts)
            : []),
        ...(installs("gateway", gateway.controller.install && !gateway.existing) && gateway.controller.serviceType !== "ClusterIP"
            ? nodePortsOf("gateway.nodePorts", gateway.nodePorts)
            : []),
    ]);
    // A NodePort data plane redirects http to https with the port clients reach https on (NGF
    // leaves a scheme-only redirect on 443, which a node does not serve): it must be known.
    const gatewayTls = on("gateway") && !gateway.existing && ingress.tls.length > 0 && ingress.sslRedirect;
    if (
        gatewayTls &&
        gateway.controller.install &&
        gateway.controller.serviceType === "NodePort" &&
        !gateway.httpsAddress &&
        gateway.nodePorts.https === undefined
    ) {
        throw new ConfigError(
            "gateway.nodePorts.https",
            undefined,
            "a fixed https node port, or gateway.httpsAddress (host:port clients reach https on), when a NodePort data plane redirects http to https; or ingress.sslRedirect: false",
        );
    }
    const image = kv.pinnedImage("image", get("image") ?? DEFAULTS.image);
    const replicas = v.integer("replicas", get("replicas") ?? DEFAULTS.replicas, 1, 100, "a whole number of replicas");
    const canary = parseCanary(get("canary"), exposures, { image, replicas });
    if (canary?.header && on("gateway")) {
        // With a header, each path is two HTTPRoute rules (the header match, then the weighted
        // split): a host's paths must fit half of the CRD's spec.rules maxItems.
        const perHost = new Map<string, number>();
        for (const r of ingress.routes) perHost.set(r.host ?? "", (perHost.get(r.host ?? "") ?? 0) + 1);
        const most = Math.max(...perHost.values());
        if (most > GATEWAY_API_LIMITS.rulesPerRoute / 2) {
            throw new ConfigError(
                "canary.header",
                canary.header,
                `no header, or at most ${GATEWAY_API_LIMITS.rulesPerRoute / 2} paths per host (one has ${most}): with a header each path is two HTTPRoute rules, and the CRD allows ${GATEWAY_API_LIMITS.rulesPerRoute} per route`,
            );
        }
    }
    return {
        exposures,
        namespace,
        createNamespace,
        canary,
        app: {
            text: v.string("text", get("text") ?? DEFAULTS.text),
            image,
            imagePullPolicy: v.oneOf("imagePullPolicy", get("imagePullPolicy") ?? DEFAULTS.imagePullPolicy, PULL_POLICIES),
            replicas,
            // The container runs as non-root with every capability dropped: it cannot bind below 1024.
            containerPort: v.integer(
                "containerPort",
                get("containerPort") ?? DEFAULTS.containerPort,
                1024,
                65535,
                "a port the non-root echo container can bind (it has no NET_BIND_SERVICE capability)",
            ),
            resources: optional(get("resources"), (x) => parseResources("resources", x, DEFAULTS.resources)) ?? DEFAULTS.resources,
        },
        networkPolicy: v.boolean("networkPolicy", get("networkPolicy") ?? DEFAULTS.networkPolicy),
        service,
        nodePort,
        portForward: { localPort: v.port("localPort", get("localPort") ?? DEFAULTS.localPort) },
        loadBalancer: parseLoadBalancer(get("loadBalancer")),
        ingress,
        gateway,
        certManager,
    };
}

interface FixedNodePort {
    key: string;
    port?: number;
}

function nodePortsOf(key: string, ports: { http?: number; https?: number }): FixedNodePort[] {
    return [
        { key: `${key}.http`, port: ports.http },
        { key: `${key}.https`, port: ports.https },
    ];
}

/** The API server allocates each node port once in the whole cluster: the second Service would fail. */
function uniqueNodePorts(fixed: FixedNodePort[]): void {
    const seen = new Map<number, string>();
    for (const { key, port } of fixed) {
        if (port === undefined) continue;
        const first = seen.get(port);
        if (first) throw new ConfigError(key, port, `a node port not already used by ${first} (each node port belongs to one Service)`);
        seen.set(port, key);
    }
}

/** `exposures` is a YAML/JSON list or a comma-separated string; names are case-sensitive. */
export function parseExposures(raw: unknown): Exposure[] {
    const allowed = `a non-empty list (or comma-separated string) of ${EXPOSURES.join(", ")}`;
    const items = typeof raw === "string" ? raw.split(",").map((s) => s.trim()) : raw;
    if (!Array.isArray(items) || items.length === 0 || items.every((s) => s === "")) {
        throw new ConfigError("exposures", raw, allowed);
    }
    for (const item of items) {
        if (!(EXPOSURES as readonly unknown[]).includes(item)) {
            throw new ConfigError("exposures", raw, `${allowed} (${JSON.stringify(item)} is not one of them)`);
        }
    }
    return [...new Set(items as Exposure[])];
}

function parseLoadBalancer(raw: unknown): LoadBalancerSettings {
    const lb = raw === undefined ? {} : v.object("loadBalancer", raw, ["sourceRanges", "annotations", "skipAwait"]);
    const sourceRanges = optional(lb.sourceRanges, (x) => v.stringList("loadBalancer.sourceRanges", x)) ?? [];
    const skipAwait = optional(lb.skipAwait, (x) => v.boolean("loadBalancer.skipAwait", x)) ?? false;
    return {
        sourceRanges: sourceRanges.map((r, i) => v.cidr(`loadBalancer.sourceRanges[${i}]`, r)),
        // components/serviceExposures.ts adds pulumi.com/skipAwait to the same Service.
        annotations: optional(lb.annotations, (x) => kv.annotations("loadBalancer.annotations", x, skipAwait ? { "pulumi.com/skipAwait": "true" } : {})) ?? {},
        skipAwait,
    };
}
