import * as k8s from "@pulumi/kubernetes";
import { CANARY, SSL_REDIRECT } from "./ingressNginxAnnotations";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, kubectlFor } from "./clientCommands";
import { ControllerSettings, helmChart } from "./controllerSettings";
import { BackendService, hostKey, HostPolicies, RouteCanary, RouteSettings } from "./routing";
import { authority, providedTlsAnnotation, Reach, routeUrls } from "./routeUrls";
import { firstAddress, pending } from "./urls";
import { NAMES } from "./names";

export interface IngressControllerSettings extends ControllerSettings {
    /** Fixed node ports for a NodePort controller (kind/k3d port mappings point at them). */
    nodePorts: { http?: number; https?: number };
    /** Bind 80/443 on the node itself (kind's documented setup), in addition to the Service. */
    hostPort: boolean;
    /** Controller pods (stack default 1); above 1 a PodDisruptionBudget (minAvailable 1). */
    replicas: number;
    /** A maintained fork's controller image instead of the chart's (retired) one; default: the chart's. */
    image?: { repository: string; tag: string; digest: string };
}

export interface IngressSettings extends RouteSettings {
    /** The IngressClass the Ingress names and an installed controller creates (stack default "nginx"). */
    className: string;
    /** host[:port] a client uses to reach the controller when it cannot report a reachable address. */
    address?: string;
    /** The same for https (a kind mapping of the https node port). */
    httpsAddress?: string;
    /** With TLS, ingress-nginx redirects http to https; false keeps plain http working too. */
    sslRedirect: boolean;
    /** Extra annotations of the Ingress (stack default none). */
    annotations: Record<string, string>;
    /** The ingress-nginx controller: installed by a Helm release, or already in the cluster. */
    controller: IngressControllerSettings;
}

export interface IngressExposureArgs {
    /** The echo app's namespace (the Ingress must live beside its backend Service). */
    namespace: pulumi.Input<string>;
    /** The echo ClusterIP Service: the backend of every path. */
    service: BackendService;
    /** The routing, the class and the controller. */
    settings: IngressSettings;
    /** The TLS Secrets come from outside the stack (no Certificate issues them): say so on the Ingress. */
    tlsSecretsProvided: boolean;
    /** How the provider reaches the cluster (kubeconfig, context, cluster): the printed kubectl commands name the same. */
    cluster?: ClusterAccess;
    /** A canary beside the stable Service: a canary Ingress with its share of requests and header. */
    canary?: RouteCanary;
    /**
     * Each host's traffic policies as the routing model renders them for ingress-nginx (by
     * hostKey): the annotations of the Ingress serving the host. Default: none.
     */
    hostPolicies?: Record<string, HostPolicies>;
}

/** The chart's own ingress class name (its `controller.ingressClass` default). */
const CHART_INGRESS_CLASS = "nginx";
/** How long Helm may wait per step where it waits on something slow: a cloud load balancer, a webhook (its default is 300 s). */
export const LONG_HELM_WAIT_SECONDS = 600;

/**
 * The ingress-nginx controller (unless the stack uses one that already runs) and the Ingress that
 * routes the configured hosts and paths to the echo Service, with the URL of each route.
 */
export class IngressExposure extends pulumi.ComponentResource {
    /** The controller's Helm release (when the stack installs it). */
    public readonly controller?: k8s.helm.v3.Release;
    /** The Ingress of the first host (and of every host with the same policies): veri-ingress. */
    public readonly ingress: k8s.networking.v1.Ingress;
    /** Every Ingress: one per set of hosts that share their policies' annotations. */
    public readonly ingresses: k8s.networking.v1.Ingress[];
    /** The canary Ingress, when there is a canary. */
    public readonly canaryIngress?: k8s.networking.v1.Ingress;
    /** Every host/path URL, in config order. */
    public readonly urls: pulumi.Output<string[]>;
    /** host[:port] where clients reach the controller (what DNS for the hosts points at), or a pending message. */
    public readonly address: pulumi.Output<string>;
    /** host[:port] where clients reach the controller's https, when known. */
    public readonly httpsAddress: pulumi.Output<string | undefined>;

