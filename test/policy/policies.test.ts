/*
 * Each policy of policy/, called the way @pulumi/policy's server calls it: with resources that
 * pass (no violation) and resources that break one rule (a violation whose message says what to
 * change, at the policy's enforcement level).
 */
import * as assert from "assert";
import { PROVIDED_TLS_SECRETS as PROGRAM_PROVIDED_TLS_SECRETS } from "../../components/routeUrls";
import { policies } from "../../policy/policies";
import { PROVIDED_TLS_SECRETS } from "../../policy/stack";
import { checkResources, PackConfig, policyNamed, ResourceUnderTest, runPolicy, Violation } from "./harness";
import * as fx from "./fixtures";

const tested = new Set<string>();

function violations(policy: string, resources: ResourceUnderTest[], stack = "dev", config: PackConfig = {}): Violation[] {
    tested.add(policy);
    return runPolicy(policyNamed(policy), resources, stack, config);
}

function assertPasses(policy: string, resources: ResourceUnderTest[], stack = "dev", config: PackConfig = {}): void {
    const found = violations(policy, resources, stack, config);
    assert.deepStrictEqual(found, [], `${policy} should pass, but reported: ${found.map((v) => v.message).join(" | ")}`);
}

function assertViolates(policy: string, resources: ResourceUnderTest[], message: RegExp, stack = "dev", config: PackConfig = {}): Violation[] {
    const found = violations(policy, resources, stack, config);
    assert.ok(found.length > 0, `${policy} should report a violation matching ${message}, but reported none`);
    assert.ok(
        found.some((v) => message.test(v.message)),
        `${policy}: no message matches ${message}: ${found.map((v) => v.message).join(" | ")}`,
    );
    const level = policyNamed(policy).enforcementLevel;
    for (const v of found) assert.strictEqual(v.enforcement, level);
    return found;
}

const broken = (change: (props: any) => void, base = fx.deployment()) => [{ ...base, props: fx.variant(base.props, change) }];
const container = (d: any) => d.spec.template.spec.containers[0];

describe("policy pack: shape", () => {
    it("has unique kebab-case names, descriptions and an explicit enforcement level", () => {
        const names = policies.map((p) => p.name);
        assert.deepStrictEqual(names, [...new Set(names)], "duplicate policy names");
        for (const p of policies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.name);
            assert.ok(p.description.length > 10, `${p.name} needs a description`);
            assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", `${p.name}: ${p.enforcementLevel}`);
        }
    });

    it("reports nothing for a fully compliant production stack", () => {
        const stack = [
            fx.namespace(),
            fx.deployment(3),
            fx.pdb(),
            fx.networkPolicy(),
            fx.service("ClusterIP"),
            fx.service("LoadBalancer", ["203.0.113.0/24"]),
            fx.ingress(),
            // A maintained fork's controller image: the retired upstream one is flagged (advisory).
            fx.ingressController({ image: { repository: "ghcr.io/example-fork/ingress-nginx-controller", digest: `sha256:${"b".repeat(64)}` } }),
        ];
        assert.deepStrictEqual(checkResources(stack, "prod"), []);
    });
});

