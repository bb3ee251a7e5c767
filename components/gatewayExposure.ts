import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, kubectlFor } from "./clientCommands";
import { ControllerSettings, helmChart } from "./controllerSettings";
import { BackendService, hostKey, HostPolicies, isTls, Route, RouteCanary, RouteSettings } from "./routing";
import { authority, portOf, providedTlsAnnotation, Reach, routeUrls, withPort } from "./routeUrls";
import { pending } from "./urls";
import { NAMES } from "./names";

export interface GatewayControllerSettings extends ControllerSettings {
    /** Gateway API release whose standard-channel CRDs are installed (pinned; must match the chart). */
    crdsVersion: string;
    /** Install the CRDs (cluster-wide) too; false where the cluster already has them. */
    installCrds: boolean;
    /**
     * The verified standard-install.yaml of `crdsVersion` on this machine (a mirror's, or the
     * resolver's cache after a checked download); set whenever the CRDs are installed.
     */
    crdsFile?: string;
    /** Data-plane (NGINX) replicas of each Gateway. */
    replicas: number;
}

export interface GatewaySettings {
    /**
     * Attach the HTTPRoutes to this existing Gateway instead of declaring one. `proxyNamespace` is
     * where its proxies run (the NetworkPolicy admits it); by default the Gateway's namespace, as
     * with NGINX Gateway Fabric and Istio. Envoy Gateway, for one, runs them in its own namespace.
     */
    existing?: { name: string; namespace: string; proxyNamespace: string };
    /** Name of the Gateway this program declares. */
    name: string;
    /** gatewayClassName (stack default "nginx", the class NGINX Gateway Fabric creates). */
    className: string;
    /** The http listener's port (stack default 80). */
    httpPort: number;
    /** The port of the HTTPS listeners, one per TLS host (stack default 443). */
    httpsPort: number;
    /** Fixed node ports for a NodePort data plane (kind maps host 8082 to 30082). */
    nodePorts: { http?: number; https?: number };
    /** host[:port] a client uses to reach the Gateway when it reports no reachable address. */
    address?: string;
    /** The same for its HTTPS listeners. */
    httpsAddress?: string;
    /** NGINX Gateway Fabric and the Gateway API CRDs: installed, or already in the cluster. */
    controller: GatewayControllerSettings;
}

export interface GatewayExposureArgs {
    /** The echo app's namespace: the Gateway (when declared) and the HTTPRoutes live there. */
    namespace: pulumi.Input<string>;
    /** The echo ClusterIP Service: every route's backend. */
    service: BackendService;
    /** The routing the Ingress also uses: same hosts, paths and TLS. */
    routing: RouteSettings;
    /** With TLS, redirect plain http to https (as ingress-nginx does by default). */
    sslRedirect: boolean;
    /** The TLS Secrets come from outside the stack (no Certificate issues them): say so on the Gateway. */
    tlsSecretsProvided: boolean;
    /** The Gateway (declared or existing) and its implementation. */
    settings: GatewaySettings;
    /** How the provider reaches the cluster (kubeconfig, context, cluster): the printed kubectl commands name the same. */
    cluster?: ClusterAccess;
    /**
     * The echo namespace's name. An existing Gateway in another namespace may read the TLS
     * Secrets there only through a ReferenceGrant, which the component then declares.
     */
    echoNamespace: string;
    /** A canary beside the stable Service: its share of each routed rule, and a header that always reaches it. */
    canary?: RouteCanary;
    /**
     * Each host's traffic policies as the routing model renders them for the Gateway (by hostKey):
     * filters on its rules, NGINX Gateway Fabric policies targeting its routes. Default: none.
     */
    hostPolicies?: Record<string, HostPolicies>;
}

export type { BackendService, RouteCanary };

const GATEWAY_API = "gateway.networking.k8s.io/v1";
/** NGINX Gateway Fabric's policy API (its CRDs in chart 2.6.7 serve v1alpha1). */
const NGF_API = "gateway.nginx.org/v1alpha1";
/**
 * ingress-nginx answers its http->https redirect with 308 (its http-redirect-code default), which
 * keeps the method and body; Gateway API's RequestRedirect defaults to 302 and this program said
 * 301 before, which a client may replay as a GET without the body.
 */
