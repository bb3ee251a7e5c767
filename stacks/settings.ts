import { CERT_MANAGER_CLUSTER_OBJECTS, clusterObjectClash, ingressNginxClusterObjects, InstalledChart, ngfClusterObjects } from "./chartNames";
import * as pulumi from "@pulumi/pulumi";
import { SSL_REDIRECT } from "../components/ingressNginxAnnotations";
import { providedTlsAnnotation } from "../components/routeUrls";
import { ConfigError, ConfigErrors } from "../config/errors";
import { CertManagerSettings, parseCertManager } from "./certManager";
import { GatewaySettings, NamespacedObject, parseGateway } from "./gateway";
import { IngressSettings, parseIngress } from "./ingress";
import { parseRouting, readRoutes, RoutingSettings } from "./routing";
import { ParsedRoutes, routingPrefix } from "./routes";
import { secretKeys } from "./secrets";
import type { ParityMode } from "../routing/parity";
import * as kv from "./kubernetesValues";
import { projectKeys, readRaw } from "./read";
import { checkResources, ResourceSettings } from "./resources";
import * as v from "../config/validate";
import { CanarySettings, parseCanary } from "./canary";
import { Config, CONFIG_SHAPE, configSchema, Exposure, PullPolicy } from "./schema";
import { errorsOf, takesStructure } from "../config/schemaKit";
import { GATEWAY_API_LIMITS } from "./controllerRules";
import { NAMES, serviceNames, serviceSuffixes } from "../components/names";

export { CONFIG_KEYS, EXPOSURES, PULL_POLICIES } from "./schema";
export type { Exposure, PullPolicy } from "./schema";

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
    /** The routing both proxies serve: hosts, paths, TLS, and each host's traffic policies rendered for each. */
    routing: RoutingSettings;
    /** TLS Secrets issued by cert-manager; undefined: they are provided from outside. */
    certManager?: CertManagerSettings;
    /** A canary track beside the stable one, with a share of the routed requests. */
    canary?: CanarySettings;
    /** Top-level keys set as secrets: what the program derives from them is marked secret. */
    secretKeys: Set<string>;
}

/**
 * Reads, defaults and validates the whole stack config, and index.ts calls it before declaring any
 * resource, so bad config never touches the cluster. First every key on its own (stacks/schema.ts:
 * one pass over the whole config); then the rules between keys, section by section. It throws one
 * error that lists every problem found: all of the first pass's, or else every section's first
 * (a section that depends on a refused one is not checked: its rules would run on a guess).
 */
