import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ALL_ECHO_PODS, podLabels, Track, trackName, trackSelector } from "./labels";
import { NAMES } from "./names";

/** CPU and memory requests and limits, as Kubernetes quantities. */
export interface ComputeResources {
    /** What the scheduler reserves: Kubernetes quantities, such as 10m and 16Mi. */
    requests: { cpu: string; memory: string };
    /** The most the pods may use (CPU is throttled, memory over the limit is OOM-killed). */
    limits: { cpu: string; memory: string };
}

/** Who may open connections to the echo pods (the NetworkPolicy's ingress peers). */
export interface NetworkAccess {
    /** Pods in the echo namespace (the ClusterIP Service's clients, proxies running there). */
    sameNamespace: boolean;
    /** Pods in these namespaces (proxies running elsewhere). */
    namespaces: string[];
    /** Any source (node ports and load balancers arrive with client or node addresses). */
    anywhere: boolean;
}

export interface EchoAppArgs {
    /** The namespace the pods run in (components/echoNamespace.ts makes it). */
    namespace: pulumi.Input<string>;
    /** Which track these pods are (default stable); a canary runs beside the stable one. */
    track?: Track;
    /**
     * What http-echo answers every request with (stack default "hello from http-echo"). A secret
     * Output (text set with `pulumi config set --secret`) keeps the container's args secret in state.
     */
    text: pulumi.Input<string>;
    /** The http-echo image, pinned by tag or digest (stack default hashicorp/http-echo:1.0.0). */
    image: string;
    /** Stack default Always: the tag's digest is checked on every pull. */
    imagePullPolicy: "Always" | "IfNotPresent" | "Never";
    /** Pods (stack default 1); above 1 a PodDisruptionBudget and a spread across nodes. */
    replicas: number;
    /** The port http-echo listens on, 1024 or above (it runs without NET_BIND_SERVICE; stack default 5678). */
    containerPort: number;
    /** Requests and limits (stack default: requests 10m/16Mi, limits 100m/64Mi). */
    resources: ComputeResources;
    /** Who may reach the pods; undefined declares no NetworkPolicy. */
    networkAccess?: NetworkAccess;
}

/** http-echo 1.0.0 is built on distroless `nonroot`: this is its user and group. */
const NONROOT_ID = 65532;

/**
 * http-echo 1.0.0 stops accepting connections as soon as it gets SIGTERM (it calls
 * server.Shutdown), while kube-proxy, ingress-nginx and the Gateway's NGINX still send to the pod
 * until they see its endpoint removed. The preStop sleep keeps it serving through that window;
 * the grace period leaves the server time to finish after it.
 */
const PRE_STOP_SLEEP_SECONDS = 10;
const TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** The labels every stable Service selects on: the seed's `app: http-echo`, and nothing else. */
export const ECHO_SELECTOR = trackSelector("stable") as { app: "http-echo" };
/** The named container port; Services and probes refer to the port through it. */
export const ECHO_PORT_NAME = "http";

/**
 * The http-echo app, one instance per track: its Deployment (and PDB), and for the stable track
 * the NetworkPolicy, which covers the pods of every track. The namespace is its own step
 * (components/echoNamespace.ts).
 */
export class EchoApp extends pulumi.ComponentResource {
    /** The namespace name (an Output of the namespace, so dependents wait for it). */
    public readonly namespace: pulumi.Output<string>;
    public readonly deployment: k8s.apps.v1.Deployment;
    /** Exactly this track's pods. */
    public readonly selector: Record<string, string>;
    public readonly containerPort: number;