    constructor(name: string, args: IngressExposureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:IngressExposure", name, {}, opts);
        const s = args.settings;
        const c = s.controller;

        if (c.install) {
            this.controller = this.installController(name, s);
        }

        // ingress-nginx reads only annotations with its own prefix: the seed's
        // `ingress.kubernetes.io/ssl-redirect` is a no-op there. The redirect only ever happens
        // for TLS hosts, so the annotation is set only where TLS is on and the redirect is not wanted.
        const annotations: Record<string, string> = {
            ...s.annotations,
            ...(args.tlsSecretsProvided ? providedTlsAnnotation(s.tls.map((t) => t.secretName)) : {}),
        };
        if (s.tls.length > 0 && !s.sslRedirect) {
            annotations[SSL_REDIRECT] = "false";
        }

        const backend = { service: { name: args.service.name, port: { number: args.service.port } } };
        const hosts = [...new Set(s.routes.map((r) => r.host))];
        // ingress-nginx reads annotations per Ingress: hosts whose policies differ get an Ingress
        // each. The first group keeps the name veri-ingress; the others are veri-ingress-1, -2...
        this.ingresses = hostGroups(hosts, args.hostPolicies).map((group, i) => {
            const tls = s.tls
                .map((t) => ({ hosts: t.hosts.filter((h) => group.hosts.includes(h)), secretName: t.secretName }))
                .filter((t) => t.hosts.length > 0);
            const all = { ...annotations, ...group.annotations };
            return new k8s.networking.v1.Ingress(
                i === 0 ? `${name}-ingress` : `${name}-ingress-${i}`,
                {
                    metadata: {
                        name: i === 0 ? NAMES.ingress : `${NAMES.ingress}-${i}`,
                        namespace: args.namespace,
                        labels: { "app.kubernetes.io/part-of": "echo-exposure" },
                        annotations: Object.keys(all).length > 0 ? all : undefined,
                    },
                    spec: {
                        // ingress-nginx 1.x ignores an Ingress without a class (the seed's has none).
                        ingressClassName: s.className,
                        tls: tls.length > 0 ? tls : undefined,
                        rules: group.hosts.map((host) => ({
                            host,
                            http: { paths: ingressPaths(s, args.hostPolicies, host, backend) },
                        })),
                    },
                },
                // Without this the Ingress can be created before the controller's admission webhook
                // answers, and fails: failed calling webhook "validate.nginx.ingress.kubernetes.io".
                { parent: this, dependsOn: this.controller ? [this.controller] : [] },
            );
        });
        this.ingress = this.ingresses[0];

        if (args.canary) this.canaryIngress = this.declareCanary(name, args, hosts);

        const reachableStatus = !c.install || c.serviceType === "LoadBalancer";
        const kubectl = kubectlFor(args.cluster);
        const controllerService = `${c.releaseName}-controller`;
        const reach = pulumi.all([this.ingress.status, this.ingress.metadata.namespace]).apply(([status, ingressNamespace]): Reach => {
            const reported = firstAddress(status?.loadBalancer?.ingress);
            // Precedence: ingress.address when set (the user knows how clients get in); else the
            // address the controller publishes, unless that is a NodePort/ClusterIP Service's
            // ClusterIP, which no client outside the cluster can reach.
            const published = reachableStatus && reported ? authority(reported) : undefined;
            const address = s.address ?? published;
            const how = reachableStatus
                ? `${kubectl} get ingress veri-ingress -n ${ingressNamespace}; or set ingress.address`
                : `${kubectl} get svc ${controllerService} -n ${c.namespace} for the node port, then set ingress.address to <node host>:<port> (e.g. localhost:8081 with the kind recipe)`;
            const why = reachableStatus
                ? "the ingress controller has reported no address yet"
                : `the ${c.serviceType} controller publishes only its ClusterIP, which clients outside the cluster cannot reach`;
            // A NodePort controller with no address set: a host's URL needs the node port clients use.
            const nodePorts = c.install && c.serviceType === "NodePort" && s.address === undefined ? c.nodePorts : undefined;
            return { address, httpsAddress: s.httpsAddress ?? published, pending: pending(why, how), nodePorts };
        });
        this.address = reach.apply((r) => r.address ?? r.pending);
        this.httpsAddress = reach.apply((r) => r.httpsAddress);
        this.urls = reach.apply((r) => routeUrls(s, r));

        this.registerOutputs({ urls: this.urls, address: this.address });
    }

