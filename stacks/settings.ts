import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "./defaults";
import { ConfigError } from "./errors";
import { optional } from "./optional";
import { GatewaySettings, parseGateway } from "./gateway";
import { IngressSettings, parseIngress } from "./ingress";
import { readRaw } from "./read";
import { parseResources, ResourceSettings } from "./resources";
import * as v from "./validate";

/** Every way this program can expose the echo app. */
export const EXPOSURES = ["clusterIP", "nodePort", "loadBalancer", "ingress", "gateway"] as const;
export type Exposure = (typeof EXPOSURES)[number];

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
}

/**
 * Reads, defaults and validates the whole stack config. It throws a ConfigError on the first bad
 * value, and index.ts calls it before declaring any resource, so bad config never touches the
 * cluster.
 */
export function loadSettings(config: pulumi.Config = new pulumi.Config()): Settings {
    const get = (key: string) => readRaw(config, key);

    const service = {
        name: v.dnsLabel("serviceName", get("serviceName") ?? DEFAULTS.serviceName),
        port: v.port("servicePort", get("servicePort") ?? DEFAULTS.servicePort),
    };
    const namespace = v.dnsLabel("namespace", get("namespace") ?? DEFAULTS.namespace);
    const ingress = parseIngress(get("ingress"));
    const exposures = parseExposures(get("exposures") ?? DEFAULTS.exposures);
    // The gateway shares the ingress routing; its own checks (e.g. no ImplementationSpecific
    // paths) only apply when it is an exposure.
    const gateway = parseGateway(get("gateway"), exposures.includes("gateway") ? ingress : { routes: [], tls: [] });
    // Each installed controller gets a namespace of its own (the program creates and labels it).
    const installs = (e: Exposure, install: boolean) => exposures.includes(e) && install;
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
    return {
        exposures,
        namespace,
        createNamespace: v.boolean("createNamespace", get("createNamespace") ?? DEFAULTS.createNamespace),
        app: {
            text: v.string("text", get("text") ?? DEFAULTS.text),
            image: pinnedImage("image", get("image") ?? DEFAULTS.image),
            replicas: v.integer("replicas", get("replicas") ?? DEFAULTS.replicas, 1, 100, "a whole number of replicas"),
            containerPort: v.port("containerPort", get("containerPort") ?? DEFAULTS.containerPort),
            resources: optional(get("resources"), (x) => parseResources("resources", x, DEFAULTS.resources)) ?? DEFAULTS.resources,
        },
        networkPolicy: v.boolean("networkPolicy", get("networkPolicy") ?? DEFAULTS.networkPolicy),
        service,
        nodePort: {
            port: optional(get("nodePort"), (x) => v.nodePort("nodePort", x)),
            address: v.string("nodeAddress", get("nodeAddress") ?? DEFAULTS.nodeAddress),
        },
        portForward: { localPort: v.port("localPort", get("localPort") ?? DEFAULTS.localPort) },
        loadBalancer: parseLoadBalancer(get("loadBalancer")),
        ingress,
        gateway,
    };
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
    return {
        sourceRanges: sourceRanges.map((r, i) => v.cidr(`loadBalancer.sourceRanges[${i}]`, r)),
        annotations: optional(lb.annotations, (x) => v.stringMap("loadBalancer.annotations", x)) ?? {},
        skipAwait: optional(lb.skipAwait, (x) => v.boolean("loadBalancer.skipAwait", x)) ?? false,
    };
}

/** An image reference with an explicit tag or digest, never `latest`: rollouts must be repeatable. */
function pinnedImage(key: string, raw: unknown): string {
    const image = v.string(key, raw);
    const lastSegment = image.split("/").pop() ?? "";
    const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
    if (!image.includes("@sha256:") && (tag === undefined || tag === "latest")) {
        throw new ConfigError(key, raw, "an image pinned to a release tag or digest, e.g. 'hashicorp/http-echo:1.0.0' (not 'latest')");
    }
    return image;
}