describe("policy pack: Deployment", () => {
    it("deployment-pod-security-context", () => {
        assertPasses("deployment-pod-security-context", [fx.deployment()]);
        // Set per container instead of per pod: also fine.
        assertPasses(
            "deployment-pod-security-context",
            broken((d) => {
                container(d).securityContext = { ...container(d).securityContext, ...d.spec.template.spec.securityContext };
                delete d.spec.template.spec.securityContext;
            }),
        );
        assertViolates(
            "deployment-pod-security-context",
            broken((d) => delete d.spec.template.spec.securityContext),
            /runAsNonRoot: true/,
        );
        assertViolates(
            "deployment-pod-security-context",
            broken((d) => (d.spec.template.spec.securityContext.runAsUser = 0)),
            /runAsUser to a non-root UID/,
        );
        assertViolates(
            "deployment-pod-security-context",
            broken((d) => (d.spec.template.spec.securityContext.seccompProfile = { type: "Unconfined" })),
            /RuntimeDefault/,
        );
        // A container overriding the pod's safe value is caught.
        assertViolates(
            "deployment-pod-security-context",
            broken((d) => (container(d).securityContext.runAsNonRoot = false)),
            /container 'http-echo'.*runAsNonRoot/,
        );
    });

    it("deployment-no-service-account-token", () => {
        assertPasses("deployment-no-service-account-token", [fx.deployment()]);
        assertViolates(
            "deployment-no-service-account-token",
            broken((d) => delete d.spec.template.spec.automountServiceAccountToken),
            /automountServiceAccountToken: false/,
        );
    });

    it("deployment-container-security-context", () => {
        assertPasses("deployment-container-security-context", [fx.deployment()]);
        // Unset is not enough: the default allows escalation.
        assertViolates(
            "deployment-container-security-context",
            broken((d) => delete container(d).securityContext.allowPrivilegeEscalation),
            /allowPrivilegeEscalation: false/,
        );
        assertViolates(
            "deployment-container-security-context",
            broken((d) => (container(d).securityContext.capabilities = { drop: ["NET_RAW"] })),
            /drop: \["ALL"\]/,
        );
        assertViolates(
            "deployment-container-security-context",
            broken((d) => (container(d).securityContext.readOnlyRootFilesystem = false)),
            /readOnlyRootFilesystem: true/,
        );
        assertViolates(
            "deployment-container-security-context",
            broken((d) => (d.spec.template.spec.initContainers = [{ name: "init", image: "busybox:1.37.0" }])),
            /init container 'init'/,
        );
    });

    it("deployment-image-pinned", () => {
        for (const image of ["hashicorp/http-echo:1.0.0", "registry.local:5000/http-echo:1.0.0", `hashicorp/http-echo@sha256:${"a".repeat(64)}`]) {
            assertPasses(
                "deployment-image-pinned",
                broken((d) => (container(d).image = image)),
            );
        }
        for (const image of ["hashicorp/http-echo", "hashicorp/http-echo:latest", "registry.local:5000/http-echo"]) {
            assertViolates(
                "deployment-image-pinned",
                broken((d) => (container(d).image = image)),
                /is not pinned; use a release tag/,
            );
        }
    });

    it("deployment-probes", () => {
        assertPasses("deployment-probes", [fx.deployment()]);
        assertViolates(
            "deployment-probes",
            broken((d) => delete container(d).readinessProbe),
            /add a readinessProbe/,
        );
        assertViolates(
            "deployment-probes",
            broken((d) => delete container(d).livenessProbe),
            /add a livenessProbe/,
        );
        // Same probe, keys in another order: still identical.
        assertViolates(
            "deployment-probes",
            broken((d) => (container(d).livenessProbe = { failureThreshold: 2, periodSeconds: 5, httpGet: { port: "http", path: "/" } })),
            /identical to the readinessProbe/,
        );
    });

    it("deployment-resources", () => {
        assertPasses("deployment-resources", [fx.deployment()]);
        const [v] = assertViolates(
            "deployment-resources",
            broken((d) => (container(d).resources = { requests: { cpu: "10m" } })),
            /resources\.requests\.memory/,
        );
        assert.match(v.message, /resources\.limits\.cpu, resources\.limits\.memory/);
    });

    it("deployment-zero-downtime-rollout (advisory)", () => {
        assertPasses("deployment-zero-downtime-rollout", [fx.deployment()]);
        assertPasses(
            "deployment-zero-downtime-rollout",
            broken((d) => (d.spec.strategy.rollingUpdate.maxUnavailable = "0%")),
        );
        assertViolates(
            "deployment-zero-downtime-rollout",
            broken((d) => delete d.spec.strategy),
            /maxUnavailable: 0/,
        );
        assertViolates(
            "deployment-zero-downtime-rollout",
            broken((d) => (d.spec.strategy = { type: "Recreate" })),
            /Recreate/,
        );
    });

    it("deployment-topology-spread (advisory, only with several replicas)", () => {
        assertPasses("deployment-topology-spread", [fx.deployment(3)]);
        assertPasses("deployment-topology-spread", [fx.deployment(1)]);
        assertViolates(
            "deployment-topology-spread",
            broken((d) => delete d.spec.template.spec.topologySpreadConstraints, fx.deployment(2)),
            /topologySpreadConstraints/,
        );
    });
});