    /**
     * ingress-nginx's canary: a second Ingress with exactly the main one's hosts, paths and path
     * types (the canary attaches to the main Ingress's locations; one canary per host and path),
     * marked `canary: "true"`, with its weight and header (docs/user-guide annotations "Canary" and
     * internal/ingress/controller/controller.go mergeAlternativeBackends at controller-v1.15.1).
     * Its other annotations would be ignored: it inherits the main Ingress's.
     */
    private declareCanary(name: string, args: IngressExposureArgs, hosts: (string | undefined)[]): k8s.networking.v1.Ingress {
        const s = args.settings;
        const canary = args.canary!;
        const backend = { service: { name: canary.service.name, port: { number: canary.service.port } } };
        return new k8s.networking.v1.Ingress(
            `${name}-canary-ingress`,
            {
                metadata: {
                    name: NAMES.canaryIngress,
                    namespace: args.namespace,
                    labels: { "app.kubernetes.io/part-of": "echo-exposure" },
                    annotations: {
                        [CANARY.canary]: "true",
                        [CANARY.weight]: String(canary.weight),
                        ...(canary.header
                            ? {
                                  [CANARY.byHeader]: canary.header.name,
                                  [CANARY.byHeaderValue]: canary.header.value,
                              }
                            : {}),
                    },
                },
                spec: {
                    ingressClassName: s.className,
                    rules: hosts.map((host) => ({
                        host,
                        // The main Ingress's very paths: the canary attaches to its locations.
                        http: { paths: ingressPaths(s, args.hostPolicies, host, backend) },
                    })),
                },
            },
            // After the main Ingresses: a canary alone is merged into nothing.
            { parent: this, dependsOn: this.ingresses },
        );
    }

    private installController(name: string, s: IngressSettings): k8s.helm.v3.Release {
        const c = s.controller;
        const ns = new k8s.core.v1.Namespace(
            `${name}-controller-namespace`,
            {
                metadata: {
                    name: c.namespace,
                    // Chart 4.15.1's controller (drop ALL, add only NET_BIND_SERVICE, non-root,
                    // RuntimeDefault) and its admission-webhook Jobs meet "restricted"; hostPort
                    // (kind's upstream recipe) is allowed by no level below "privileged".
                    labels: {
                        "pod-security.kubernetes.io/enforce": c.hostPort ? "privileged" : "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/warn": "restricted",
                    },
                },
            },
            { parent: this },
        );
        // A helm.v3.Release of the chart, like the other two charts: real Helm, which runs the
        // chart's admission-webhook hook Jobs, under the program's own kubernetes provider. It
        // replaced the @pulumi/kubernetes-ingress-nginx component (docs/design.md "Providers"),
        // whose child release it takes over through the alias: existing stacks update in place.
        return new k8s.helm.v3.Release(
            `${name}-controller`,
            {
                name: c.releaseName,
                ...helmChart(c.chart),
                // Pinned: the chart is refused unless upstream.lock.json holds this version.
                version: c.chartVersion,
                namespace: ns.metadata.name,
                // Roll a failed install or upgrade back, so the next `pulumi up` starts clean.
                atomic: true,
                // Helm waits for the release's Services, a cloud load balancer's address
                // included; its default of 300 s is too short for some clouds.
                timeout: c.serviceType === "LoadBalancer" ? LONG_HELM_WAIT_SECONDS : undefined,
                values: ingressNginxValues(s),
            },
            {
                parent: this,
                dependsOn: [ns],
                aliases: [{ name: `${name}-controller-helm`, parent: pulumi.createUrn(`${name}-controller`, COMPONENT_TYPE, this) }],
            },
        );
    }
}

/** The type of the remote component that installed the chart before (its release is aliased). */
const COMPONENT_TYPE = "kubernetes-ingress-nginx:index:IngressController";