export function loadSettings(config: pulumi.Config = new pulumi.Config()): Settings {
    const raw = readAll(config);
    const parsed = configSchema.safeParse(raw);
    if (!parsed.success) throw configErrors(errorsOf(parsed.error.issues, raw, config.name));
    const c = parsed.data as Config;
    const found: ConfigError[] = [];
    /** Runs one section's rules; a ConfigError is kept (and undefined returned) so the others still run. */
    const check = <T>(rules: () => T): T | undefined => {
        try {
            return rules();
        } catch (e) {
            if (e instanceof ConfigErrors) found.push(...e.errors);
            else if (e instanceof ConfigError) found.push(e);
            else throw e;
            return undefined;
        }
    };

    const { exposures, namespace, createNamespace } = c;
    const on = (e: Exposure) => exposures.includes(e);
    // The Services the program derives from serviceName (components/names.ts): each must fit too.
    const uses = { nodePort: on("nodePort"), loadBalancer: on("loadBalancer"), canary: c.canary !== undefined };
    const service = { name: c.serviceName, port: c.servicePort };
    check(() => v.serviceName("serviceName", c.serviceName, serviceSuffixes(uses)));
    if (createNamespace) check(() => v.creatableNamespace("namespace", namespace, "or set createNamespace: false to deploy into it"));
    // The routing both proxies serve, read once; each proxy's own checks apply when it is an exposure.
    const routes = check(() => readRoutes(c.ingress, c.routing, isSet(raw.routing)));
    const ingress = routes && check(() => parseIngress(c.ingress, routes));
    const gateway =
        routes &&
        check(() =>
            parseGateway(
                c.gateway,
                on("gateway") ? routes : { routes: [], tls: [], prefix: routes.prefix },
                on("gateway") ? { objects: echoNamespaceObjects(service.name, uses, routes) } : undefined,
                { name: isSet(rawAt(raw, "gateway", "name")), className: isSet(rawAt(raw, "gateway", "className")) },
            ),
        );
    const app = check(() => ({
        text: c.text,
        image: c.image,
        imagePullPolicy: c.imagePullPolicy,
        replicas: c.replicas,
        containerPort: c.containerPort,
        resources: checkResources("resources", c.resources),
    }));
    const canary = check(() => parseCanary(c.canary, exposures, { image: c.image }, raw.canary));
    const loadBalancer = check(() => loadBalancerSettings(c.loadBalancer));
    const certManager =
        ingress && gateway
            ? check(() => {
                  controllerNamespaces(on, namespace, ingress, gateway);
                  return parseCertManager(
                      c.certManager,
                      ingress,
                      {
                          ingress: on("ingress"),
                          gateway: on("gateway"),
                          restricted: { ingress: ingress.controller.sourceRanges.length > 0, gateway: gateway.controller.sourceRanges.length > 0 },
                      },
                      { namespace, createNamespace, gateway },
                      raw.certManager,
                  );
              })
            : undefined;
    if (ingress && gateway) {
        check(() => {
            // The Ingress carries the user's annotations and the program's (components/ingressExposure.ts):
            // the provided-TLS marker without cert-manager, ssl-redirect "false" for TLS without the redirect.
            kv.annotationsFit("ingress.annotations", ingress.annotations, {
                ...(c.certManager ? {} : providedTlsAnnotation(ingress.tls.map((t) => t.secretName))),
                ...(ingress.tls.length > 0 && !ingress.sslRedirect ? { [SSL_REDIRECT]: "false" } : {}),
            });
        });
        if (certManager?.install) check(() => certManagerNamespace(on, namespace, ingress, gateway, certManager.namespace));
        check(() => chartsApart(on, ingress, gateway, certManager?.install === true));
        check(() => nodePortsOnce(on, c.nodePort, ingress, gateway));
        check(() => gatewayRedirectPort(on, ingress, gateway));
        if (canary) check(() => canaryHeaderFits(on, canary, ingress));
    }
    const routing =
        routes &&
        ingress &&
        gateway &&
        check(() =>
            parseRouting(routes, {
                enabled: { ingress: on("ingress"), gateway: on("gateway") },
                ngf: gateway.controller.install && !gateway.existing,
                // routing's keys include the features' (found at load time), so zod's type is loose here.
                mode: c.routing.parity as ParityMode,
                annotations: ingress.annotations,
                prefix: routes.prefix,
            }),
        );
    if (found.length > 0 || !ingress || !gateway || !app || !loadBalancer || !routing) throw configErrors(found);
    return {
        exposures,
        namespace,
        createNamespace,
        canary,
        app,
        networkPolicy: c.networkPolicy,
        service,
        nodePort: { port: c.nodePort, address: c.nodeAddress },
        portForward: { localPort: c.localPort },
        loadBalancer,
        ingress,
        gateway,
        routing,
        certManager,
        secretKeys: secretKeys(config),
    };
}

/** What the program names in the echo namespace that NGF's provisioner could also name there. */
function echoNamespaceObjects(
    serviceName: string,
    uses: { nodePort: boolean; loadBalancer: boolean; canary: boolean },
    routes: ParsedRoutes,
): NamespacedObject[] {
    return [
        ...serviceNames(serviceName, uses).map((name) => ({ kind: "Service", name, key: "serviceName" })),
        { kind: "Deployment", name: NAMES.app },
        ...(uses.canary ? [{ kind: "Deployment", name: NAMES.canaryApp }] : []),
        ...routes.tls.map((t, i) => ({ kind: "Secret", name: t.secretName, key: `${routingPrefix(routes)}.tls[${i}].secretName` })),
    ];
}

/** One ConfigError as it is; several as one error that lists each, in the order they were found. */
function configErrors(errors: ConfigError[]): Error {
    if (errors.length === 1) return errors[0];
    return new ConfigErrors(errors);
}

const isSet = (x: unknown) => x !== undefined && x !== null;
const rawAt = (raw: Record<string, unknown>, section: string, key: string): unknown => {
    const o = raw[section];
    return v.isPlainObject(o) ? o[key] : undefined;
};

/** The project's keys as the user wrote them, with YAML nulls dropped (a null means "unset"). */
function readAll(config: pulumi.Config): Record<string, unknown> {
    return Object.fromEntries(
        projectKeys(config)
            .map((k) => [k, dropNulls(readRaw(config, k, !(k in CONFIG_SHAPE) || takesStructure(CONFIG_SHAPE[k as keyof typeof CONFIG_SHAPE])))])
            .filter(([, x]) => x !== undefined),
    );
}

function dropNulls(x: unknown): unknown {
    if (x === null) return undefined;
    // A null in a list is a value, not an unset key: the list's check then names it.
    if (Array.isArray(x)) return x.map((y) => (y === null ? null : dropNulls(y)));
    if (typeof x === "object") return Object.fromEntries(Object.entries(x as object).flatMap(([k, y]) => (y === null ? [] : [[k, dropNulls(y)]])));
    return x;
}