describe("policy pack: stack-level", () => {
    it("deployment-pod-disruption-budget", () => {
        assertPasses("deployment-pod-disruption-budget", [fx.deployment(3), fx.pdb()]);
        assertPasses("deployment-pod-disruption-budget", [fx.deployment(1)]); // one replica: no budget needed
        assertPasses("deployment-pod-disruption-budget", [
            fx.deployment(3),
            fx.pdb({ matchExpressions: [{ key: "app", operator: "In", values: ["http-echo"] }] }),
        ]);
        const [v] = assertViolates("deployment-pod-disruption-budget", [fx.deployment(3)], /no PodDisruptionBudget selects its pods/);
        assert.match(v.urn, /kubernetes:apps\/v1:Deployment::echo-deployment$/, "reported against the Deployment");
        assertViolates("deployment-pod-disruption-budget", [fx.deployment(3), fx.pdb({ matchLabels: { app: "other" } })], /no PodDisruptionBudget/);
        assertViolates("deployment-pod-disruption-budget", [fx.deployment(3), fx.pdb(undefined, null)], /unhealthyPodEvictionPolicy/);
    });

    it("deployment-network-policy (advisory)", () => {
        assertPasses("deployment-network-policy", [fx.deployment(), fx.networkPolicy()]);
        assertPasses("deployment-network-policy", [fx.deployment(), fx.networkPolicy({})]); // {} selects every pod
        assertViolates("deployment-network-policy", [fx.deployment()], /No NetworkPolicy selects the pods/);
        assertViolates("deployment-network-policy", [fx.deployment(), fx.networkPolicy(undefined, "other")], /app: http-echo/);
    });
});

describe("policy pack: TLS Secrets", () => {
    const withTls = (annotations: Record<string, string> = {}): ResourceUnderTest => ({
        type: "kubernetes:networking.k8s.io/v1:Ingress",
        name: "echo-ingress",
        props: { metadata: { name: "veri-ingress", namespace: "echo", annotations }, spec: { tls: [{ hosts: ["a.corp.dev"], secretName: "a-tls" }] } },
    });
    const gateway: ResourceUnderTest = {
        type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
        name: "echo-gateway",
        props: {
            metadata: { name: "echo-gateway", namespace: "echo" },
            spec: { listeners: [{ name: "https-0", protocol: "HTTPS", tls: { certificateRefs: [{ kind: "Secret", name: "a-tls" }] } }] },
        },
    };
    const certificate = (namespace: string): ResourceUnderTest => ({
        type: "kubernetes:cert-manager.io/v1:Certificate",
        name: "echo-certificate",
        props: { metadata: { name: "a-tls", namespace }, spec: { secretName: "a-tls" } },
    });

    it("tls-secret-issued-or-provided (advisory)", () => {
        assertPasses("tls-secret-issued-or-provided", [withTls(), gateway, certificate("echo")]);
        assertPasses("tls-secret-issued-or-provided", [withTls({ [PROVIDED_TLS_SECRETS]: "a-tls" })]);
        assertViolates("tls-secret-issued-or-provided", [withTls()], /Secret 'a-tls', which no Certificate of this stack issues/);
        assertViolates("tls-secret-issued-or-provided", [gateway, certificate("other")], /Secret 'a-tls'/);
    });

    it("the program's annotation is the one the policy reads", () => {
        assert.strictEqual(PROVIDED_TLS_SECRETS, PROGRAM_PROVIDED_TLS_SECRETS);
    });
});

describe("policy pack: Service", () => {
    it("service-loadbalancer-source-ranges (production only)", () => {
        assertPasses("service-loadbalancer-source-ranges", [fx.service("LoadBalancer", ["10.0.0.0/8"])], "prod");
        assertPasses("service-loadbalancer-source-ranges", [fx.service("LoadBalancer")], "dev");
        assertViolates("service-loadbalancer-source-ranges", [fx.service("LoadBalancer")], /loadBalancerSourceRanges/, "prod");
        assertViolates("service-loadbalancer-source-ranges", [fx.service("LoadBalancer", [])], /loadBalancerSourceRanges/, "production");
        // productionStacks comes from the policy config when given.
        const config = { "service-loadbalancer-source-ranges": { productionStacks: ["live"] } };
        assertViolates("service-loadbalancer-source-ranges", [fx.service("LoadBalancer")], /loadBalancerSourceRanges/, "live", config);
        assertPasses("service-loadbalancer-source-ranges", [fx.service("LoadBalancer")], "prod", config);
    });

    it("service-no-nodeport-in-production (advisory)", () => {
        assertPasses("service-no-nodeport-in-production", [fx.service("NodePort")], "dev");
        assertPasses("service-no-nodeport-in-production", [fx.service("ClusterIP")], "prod");
        assertViolates("service-no-nodeport-in-production", [fx.service("NodePort")], /NodePort Service in a production stack/, "prod");
    });
});

