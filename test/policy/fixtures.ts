/*
 * Resources that pass every policy, as plain inputs. Tests copy one and break a single field.
 */
import { ResourceUnderTest } from "./harness";

export const ECHO_LABELS = { app: "http-echo" };

/** A deep copy with `change` applied to it: tests break one thing in a known-good resource. */
export function variant<T>(base: T, change: (copy: any) => void): T {
    const copy = structuredClone(base);
    change(copy);
    return copy;
}

export function deployment(replicas = 1): ResourceUnderTest {
    return {
        type: "kubernetes:apps/v1:Deployment",
        name: "echo-deployment",
        props: {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "http-echo", namespace: "echo", labels: ECHO_LABELS },
            spec: {
                replicas,
                selector: { matchLabels: ECHO_LABELS },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                template: {
                    metadata: { labels: { ...ECHO_LABELS, "app.kubernetes.io/name": "http-echo" } },
                    spec: {
                        automountServiceAccountToken: false,
                        securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
                        topologySpreadConstraints:
                            replicas > 1
                                ? [
                                      {
                                          maxSkew: 1,
                                          topologyKey: "kubernetes.io/hostname",
                                          whenUnsatisfiable: "ScheduleAnyway",
                                          labelSelector: { matchLabels: ECHO_LABELS },
                                      },
                                  ]
                                : undefined,
                        containers: [
                            {
                                name: "http-echo",
                                image: "hashicorp/http-echo:1.0.0",
                                ports: [{ name: "http", containerPort: 5678 }],
                                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                                readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5, failureThreshold: 2 },
                                livenessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10, failureThreshold: 6 },
                                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
                            },
                        ],
                    },
                },
            },
        },
    };
}

export function pdb(selector: object = { matchLabels: ECHO_LABELS }, unhealthyPodEvictionPolicy: string | null = "AlwaysAllow"): ResourceUnderTest {
    // null (not undefined, which would pick the default) leaves the field out.
    return {
        type: "kubernetes:policy/v1:PodDisruptionBudget",
        name: "echo-pdb",
        props: {
            metadata: { name: "http-echo", namespace: "echo" },
            spec: { maxUnavailable: 1, selector, unhealthyPodEvictionPolicy: unhealthyPodEvictionPolicy ?? undefined },
        },
    };
}

export function networkPolicy(podSelector: object = { matchLabels: ECHO_LABELS }, namespace = "echo"): ResourceUnderTest {
    return {
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name: "echo-netpol",
        props: { metadata: { name: "http-echo", namespace }, spec: { podSelector, policyTypes: ["Ingress"], ingress: [{}] } },
    };
}

export function service(type: "ClusterIP" | "NodePort" | "LoadBalancer", sourceRanges?: string[]): ResourceUnderTest {
    return {
        type: "kubernetes:core/v1:Service",
        name: `echo-${type.toLowerCase()}`,
        props: {
            metadata: { name: "veri-service", namespace: "echo" },
            spec: { type, selector: ECHO_LABELS, ports: [{ port: 80, targetPort: 5678 }], loadBalancerSourceRanges: sourceRanges },
        },
    };
}

export function ingress(annotations: Record<string, string> = {}, ingressClassName: string | null = "nginx"): ResourceUnderTest {
    return {
        type: "kubernetes:networking.k8s.io/v1:Ingress",
        name: "echo-ingress",
        props: {
            metadata: { name: "http-echo", namespace: "echo", annotations },
            spec: {
                ingressClassName: ingressClassName ?? undefined,
                rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "veri-service", port: { number: 80 } } } }] } }],
            },
        },
    };
}

/** The ingress-nginx chart as this program installs it: a Helm release (from a mirror folder or the chart repository). */
export function ingressController(
    controller: Record<string, any> = {},
    version: string | null = "4.12.1",
    chart = "/srv/mirror/ingress-nginx/4.15.1/chart",
): ResourceUnderTest {
    return {
        type: "kubernetes:helm.sh/v3:Release",
        name: "echo-controller",
        props: {
            chart,
            version: version ?? undefined,
            values: { controller: { replicaCount: 2, minAvailable: 1, resources: { requests: { cpu: "100m", memory: "90Mi" } }, ...controller } },
        },
    };
}

/** The same, declared through the @pulumi/kubernetes-ingress-nginx component (other programs; this one before). */
export function ingressControllerComponent(controller: Record<string, any> = {}, version: string | null = "4.12.1"): ResourceUnderTest {
    return {
        type: "kubernetes-ingress-nginx:index:IngressController",
        name: "ingress-nginx",
        props: {
            helmOptions: { version: version ?? undefined },
            controller: { replicaCount: 2, minAvailable: 1, resources: { requests: { cpu: "100m", memory: "90Mi" } }, ...controller },
        },
    };
}

export function namespace(labels: Record<string, string> = { "pod-security.kubernetes.io/enforce": "restricted" }): ResourceUnderTest {
    return { type: "kubernetes:core/v1:Namespace", name: "echo-namespace", props: { metadata: { name: "echo", labels } } };
}