/** The chart values (ingress-nginx 4.15.x values.yaml). */
export function ingressNginxValues(s: IngressSettings): Record<string, unknown> {
    const c = s.controller;
    // For each of the admission webhook's certificate Jobs (a key pair and an API call): the chart
    // sets no requests or limits (createSecretJob / patchWebhookJob `resources: {}`).
    const admissionJob = { resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } } };
    const nodePorts = {
        http: c.nodePorts.http !== undefined ? String(c.nodePorts.http) : undefined,
        https: c.nodePorts.https !== undefined ? String(c.nodePorts.https) : undefined,
    };
    return {
        // A fixed name makes the controller Service `<releaseName>-controller`, predictable
        // for kubectl, DNS and the URL hints.
        fullnameOverride: c.releaseName,
        controller: {
            // The chart passes --ingress-class=<this> (values.yaml controller.ingressClass), so a
            // second controller claims only Ingresses annotated with its own class.
            ingressClass: s.className,
            ingressClassResource: {
                name: s.className,
                enabled: true,
                default: false,
                // Two controllers need distinct controller values; keep upstream's for "nginx".
                controllerValue: s.className === CHART_INGRESS_CLASS ? "k8s.io/ingress-nginx" : `k8s.io/ingress-${s.className}`,
            },
            electionID: `${c.releaseName}-leader`,
            // The chart renders `repository:tag@digest` when repository is set (values.yaml controller.image).
            image: c.image ? { repository: c.image.repository, tag: c.image.tag, digest: c.image.digest } : undefined,
            // The validating webhook rejects bad Ingresses before nginx loads them.
            admissionWebhooks: { enabled: true, createSecretJob: admissionJob, patchWebhookJob: admissionJob },
            // Snippets let any Ingress author inject NGINX config (CVE-2021-25742).
            allowSnippetAnnotations: false,
            replicaCount: c.replicas,
            // The chart renders a PodDisruptionBudget only when replicaCount > 1.
            minAvailable: c.replicas > 1 ? 1 : undefined,
            topologySpreadConstraints: c.replicas > 1 ? [spreadControllerPods(c.releaseName)] : undefined,
            resources: c.resources,
            hostPort: { enabled: c.hostPort },
            service: {
                type: c.serviceType,
                nodePorts: c.serviceType === "ClusterIP" ? undefined : nodePorts,
                annotations: Object.keys(c.serviceAnnotations).length > 0 ? c.serviceAnnotations : undefined,
                loadBalancerSourceRanges: c.sourceRanges.length > 0 ? c.sourceRanges : undefined,
            },
        },
    };
}

/** Spread controller replicas across nodes (the chart's pod labels), so one node loss keeps one serving. */
function spreadControllerPods(releaseName: string): k8s.types.input.core.v1.TopologySpreadConstraint {
    return {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: {
            matchLabels: {
                "app.kubernetes.io/name": "ingress-nginx",
                "app.kubernetes.io/instance": releaseName,
                "app.kubernetes.io/component": "controller",
            },
        },
    };
}

/** The Ingress paths of a host's routes: a route's own path, or the one its policies give it (rewrite's regex). */
function ingressPaths(
    s: RouteSettings,
    policies: Record<string, HostPolicies> | undefined,
    host: string | undefined,
    backend: k8s.types.input.networking.v1.IngressBackend,
): k8s.types.input.networking.v1.HTTPIngressPath[] {
    const changed = policies?.[hostKey(host)]?.ingressPaths ?? {};
    return s.routes.filter((r) => r.host === host).map((r) => ({ ...(changed[r.path] ?? { path: r.path, pathType: r.pathType }), backend }));
}

/** Hosts grouped by the annotations their policies give the Ingress, in the order hosts first appear. */
function hostGroups(
    hosts: (string | undefined)[],
    policies: Record<string, HostPolicies> | undefined,
): { hosts: (string | undefined)[]; annotations: Record<string, string> }[] {
    const groups = new Map<string, { hosts: (string | undefined)[]; annotations: Record<string, string> }>();
    for (const host of hosts) {
        const annotations = policies?.[hostKey(host)]?.annotations ?? {};
        const id = JSON.stringify(Object.entries(annotations).sort());
        const group = groups.get(id) ?? { hosts: [], annotations };
        group.hosts.push(host);
        groups.set(id, group);
    }
    return [...groups.values()];
}