export const HTTPS_REDIRECT_CODE = 308;
/** The suffix an NGF policy's name takes after its route's (veri-route-proxy-settings). */
const NGF_POLICY_SUFFIX: Record<string, string> = {
    ClientSettingsPolicy: "client-settings",
    ProxySettingsPolicy: "proxy-settings",
    RateLimitPolicy: "rate-limit",
};
/** Ingress pathType -> HTTPRoute path match type (stacks/ rejects ImplementationSpecific). */
const MATCH_TYPE: Record<string, string> = { Prefix: "PathPrefix", Exact: "Exact" };

/**
 * Gateway API, the successor of Ingress: optionally the implementation (NGINX Gateway Fabric and
 * the standard-channel Gateway API CRDs it needs, both pinned), a Gateway with an HTTP listener
 * and an HTTPS listener per TLS host (or an existing Gateway), and HTTPRoutes carrying the same
 * routing as the Ingress to the echo Service.
 */
export class GatewayExposure extends pulumi.ComponentResource {
    public readonly gateway?: k8s.apiextensions.CustomResource;
    public readonly routes: k8s.apiextensions.CustomResource[];
    /** NGINX Gateway Fabric policy objects (timeouts, body size, rate limit...) targeting the routes. */
    public readonly policies: k8s.apiextensions.CustomResource[] = [];
    public readonly urls: pulumi.Output<string[]>;
    /** host[:port] where clients reach the Gateway (what DNS for the hosts points at), or a pending message. */
    public readonly address: pulumi.Output<string>;
    /** host[:port] where clients reach the Gateway's HTTPS listeners, when known. */
    public readonly httpsAddress: pulumi.Output<string | undefined>;
    /** Lets an existing Gateway in another namespace read the TLS Secrets of the echo namespace. */
    public readonly referenceGrant?: k8s.apiextensions.CustomResource;
    /** Where ACME HTTP-01 challenges reach this Gateway: its http listener (an existing Gateway: all of it). */
    public readonly solverParentRef: { name: pulumi.Input<string>; namespace: pulumi.Input<string>; sectionName?: string };

    constructor(name: string, args: GatewayExposureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:GatewayExposure", name, {}, opts);
        const s = args.settings;
        const implementation = s.controller.install && !s.existing ? this.installImplementation(name, s) : [];
        const hostsWithTls = [...new Set(args.routing.routes.filter((r) => isTls(args.routing, r)).map((r) => r.host!))];
        const listenerFor = (host: string) => `https-${hostsWithTls.indexOf(host)}`;

        if (!s.existing) this.gateway = this.declareGateway(name, args, implementation, hostsWithTls, listenerFor);
        const parent = s.existing
            ? { name: s.existing.name, namespace: s.existing.namespace }
            : { name: this.gateway!.metadata.name, namespace: this.gateway!.metadata.namespace };
        this.solverParentRef = s.existing ? parent : { ...parent, sectionName: "http" };
        this.referenceGrant = this.declareReferenceGrant(name, args);
        this.routes = this.declareRoutes(name, args, parent, (host) =>
            host !== undefined && hostsWithTls.includes(host) && !s.existing ? listenerFor(host) : undefined,
        );

        const reach = this.reach(args);
        this.address = reach.apply((r) => r.address ?? r.pending);
        this.httpsAddress = reach.apply((r) => r.httpsAddress);
        this.urls = reach.apply((r) => routeUrls(args.routing, r));
        this.registerOutputs({ urls: this.urls, address: this.address });
    }