type On = (e: Exposure) => boolean;
const installs = (on: On, e: Exposure, install: boolean) => on(e) && install;
const installsGateway = (on: On, gateway: GatewaySettings) => installs(on, "gateway", gateway.controller.install && !gateway.existing);

/** Each installed controller gets a namespace of its own (the program creates and labels it). */
function controllerNamespaces(on: On, namespace: string, ingress: IngressSettings, gateway: GatewaySettings): void {
    if (installs(on, "ingress", ingress.controller.install) && ingress.controller.namespace === namespace) {
        throw new ConfigError("ingress.controller.namespace", namespace, `a namespace other than the echo app's ('${namespace}'): the controller gets its own`);
    }
    if (installsGateway(on, gateway)) {
        const taken = [namespace, ...(installs(on, "ingress", ingress.controller.install) ? [ingress.controller.namespace] : [])];
        if (taken.includes(gateway.controller.namespace)) {
            throw new ConfigError(
                "gateway.controller.namespace",
                gateway.controller.namespace,
                `a namespace of its own (not ${taken.map((t) => `'${t}'`).join(" or ")})`,
            );
        }
    }
}

function certManagerNamespace(on: On, namespace: string, ingress: IngressSettings, gateway: GatewaySettings, certManagerNamespace: string): void {
    const taken = [
        namespace,
        ...(installs(on, "ingress", ingress.controller.install) ? [ingress.controller.namespace] : []),
        ...(installsGateway(on, gateway) ? [gateway.controller.namespace] : []),
    ];
    if (taken.includes(certManagerNamespace)) {
        throw new ConfigError("certManager.namespace", certManagerNamespace, `a namespace of its own (not ${taken.map((t) => `'${t}'`).join(" or ")})`);
    }
}

/**
 * The charts the stack installs must not make the same cluster-scoped object (stacks/chartNames.ts):
 * cert-manager's names are fixed, so the proxies' release names give way.
 */
function chartsApart(on: On, ingress: IngressSettings, gateway: GatewaySettings, certManager: boolean): void {
    const charts: InstalledChart[] = [
        ...(certManager ? [{ chart: "cert-manager", key: "certManager", value: "cert-manager", objects: CERT_MANAGER_CLUSTER_OBJECTS }] : []),
        ...(installs(on, "ingress", ingress.controller.install)
            ? [
                  {
                      chart: "ingress-nginx",
                      key: "ingress.controller.releaseName",
                      value: ingress.controller.releaseName,
                      objects: ingressNginxClusterObjects(ingress.controller.releaseName, ingress.className),
                  },
              ]
            : []),
        ...(installsGateway(on, gateway)
            ? [
                  {
                      chart: "nginx-gateway-fabric",
                      key: "gateway.controller.releaseName",
                      value: gateway.controller.releaseName,
                      objects: ngfClusterObjects(gateway.controller.releaseName, gateway.className),
                  },
              ]
            : []),
    ];
    const clash = clusterObjectClash(charts);
    if (clash) throw clash;
}

function nodePortsOnce(on: On, nodePort: number | undefined, ingress: IngressSettings, gateway: GatewaySettings): void {
    uniqueNodePorts([
        ...(on("nodePort") ? [{ key: "nodePort", port: nodePort }] : []),
        ...(installs(on, "ingress", ingress.controller.install) && ingress.controller.serviceType !== "ClusterIP"
            ? nodePortsOf("ingress.controller.nodePorts", ingress.controller.nodePorts)
            : []),
        ...(installsGateway(on, gateway) && gateway.controller.serviceType !== "ClusterIP" ? nodePortsOf("gateway.nodePorts", gateway.nodePorts) : []),
    ]);
}

/**
 * A NodePort data plane redirects http to https with the port clients reach https on (NGF leaves
 * a scheme-only redirect on 443, which a node does not serve): it must be known.
 */
function gatewayRedirectPort(on: On, ingress: IngressSettings, gateway: GatewaySettings): void {
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
}

/**
 * With a header, each path is two HTTPRoute rules (the header match, then the weighted split): a
 * host's paths must fit half of the CRD's spec.rules maxItems.
 */
function canaryHeaderFits(on: On, canary: CanarySettings, ingress: IngressSettings): void {
    if (!canary.header || !on("gateway")) return;
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

function loadBalancerSettings(lb: Config["loadBalancer"]): LoadBalancerSettings {
    // components/serviceExposures.ts adds pulumi.com/skipAwait to the same Service.
    if (lb.skipAwait) kv.annotationsFit("loadBalancer.annotations", lb.annotations, { "pulumi.com/skipAwait": "true" });
    return { sourceRanges: lb.sourceRanges, annotations: lb.annotations, skipAwait: lb.skipAwait };
}