describe("policy pack: Ingress", () => {
    it("ingress-class-name", () => {
        assertPasses("ingress-class-name", [fx.ingress()]);
        assertViolates("ingress-class-name", [fx.ingress({}, null)], /Set spec.ingressClassName/);
    });

    it("ingress-no-legacy-annotations (advisory)", () => {
        assertPasses("ingress-no-legacy-annotations", [fx.ingress({ "nginx.ingress.kubernetes.io/rewrite-target": "/" })]);
        assertViolates(
            "ingress-no-legacy-annotations",
            [fx.ingress({ "ingress.kubernetes.io/rewrite-target": "/" })],
            /use 'nginx.ingress.kubernetes.io\/rewrite-target'/,
        );
    });

    it("ingress-no-snippet-annotations", () => {
        assertPasses("ingress-no-snippet-annotations", [fx.ingress({ "nginx.ingress.kubernetes.io/ssl-redirect": "true" })]);
        for (const key of ["configuration-snippet", "server-snippet", "auth-snippet"]) {
            assertViolates(
                "ingress-no-snippet-annotations",
                [fx.ingress({ [`nginx.ingress.kubernetes.io/${key}`]: "return 200;" })],
                new RegExp(`Remove annotation 'nginx.ingress.kubernetes.io/${key}'`),
            );
        }
    });
});

describe("policy pack: ingress-nginx controller", () => {
    it("ingress-nginx-chart-patched", () => {
        for (const version of ["4.12.1", "4.13.0", "4.11.5", "4.11.8", "5.0.0"])
            assertPasses("ingress-nginx-chart-patched", [fx.ingressController({}, version)]);
        assertViolates("ingress-nginx-chart-patched", [fx.ingressController({}, null)], /Set version:/);
        // The same rules for the @pulumi/kubernetes-ingress-nginx component, and for the chart from its repository.
        assertViolates("ingress-nginx-chart-patched", [fx.ingressControllerComponent({}, null)], /Set helmOptions.version/);
        assertViolates("ingress-nginx-chart-patched", [fx.ingressControllerComponent({}, "4.12.0")], /not an exact release patched/);
        assertViolates("ingress-nginx-chart-patched", [fx.ingressController({}, "4.12.0", "ingress-nginx")], /not an exact release patched/);
        assertPasses("ingress-nginx-chart-patched", [fx.ingressControllerComponent({}, "4.15.1")]);
        for (const version of ["4.11.4", "4.12.0", "4.10.6", "4.7.1", "^4.12.1", "latest"]) {
            assertViolates("ingress-nginx-chart-patched", [fx.ingressController({}, version)], /not an exact release patched for CVE-2025-1974/);
        }
    });

    it("ingress-nginx-admission-webhook", () => {
        assertPasses("ingress-nginx-admission-webhook", [fx.ingressController({ admissionWebhooks: { enabled: true } })]);
        assertViolates(
            "ingress-nginx-admission-webhook",
            [fx.ingressController({ admissionWebhooks: { enabled: false } })],
            /admissionWebhooks.enabled: false/,
        );
    });

    it("ingress-nginx-no-snippets", () => {
        assertPasses("ingress-nginx-no-snippets", [fx.ingressController({ allowSnippetAnnotations: false })]);
        assertViolates("ingress-nginx-no-snippets", [fx.ingressController({ allowSnippetAnnotations: true })], /allowSnippetAnnotations/);
        assertViolates("ingress-nginx-no-snippets", [fx.ingressController({ config: { "allow-snippet-annotations": "true" } })], /allow-snippet-annotations/);
        assertViolates("ingress-nginx-no-snippets", [fx.ingressControllerComponent({ allowSnippetAnnotations: true })], /allowSnippetAnnotations/);
    });

    it("ingress-nginx-resource-requests", () => {
        assertPasses("ingress-nginx-resource-requests", [fx.ingressController()]);
        assertViolates("ingress-nginx-resource-requests", [fx.ingressController({ resources: undefined })], /requests.cpu and .memory/);
    });

    it("leaves other Helm releases alone", () => {
        const ngf = { ...fx.ingressController({ admissionWebhooks: { enabled: false } }, null, "/srv/mirror/nginx-gateway-fabric/2.6.7/chart") };
        assertPasses("ingress-nginx-admission-webhook", [ngf]);
        assertPasses("ingress-nginx-chart-patched", [ngf]);
    });

    it("ingress-nginx-retired (advisory): the upstream controller image is flagged, a fork's image is not", () => {
        assertViolates("ingress-nginx-retired", [fx.ingressController()], /retired upstream ingress-nginx controller/);
        assertViolates("ingress-nginx-retired", [fx.ingressControllerComponent()], /retired/);
        assertViolates(
            "ingress-nginx-retired",
            [fx.ingressController({ image: { registry: "registry.k8s.io", image: "ingress-nginx/controller", tag: "v1.15.1" } })],
            /retired/,
        );
        for (const image of [
            { repository: "ghcr.io/example-fork/ingress-nginx-controller", tag: "v1.15.9" },
            { registry: "cgr.dev", image: "chainguard/ingress-nginx-controller", digest: `sha256:${"a".repeat(64)}` },
            { registry: "registry.corp.example:5000", image: "mirror/ingress-nginx/controller", tag: "v1.15.1" },
        ]) {
            assertPasses("ingress-nginx-retired", [fx.ingressController({ image })]);
        }
    });

    it("ingress-nginx-production-ha (production only)", () => {
        const single = fx.ingressController({ replicaCount: 1, minAvailable: undefined });
        assertPasses("ingress-nginx-production-ha", [fx.ingressController()], "prod");
        assertPasses("ingress-nginx-production-ha", [single], "dev");
        assertViolates("ingress-nginx-production-ha", [single], /replicaCount to 2 or more/, "prod");
        assertViolates("ingress-nginx-production-ha", [single], /controller.minAvailable/, "prod");
    });
});