    /** The Gateway: an http listener, and one https listener per TLS host with that host's Secret. */
    private declareGateway(
        name: string,
        args: GatewayExposureArgs,
        implementation: pulumi.Resource[],
        hostsWithTls: string[],
        listenerFor: (host: string) => string,
    ): k8s.apiextensions.CustomResource {
        const s = args.settings;
        return new k8s.apiextensions.CustomResource(
            `${name}-gateway`,
            {
                apiVersion: GATEWAY_API,
                kind: "Gateway",
                metadata: {
                    name: s.name,
                    namespace: args.namespace,
                    labels: { "app.kubernetes.io/part-of": "echo-exposure" },
                    // pulumi-kubernetes has no built-in await for Gateways: waitFor names one.
                    annotations: {
                        "pulumi.com/waitFor": gatewayWaitFor(s.controller.serviceType),
                        ...(args.tlsSecretsProvided ? providedTlsAnnotation(args.routing.tls.map((t) => t.secretName)) : {}),
                    },
                },
                spec: {
                    gatewayClassName: s.className,
                    listeners: [
                        { name: "http", protocol: "HTTP", port: s.httpPort, allowedRoutes: { namespaces: { from: "Same" } } },
                        // One HTTPS listener per TLS host, terminating with that host's Secret
                        // (in the Gateway's namespace, so no ReferenceGrant is needed).
                        ...hostsWithTls.map((host) => ({
                            name: listenerFor(host),
                            protocol: "HTTPS",
                            port: s.httpsPort,
                            hostname: host,
                            tls: {
                                mode: "Terminate",
                                certificateRefs: [{ kind: "Secret", group: "", name: args.routing.tls.find((t) => t.hosts.includes(host))!.secretName }],
                            },
                            allowedRoutes: { namespaces: { from: "Same" } },
                        })),
                    ],
                },
                // Declared (as undefined) so that the resource exposes the status the cluster
                // reports: a CustomResource only has output properties for the keys it was given.
                status: undefined,
            },
            // The Gateway waits for the CRDs and the controller that programs it.
            { parent: this, dependsOn: implementation },
        );
    }