    constructor(name: string, args: EchoAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:EchoApp", name, {}, opts);
        this.containerPort = args.containerPort;
        const track = args.track ?? "stable";
        this.selector = trackSelector(track);
        const objectName = trackName(track);

        this.namespace = pulumi.output(args.namespace);

        const labels = podLabels(track, name);

        const probe = { httpGet: { path: "/health", port: ECHO_PORT_NAME } };
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: objectName, namespace: this.namespace, labels },
                spec: {
                    replicas: args.replicas,
                    selector: { matchLabels: { ...this.selector } },
                    // Surge first, never drop below the desired ready count during a rollout.
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    template: {
                        metadata: { labels },
                        spec: {
                            // http-echo never calls the Kubernetes API.
                            automountServiceAccountToken: false,
                            terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: NONROOT_ID,
                                runAsGroup: NONROOT_ID,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            ...(args.replicas > 1 ? spreadAcrossNodes(this.selector) : {}),
                            containers: [
                                {
                                    name: "http-echo",
                                    image: args.image,
                                    imagePullPolicy: args.imagePullPolicy,
                                    args: pulumi.output(args.text).apply((text) => [`-text=${text}`, `-listen=:${args.containerPort}`]),
                                    ports: [{ name: ECHO_PORT_NAME, containerPort: args.containerPort, protocol: "TCP" }],
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        privileged: false,
                                        readOnlyRootFilesystem: true,
                                        runAsNonRoot: true,
                                        capabilities: { drop: ["ALL"] },
                                    },
                                    // Readiness gates traffic quickly; liveness restarts only a pod
                                    // that stays unhealthy, so a slow moment doesn't kill it.
                                    readinessProbe: { ...probe, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
                                    livenessProbe: { ...probe, initialDelaySeconds: 5, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
                                    // The sleep action needs no shell (the distroless image has
                                    // none); Kubernetes runs it by default since 1.30.
                                    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } },
                                    resources: {
                                        requests: { ...args.resources.requests },
                                        limits: { ...args.resources.limits },
                                    },
                                },
                            ],
                        },
                    },
                },
            },
            { parent: this },
        );

        if (args.replicas > 1) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                {
                    metadata: { name: objectName, namespace: this.namespace, labels },
                    spec: {
                        maxUnavailable: 1,
                        selector: { matchLabels: { ...this.selector } },
                        // Pods that are not ready protect nothing: let drains evict them instead of
                        // blocking on them (the default, IfHealthyBudget, can wedge a node drain).
                        unhealthyPodEvictionPolicy: "AlwaysAllow",
                    },
                },
                { parent: this },
            );
        }

        if (args.networkAccess) {
            this.declareNetworkPolicy(name, args.networkAccess, args.containerPort, labels);
        }

        this.registerOutputs({ namespace: this.namespace, deploymentName: this.deployment.metadata.name });
    }

    private declareNetworkPolicy(name: string, access: NetworkAccess, containerPort: number, labels: Record<string, string>): void {
        const ports = [{ port: containerPort, protocol: "TCP" }];
        const from: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [];
        if (access.sameNamespace) from.push({ podSelector: {} });
        for (const ns of access.namespaces) {
            // The kubernetes.io/metadata.name label is set by the API server on every namespace.
            from.push({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
        }
        new k8s.networking.v1.NetworkPolicy(
            `${name}-network-policy`,
            {
                metadata: { name: NAMES.app, namespace: this.namespace, labels },
                spec: {
                    // Every track's pods: a canary is reached the same ways as the stable pods.
                    podSelector: { matchLabels: { ...ALL_ECHO_PODS } },
                    policyTypes: ["Ingress", "Egress"],
                    // Anywhere: a rule without `from`. Otherwise only the listed peers. No rule at
                    // all would deny every connection.
                    ingress: access.anywhere ? [{ ports }] : from.length > 0 ? [{ from, ports }] : [],
                    // http-echo answers requests and opens no connections: deny all egress.
                    egress: [],
                },
            },
            { parent: this },
        );
    }
}

/** Spread replicas across nodes where possible, without refusing to schedule on a one-node cluster. */
function spreadAcrossNodes(selector: Record<string, string>): Partial<k8s.types.input.core.v1.PodSpec> {
    const labelSelector = { matchLabels: { ...selector } };
    return {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector }],
        affinity: {
            podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector } }],
            },
        },
    };
}