describe("policy pack: Namespace", () => {
    it("namespace-restricted-pod-security (advisory)", () => {
        assertPasses("namespace-restricted-pod-security", [fx.namespace()]);
        assertViolates("namespace-restricted-pod-security", [fx.namespace({ "pod-security.kubernetes.io/enforce": "baseline" })], /got baseline/);
    });
});

describe("policy pack: Gateway API", () => {
    const chart = (props: object): ResourceUnderTest => ({ type: "kubernetes:helm.sh/v3:Release", name: "gateway-controller", props });
    const v4Chart = (props: object): ResourceUnderTest => ({ type: "kubernetes:helm.sh/v4:Chart", name: "gateway-controller", props });
    const configFile = (file: string): ResourceUnderTest => ({ type: "kubernetes:yaml/v2:ConfigFile", name: "gateway-api-crds", props: { file } });
    const route = (spec: object): ResourceUnderTest => ({
        type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
        name: "echo-route",
        props: { metadata: { name: "echo" }, spec },
    });

    it("helm-chart-version-pinned", () => {
        assertPasses("helm-chart-version-pinned", [chart({ chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric", version: "2.1.0" })]);
        assertPasses("helm-chart-version-pinned", [chart({ chart: "./charts/local" })]);
        assertViolates("helm-chart-version-pinned", [chart({ chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric" })], /Set version on chart/);
        assertViolates("helm-chart-version-pinned", [v4Chart({ chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric" })], /Set version on chart/);
    });

    it("yaml-manifest-url-versioned", () => {
        assertPasses("yaml-manifest-url-versioned", [
            configFile("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml"),
        ]);
        assertPasses("yaml-manifest-url-versioned", [configFile("manifests/crds.yaml")]); // a local file is versioned with the repo
        for (const url of [
            "https://github.com/kubernetes-sigs/gateway-api/releases/latest/download/standard-install.yaml",
            "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/main/config/crd/standard/gateway.yaml",
        ]) {
            assertViolates("yaml-manifest-url-versioned", [configFile(url)], /names no release/);
        }
    });

    it("httproute-parent-refs", () => {
        assertPasses("httproute-parent-refs", [route({ parentRefs: [{ name: "echo-gateway" }] })]);
        assertViolates("httproute-parent-refs", [route({ parentRefs: [] })], /Set spec.parentRefs/);
        assertViolates("httproute-parent-refs", [route({})], /Set spec.parentRefs/);
    });

    it("gateway-https-listener-certificate", () => {
        const gateway = (listener: object): ResourceUnderTest => ({
            type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
            name: "echo-gateway",
            props: {
                metadata: { name: "echo-gateway" },
                spec: { gatewayClassName: "nginx", listeners: [{ name: "http", protocol: "HTTP", port: 80 }, listener] },
            },
        });
        const https = { name: "https-0", protocol: "HTTPS", port: 443, hostname: "echo.example.com" };
        assertPasses("gateway-https-listener-certificate", [
            gateway({ ...https, tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "echo-tls" }] } }),
        ]);
        assertViolates("gateway-https-listener-certificate", [gateway(https)], /HTTPS without a certificate/);
        assertViolates(
            "gateway-https-listener-certificate",
            [gateway({ ...https, tls: { mode: "Terminate", certificateRefs: [] } })],
            /HTTPS without a certificate/,
        );
    });
});

describe("policy pack: coverage", () => {
    it("every policy above has tests", () => {
        const untested = policies.map((p) => p.name).filter((n) => !tested.has(n));
        assert.deepStrictEqual(untested, [], `policies without tests: ${untested.join(", ")}`);
    });
});