    /**
     * Gateway API: a Gateway may name a Secret in another namespace only where a ReferenceGrant in
     * the Secret's namespace allows it (ReferenceGrant in standard-install.yaml v1.5.1; the
     * listener then stays ResolvedRefs False/RefNotPermitted without it).
     */
    private declareReferenceGrant(name: string, args: GatewayExposureArgs): k8s.apiextensions.CustomResource | undefined {
        const s = args.settings;
        const tlsSecrets = [...new Set(args.routing.tls.map((t) => t.secretName))];
        if (!s.existing || s.existing.namespace === args.echoNamespace || tlsSecrets.length === 0) return undefined;
        return new k8s.apiextensions.CustomResource(
            `${name}-tls-reference-grant`,
            {
                apiVersion: GATEWAY_API,
                kind: "ReferenceGrant",
                metadata: { name: NAMES.tlsReferenceGrant, namespace: args.namespace, labels: { "app.kubernetes.io/part-of": "echo-exposure" } },
                spec: {
                    from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: s.existing.namespace }],
                    to: tlsSecrets.map((secret) => ({ group: "", kind: "Secret", name: secret })),
                },
            },
            { parent: this },
        );
    }

    /**
     * One HTTPRoute per host (hostnames apply to every rule of a route, and hosts may have their own
     * paths), with the host's NGF policies. `listenerOf`: a TLS host's https listener on the declared
     * Gateway, where it is served while its http listener redirects to https (unless sslRedirect is
     * false). An existing Gateway's listener names are unknown, so there routes attach to it whole.
     */
    private declareRoutes(
        name: string,
        args: GatewayExposureArgs,
        parent: { name: pulumi.Input<string>; namespace: pulumi.Input<string | undefined> },
        listenerOf: (host: string | undefined) => string | undefined,
    ): k8s.apiextensions.CustomResource[] {
        const s = args.settings;
        const stable = { name: args.service.name, port: args.service.port };
        const c = args.canary;
        // With a canary, every routed rule splits by weight (HTTPBackendRef.weight: proportional,
        // 0 sends nothing), and a rule matching the header sends every such request to the canary.
        const backendRefs = c
            ? [
                  { ...stable, weight: 100 - c.weight },
                  { ...c.service, weight: c.weight },
              ]
            : [stable];
        const policiesOf = (route: Route): HostPolicies | undefined => args.hostPolicies?.[hostKey(route.host)];
        // The host's filters (headers, CORS...) on every rule that proxies, the canary's header rule too.
        const filtersOf = (route: Route) => {
            const filters = policiesOf(route)?.filters ?? [];
            return filters.length > 0 ? { filters } : {};
        };
        const match = (route: Route) => ({ path: { type: MATCH_TYPE[route.pathType], value: route.path } });
        const rule = (route: Route) => ({ matches: [match(route)], ...filtersOf(route), backendRefs });
        const routedRules = (route: Route): Record<string, unknown>[] => [
            ...(c?.header
                ? [{ matches: [{ ...match(route), headers: [{ type: "Exact", ...c.header }] }], ...filtersOf(route), backendRefs: [{ ...c.service }] }]
                : []),
            rule(route),
        ];

        const hosts = [...new Set(args.routing.routes.map((r) => r.host))];
        // NGF leaves the port out of a redirect that sets only the scheme, so clients would go to
        // 443: name the port clients reach https on when it is another one (a kind mapping, or a
        // NodePort data plane's fixed https node port; stacks/ refuses a NodePort one with neither).
        const nodePortDataPlane = s.controller.install && !s.existing && s.controller.serviceType === "NodePort";
        const httpsPort = portOf(s.httpsAddress) ?? (nodePortDataPlane ? s.nodePorts.https : undefined) ?? s.httpsPort;
        const httpsRedirect = { scheme: "https", statusCode: HTTPS_REDIRECT_CODE, ...(httpsPort !== 443 ? { port: httpsPort } : {}) };
        return hosts.flatMap((host, i) => {
            const routes = args.routing.routes.filter((r) => r.host === host);
            const suffix = hosts.length > 1 ? `-${i}` : "";
            const listener = listenerOf(host);
            const tls = listener !== undefined;
            const redirect = tls && args.sslRedirect;
            const declared = [
                this.httpRoute(`${name}-route${suffix}`, `${NAMES.routePrefix}${suffix}`, args.namespace, {
                    parentRefs: [{ ...parent, ...(listener ? { sectionName: listener } : {}) }],
                    hostnames: host ? [host] : undefined,
                    rules: routes.flatMap(routedRules),
                }),
            ];
            if (tls) {
                declared.push(
                    this.httpRoute(`${name}-route${suffix}-http`, `${NAMES.routePrefix}${suffix}-http`, args.namespace, {
                        parentRefs: [{ ...parent, sectionName: "http" }],
                        hostnames: [host!],
                        rules: routes.flatMap((r): Record<string, unknown>[] =>
                            redirect ? [{ matches: rule(r).matches, filters: [{ type: "RequestRedirect", requestRedirect: httpsRedirect }] }] : routedRules(r),
                        ),
                    }),
                );
            }
            // NGF's policies target each route of the host that proxies (not one that only redirects).
            const proxying = redirect ? declared.slice(0, 1) : declared;
            const policies = args.hostPolicies?.[hostKey(host)]?.ngfPolicies ?? [];
            this.policies.push(
                ...proxying.flatMap((route, j) => this.ngfPolicies(`${name}-route${suffix}${j === 0 ? "" : "-http"}`, route, policies, args.namespace)),
            );
            return declared;
        });
    }

    /** Where clients reach the Gateway (the configured address, or the one it reports), or why it is pending. */
    private reach(args: GatewayExposureArgs): pulumi.Output<Reach> {
        const s = args.settings;
        const reachableStatus = s.controller.serviceType === "LoadBalancer" && !s.existing;
        const gatewayRef = s.existing ? `${s.existing.name} -n ${s.existing.namespace}` : `${s.name} -n <echo namespace>`;
        const status: pulumi.Output<any> = this.gateway ? (this.gateway as unknown as { status: pulumi.Output<any> }).status : pulumi.output(undefined);
        return pulumi.all([status, args.namespace]).apply(([st, ns]): Reach => {
            const reported: string | undefined = st?.addresses?.[0]?.value;
            const address = s.address ?? (reachableStatus && reported ? authority(reported) : undefined);
            const how = `${kubectlFor(args.cluster)} get gateway ${gatewayRef.replace("<echo namespace>", ns)}; or set gateway.address`;
            const why = s.existing
                ? "the address of an existing Gateway is not read by this program"
                : reachableStatus
                  ? "the Gateway has reported no address yet"
                  : `the ${s.controller.serviceType} data plane is not reachable at an address the Gateway reports`;
            const httpsAddress = s.httpsAddress ?? (reachableStatus && reported ? authority(reported) : undefined);
            const nodePortDataPlane = !s.existing && s.controller.install && s.controller.serviceType === "NodePort";
            return {
                address: address ? withPort(address, s.httpPort, 80) : undefined,
                httpsAddress: httpsAddress ? withPort(httpsAddress, s.httpsPort, 443) : undefined,
                pending: pending(why, how),
                // A NodePort data plane with no address set: a host's URL needs the node port clients use.
                nodePorts: nodePortDataPlane && s.address === undefined ? s.nodePorts : undefined,
            };
        });
    }

    /** One object per NGF policy kind for one HTTPRoute, named after the route (NGF_POLICY_SUFFIX). */
    private ngfPolicies(
        resourcePrefix: string,
        route: k8s.apiextensions.CustomResource,
        policies: HostPolicies["ngfPolicies"],
        namespace: pulumi.Input<string>,
    ): k8s.apiextensions.CustomResource[] {
        return policies.map((p) => {
            const suffix = NGF_POLICY_SUFFIX[p.kind] ?? p.kind.toLowerCase();
            const targetRef = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: route.metadata.name };
            return new k8s.apiextensions.CustomResource(
                `${resourcePrefix}-${suffix}`,
                {
                    apiVersion: NGF_API,
                    kind: p.kind,
                    metadata: {
                        name: pulumi.interpolate`${route.metadata.name}-${suffix}`,
                        namespace,
                        labels: { "app.kubernetes.io/part-of": "echo-exposure" },
                    },
                    spec: { ...p.spec, ...(p.target === "targetRef" ? { targetRef } : { targetRefs: [targetRef] }) },
                },
                // After its route, and so after the NGF release whose chart installs the policy CRDs.
                { parent: this, dependsOn: [route] },
            );
        });
    }

    private httpRoute(
        resourceName: string,
        routeName: string,
        namespace: pulumi.Input<string>,
        spec: Record<string, unknown>,
    ): k8s.apiextensions.CustomResource {
        return new k8s.apiextensions.CustomResource(
            resourceName,
            {
                apiVersion: GATEWAY_API,
                kind: "HTTPRoute",
                metadata: {
                    name: routeName,
                    namespace,
                    labels: { "app.kubernetes.io/part-of": "echo-exposure" },
                    // A route its Gateway refuses (a listener without its TLS Secret, a backend it
                    // cannot resolve) serves nothing while the Gateway stays Programmed: wait for both.
                    annotations: { "pulumi.com/waitFor": ROUTE_WAIT_FOR },
                },
                spec,
            },
            // The route waits for its Gateway (parentRefs name it, but only by string). A route on
            // an HTTPS listener is accepted only once its certificate is issued, which with ACME
            // (and cert-manager installing meanwhile) can take longer than the default 10 minutes.
            { parent: this, dependsOn: this.gateway ? [this.gateway] : [], customTimeouts: { create: "20m", update: "20m" } },
        );
    }

    /** The standard-channel Gateway API CRDs and NGINX Gateway Fabric, both pinned. */
    private installImplementation(name: string, s: GatewaySettings): pulumi.Resource[] {
        const c = s.controller;
        const ns = new k8s.core.v1.Namespace(
            `${name}-gateway-namespace`,
            {
                metadata: {
                    name: c.namespace,
                    // NGF's control plane and its cert-generator Job run restricted-compliant
                    // (chart 2.6.7 templates/deployment.yaml, certs-job.yaml).
                    labels: {
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                    },
                },
            },
            { parent: this },
        );
        // NGF's chart does not install the Gateway API CRDs; the version must be one it supports.
        // They are the release's bundle exactly, checked against the project's lock before
        // anything is declared (README "Upstream files"). They are cluster-wide: this stack then
        // owns them (see README "Gateway API CRDs").
        if (c.installCrds && !c.crdsFile) throw new Error("GatewayExposure: settings.controller.crdsFile is required when installCrds is true");
        const crds = c.installCrds ? [new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, { file: c.crdsFile! }, { parent: this })] : [];
        const nodePorts = [
            ...(s.nodePorts.http !== undefined ? [{ port: s.nodePorts.http, listenerPort: s.httpPort }] : []),
            ...(s.nodePorts.https !== undefined ? [{ port: s.nodePorts.https, listenerPort: s.httpsPort }] : []),
        ];
        // helm.v3.Release, not helm.v4.Chart: the chart makes the control plane's TLS Secrets
        // (server-tls, agent-tls) with a pre-install hook Job, which only a real Helm install
        // runs; helm.v4.Chart skips hooks, and the control plane would never start.
        const release = new k8s.helm.v3.Release(
            `${name}-gateway-controller`,
            {
                name: c.releaseName,
                ...helmChart(c.chart),
                version: c.chartVersion,
                namespace: ns.metadata.name,
                // Roll a failed install or upgrade back, so the next `pulumi up` starts clean. The
                // chart's only Service is the control plane's ClusterIP: NGF makes the data-plane
                // LoadBalancer later, so the Gateway's waitFor, not Helm, waits for its address.
                atomic: true,
                values: ngfValues(s, nodePorts),
            },
            { parent: this, dependsOn: [ns, ...crds] },
        );
        return [...crds, release];
    }
}

/**
 * What `pulumi up` waits for on the Gateway. NGF sets Programmed once the Gateway is valid and its
 * configuration is generated, before any data-plane pod runs, and accepts a LoadBalancer with no
 * address yet (NGF v2.6.7 internal/controller/state/conditions, status setters): Programmed alone
 * is not an address. For a LoadBalancer data plane also wait until status.addresses has one, so
 * urls.gateway is a URL when `up` ends. A JSON list of conditions must all hold.
 */
export function gatewayWaitFor(serviceType: string): string {
    return serviceType === "LoadBalancer" ? JSON.stringify(["condition=Programmed", "jsonpath={.status.addresses[0].value}"]) : "condition=Programmed";
}

/** Spread data-plane replicas across nodes, by the label NGF puts on a Gateway's pods (internal/framework/controller/labels.go). */
function spreadDataPlane(gatewayName: string): Record<string, unknown> {
    return {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": gatewayName } },
    };
}

/** Each route has one parent: wait until it accepts the route and every reference resolves. */
export const ROUTE_WAIT_FOR = JSON.stringify([
    'jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].status}=True',
    'jsonpath={.status.parents[0].conditions[?(@.type=="ResolvedRefs")].status}=True',
]);

/** The chart values (NGF 2.6.x values.yaml / values.schema.json). */
export function ngfValues(s: GatewaySettings, nodePorts: { port: number; listenerPort: number }[]): Record<string, unknown> {
    const c = s.controller;
    return {
        nginxGateway: {
            // The chart creates this GatewayClass, which the Gateway names.
            gatewayClassName: s.className,
            resources: c.resources,
            productTelemetry: { enable: false },
        },
        nginx: {
            // The data plane: one Deployment per Gateway, in the Gateway's namespace.
            replicas: c.replicas,
            ...(c.replicas > 1 ? { pod: { topologySpreadConstraints: [spreadDataPlane(s.name)] } } : {}),
            container: { resources: c.resources },
            // Applies to every Gateway's data-plane Service.
            service: {
                type: c.serviceType,
                ...(nodePorts.length > 0 && c.serviceType !== "ClusterIP" ? { nodePorts } : {}),
                // NGF defaults to Local, under which a node port answers only on nodes
                // running a proxy pod; Cluster answers on every node, like ingress-nginx.
                ...(c.serviceType === "NodePort" ? { externalTrafficPolicy: "Cluster" } : {}),
                ...(c.sourceRanges.length > 0 ? { loadBalancerSourceRanges: c.sourceRanges } : {}),
                // The data-plane Service spec (NginxProxy) has no annotations field:
                // annotations go through a patch of the generated Service.
                ...(Object.keys(c.serviceAnnotations).length > 0
                    ? { patches: [{ type: "Merge", value: { metadata: { annotations: c.serviceAnnotations } } }] }
                    : {}),
            },
        },
    };
}
