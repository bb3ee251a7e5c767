import * as assert from "assert";
import * as fs from "fs";
import { findArtifact } from "../../upstream/lock";
import { sha256 } from "../../upstream/resolver";
import { ALL_ECHO_PODS, podLabels, trackSelector } from "../../components/labels";
import { selects } from "../../policy/lib";
import { chartName, KubeObject, runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";

/*
 * The "secure and reliable by default" rules, checked on what every shipped stack declares (and on
 * a few configs that switch rules on and off). A broken rule fails with its name and the resource.
 */

interface Declared {
    stack: string;
    config: Record<string, any>;
    objects: KubeObject[];
    controllers: any[];
    /** Inputs of the Gateway API implementation: Helm charts and CRD bundles. */
    charts: any[];
    crdBundles: any[];
}

interface Rule {
    name: string;
    check(d: Declared): string[]; // the problems found, each naming its resource
}

const kindOf = (d: Declared, kind: string) => d.objects.filter((o) => o.kind === kind);
const id = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const problems = (items: [boolean, string][]) => items.filter(([ok]) => !ok).map(([, what]) => what);

/** The ingress controller answers ACME HTTP-01, which comes from anywhere: its load balancer is public on purpose. */
const answersAcme = (d: Declared) => kindOf(d, "Issuer").some((i) => i.spec?.acme?.solvers?.some((s: any) => s.http01?.ingress));
const ngfCharts = (d: Declared) => d.charts.filter((c) => String(c.chart).endsWith("/nginx-gateway-fabric"));
/** The echo Deployments of every track: those whose pods carry the all-tracks label (components/labels.ts). */
const echoPods = (d: Declared) => kindOf(d, "Deployment").filter((o) => selects({ matchLabels: ALL_ECHO_PODS }, o.spec.template.metadata.labels));

const rules: Rule[] = [
    {
        name: "restricted pod security",
        check: (d) =>
            echoPods(d)
                .flatMap((dep) => {
                    const pod = dep.spec.template.spec;
                    const podSc = pod.securityContext ?? {};
                    return [
                        [podSc.runAsNonRoot === true && podSc.runAsUser > 0 && podSc.runAsGroup > 0, `${id(dep)}: runs as a non-root UID/GID`],
                        [podSc.seccompProfile?.type === "RuntimeDefault", `${id(dep)}: seccompProfile RuntimeDefault`],
                        [pod.automountServiceAccountToken === false, `${id(dep)}: automountServiceAccountToken false`],
                        ...pod.containers.flatMap((c: any): [boolean, string][] => [
                            [c.securityContext?.allowPrivilegeEscalation === false, `${id(dep)} ${c.name}: allowPrivilegeEscalation false`],
                            [JSON.stringify(c.securityContext?.capabilities?.drop) === '["ALL"]', `${id(dep)} ${c.name}: drops ALL capabilities`],
                            [c.securityContext?.readOnlyRootFilesystem === true, `${id(dep)} ${c.name}: read-only root filesystem`],
                        ]),
                    ] as [boolean, string][];
                })
                .flatMap((p) => problems([p])),
    },
    {
        name: "probes on /health through the named port, readiness and liveness different",
        check: (d) =>
            echoPods(d).flatMap((dep) =>
                dep.spec.template.spec.containers.flatMap((c: any) => {
                    const named = c.ports.map((p: any) => p.name);
                    return problems([
                        [
                            c.readinessProbe?.httpGet?.path === "/health" && named.includes(c.readinessProbe.httpGet.port),
                            `${id(dep)} ${c.name}: readiness GET /health on a named port`,
                        ],
                        [
                            c.livenessProbe?.httpGet?.path === "/health" && named.includes(c.livenessProbe.httpGet.port),
                            `${id(dep)} ${c.name}: liveness GET /health on a named port`,
                        ],
                        [JSON.stringify(c.readinessProbe) !== JSON.stringify(c.livenessProbe), `${id(dep)} ${c.name}: readiness and liveness differ`],
                    ]);
                }),
            ),
    },
    {
        name: "graceful shutdown: a preStop sleep shorter than the grace period, so proxies drop the endpoint before http-echo stops",
        check: (d) =>
            echoPods(d).flatMap((dep) => {
                const pod = dep.spec.template.spec;
                const grace = pod.terminationGracePeriodSeconds ?? 30;
                return pod.containers.flatMap((c: any) =>
                    problems([
                        [c.lifecycle?.preStop?.sleep?.seconds > 0, `${id(dep)} ${c.name}: lifecycle.preStop.sleep (the image has no shell)`],
                        [c.lifecycle?.preStop?.sleep?.seconds < grace, `${id(dep)} ${c.name}: preStop sleep below terminationGracePeriodSeconds (${grace})`],
                    ]),
                );
            }),
    },
    {
        name: "every namespace the program creates enforces restricted, except a hostPort controller's",
        check: (d) => {
            const hostPort = d.controllers.some((c) => c.controller.hostPort?.enabled === true);
            return problems(
                kindOf(d, "Namespace").map((ns): [boolean, string] => {
                    const level = ns.metadata.labels?.["pod-security.kubernetes.io/enforce"];
                    const isHostPortController = hostPort && d.controllers.some((c) => c.helmOptions?.namespace === ns.metadata.name);
                    return [level === (isHostPortController ? "privileged" : "restricted"), `${id(ns)}: enforce ${level}`];
                }),
            );
        },
    },
    {
        name: "CPU and memory requests and limits",
        check: (d) =>
            echoPods(d).flatMap((dep) =>
                dep.spec.template.spec.containers.flatMap((c: any) =>
                    problems(
                        ["requests", "limits"].flatMap((k) =>
                            ["cpu", "memory"].map((r): [boolean, string] => [Boolean(c.resources?.[k]?.[r]), `${id(dep)} ${c.name}: ${k}.${r}`]),
                        ),
                    ),
                ),
            ),
    },
    {
        name: "pinned image",
        check: (d) =>
            echoPods(d).flatMap((dep) =>
                dep.spec.template.spec.containers.flatMap((c: any) =>
                    problems([[/(:[\w][\w.-]*$|@sha256:)/.test(c.image) && !c.image.endsWith(":latest"), `${id(dep)} ${c.name}: image ${c.image} pinned`]]),
                ),
            ),
    },
    {
        name: "rollouts never drop below the desired ready count",
        check: (d) =>
            echoPods(d).flatMap((dep) =>
                problems([
                    [
                        dep.spec.strategy?.type === "RollingUpdate" && dep.spec.strategy.rollingUpdate?.maxUnavailable === 0,
                        `${id(dep)}: RollingUpdate with maxUnavailable 0`,
                    ],
                ]),
            ),
    },
    {
        name: "PodDisruptionBudget and topology spread when replicas > 1",
        check: (d) =>
            echoPods(d)
                .filter((dep) => dep.spec.replicas > 1)
                .flatMap((dep) => {
                    const labels = dep.spec.template.metadata.labels;
                    const pdb = kindOf(d, "PodDisruptionBudget").find(
                        (p) =>
                            p.metadata.namespace === dep.metadata.namespace && Object.entries(p.spec.selector.matchLabels).every(([k, v]) => labels[k] === v),
                    );
                    return problems([
                        [pdb !== undefined, `${id(dep)}: a PodDisruptionBudget selects its pods`],
                        [pdb?.spec?.unhealthyPodEvictionPolicy !== undefined, `${id(dep)}: the PDB sets unhealthyPodEvictionPolicy`],
                        [
                            dep.spec.template.spec.topologySpreadConstraints?.some((t: any) => t.topologyKey === "kubernetes.io/hostname") === true,
                            `${id(dep)}: spreads pods across nodes`,
                        ],
                    ]);
                }),
    },
    {
        name: "NetworkPolicy admits only what the chosen exposures need",
        check: (d) => {
            if (d.config.networkPolicy === false || d.config.networkPolicy === "false") return [];
            const exposures: string[] = Array.isArray(d.config.exposures) ? d.config.exposures : String(d.config.exposures ?? "clusterIP").split(",");
            // The policy must select the pods of every track (the stable and a canary's).
            const policies = kindOf(d, "NetworkPolicy").filter((p) =>
                (["stable", "canary"] as const).every((t) => selects(p.spec.podSelector, podLabels(t, "echo"))),
            );
            if (policies.length !== 1) return [`expected one NetworkPolicy selecting the echo pods, found ${policies.length}`];
            const np = policies[0];
            const rulesIn: any[] = np.spec.ingress;
            const anywhere = rulesIn.some((r) => r.from === undefined);
            const peers = rulesIn.flatMap((r) => r.from ?? []);
            const fromNs = (ns: string) => peers.some((p) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === ns);
            const sameNs = peers.some((p) => p.podSelector && !p.namespaceSelector);
            const needsAnywhere = exposures.includes("nodePort") || exposures.includes("loadBalancer");
            const controllerNs = d.config.ingress?.controller?.namespace ?? "ingress-nginx";
            return problems([
                [anywhere === needsAnywhere, `${id(np)}: admits anywhere exactly when nodePort/loadBalancer is chosen`],
                [!exposures.includes("ingress") || anywhere || fromNs(controllerNs), `${id(np)}: admits the ingress controller's namespace ${controllerNs}`],
                [!(exposures.includes("clusterIP") || exposures.includes("ingress")) || anywhere || sameNs, `${id(np)}: admits the echo namespace`],
                [np.spec.policyTypes.includes("Ingress"), `${id(np)}: policyTypes includes Ingress`],
            ]);
        },
    },
    {
        name: "ingress controller: webhook on, snippets off, pinned patched chart, resource requests, HA with replicas",
        check: (d) =>
            d.controllers.flatMap((c) => {
                const [major, minor, patch] = String(c.version ?? "0.0.0")
                    .split(".")
                    .map(Number);
                const patched = major > 4 || (major === 4 && (minor > 12 || (minor === 12 && patch >= 1) || (minor === 11 && patch >= 5)));
                const replicas = c.controller.replicaCount ?? 1;
                return problems([
                    [c.controller.admissionWebhooks?.enabled === true, "IngressController: admission webhook on"],
                    ...["createSecretJob", "patchWebhookJob"].map((job): [boolean, string] => [
                        Boolean(
                            c.controller.admissionWebhooks?.[job]?.resources?.requests?.memory && c.controller.admissionWebhooks[job].resources.limits?.memory,
                        ),
                        `IngressController: admission ${job} requests and limits`,
                    ]),
                    [c.controller.allowSnippetAnnotations === false, "IngressController: snippet annotations off"],
                    [patched, `IngressController: chart ${c.version} pinned and patched for CVE-2025-1974`],
                    [Boolean(c.controller.resources?.requests?.cpu && c.controller.resources?.requests?.memory), "IngressController: resource requests"],
                    [replicas === 1 || c.controller.minAvailable >= 1, "IngressController: a PDB (minAvailable) with several replicas"],
                ]);
            }),
    },
    {
        name: "Gateway API: pinned CRDs and chart, controller resources, certificates on HTTPS listeners",
        check: (d) =>
            problems([
                ...d.crdBundles.map((c): [boolean, string] => [
                    lockedBundle(c.file),
                    `ConfigFile ${c.file}: a pinned standard-channel release, verified against upstream.lock.json`,
                ]),
                ...d.charts.map((c): [boolean, string] => [/^v?\d+\.\d+\.\d+$/.test(c.version ?? ""), `Chart ${c.chart}: version pinned`]),
                ...ngfCharts(d).map((c): [boolean, string] => [
                    Boolean(c.values?.nginxGateway?.resources?.requests?.cpu && c.values?.nginx?.container?.resources?.requests?.memory),
                    `Chart ${c.chart}: control-plane and data-plane resource requests`,
                ]),
                ...kindOf(d, "Gateway").flatMap((g) =>
                    g.spec.listeners
                        .filter((l: any) => l.protocol === "HTTPS")
                        .map((l: any): [boolean, string] => [
                            l.tls?.mode === "Terminate" && l.tls.certificateRefs?.length > 0,
                            `${id(g)} listener ${l.name}: terminates TLS with a certificate`,
                        ]),
                ),
            ]),
    },
    {
        name: "cert-manager: a pinned chart that runs its hooks, requests and limits for every pod, certificates and issuers awaited",
        check: (d) =>
            problems([
                ...d.charts
                    .filter((c) => String(c.chart).endsWith("/cert-manager"))
                    .flatMap((c): [boolean, string][] => [
                        [/^v\d+\.\d+\.\d+$/.test(c.version ?? ""), `Chart ${c.chart}: version pinned`],
                        [
                            c.namespace !== undefined && c.values?.global?.leaderElection?.namespace === c.namespace,
                            `Chart ${c.chart}: leader election in its own namespace`,
                        ],
                        [
                            c.values?.webhook?.replicaCount > 1 && c.values.webhook.podDisruptionBudget?.enabled === true,
                            `Chart ${c.chart}: webhook replicas and a PDB`,
                        ],
                        ...[c.values, c.values?.webhook, c.values?.cainjector, c.values?.startupapicheck].map((v, i): [boolean, string] => [
                            Boolean(v?.resources?.requests?.cpu && v?.resources?.limits?.memory),
                            `Chart ${c.chart}: resources of ${["controller", "webhook", "cainjector", "startupapicheck"][i]}`,
                        ]),
                    ]),
                ...d.objects
                    .filter((o) => o.apiVersion.startsWith("cert-manager.io/"))
                    .map((o): [boolean, string] => [o.metadata.annotations?.["pulumi.com/waitFor"] === "condition=Ready", `${id(o)}: waits until Ready`]),
            ]),
    },
    {
        name: "LoadBalancers in production admit only their source ranges",
        check: (d) =>
            d.stack !== "prod"
                ? []
                : problems([
                      ...kindOf(d, "Service")
                          .filter((s) => s.spec.type === "LoadBalancer")
                          .map((s): [boolean, string] => [s.spec.loadBalancerSourceRanges?.length > 0, `${id(s)}: loadBalancerSourceRanges`]),
                      ...d.controllers.map((c): [boolean, string] => [
                          c.controller.service.type !== "LoadBalancer" || c.controller.service.loadBalancerSourceRanges?.length > 0 || answersAcme(d),
                          "IngressController: service.loadBalancerSourceRanges (or open on purpose: it answers Let's Encrypt's HTTP-01)",
                      ]),
                      ...d.controllers.map((c): [boolean, string] => [c.controller.replicaCount > 1, "IngressController: more than one replica in production"]),
                  ]),
    },
];

/** The file is a locked Gateway API bundle, byte for byte (its SHA-256 is the lock's). */
function lockedBundle(file: string): boolean {
    const m = /\/gateway-api\/(v\d+\.\d+\.\d+)\/standard-install\.yaml$/.exec(file);
    const entry = m && findArtifact("gateway-api", m[1])?.files.find((f) => f.path === "standard-install.yaml");
    return Boolean(entry && fs.existsSync(file) && sha256(fs.readFileSync(file)) === entry.sha256);
}

describe("secure and reliable by default", () => {
    const configs: Record<string, Record<string, unknown>> = {
        "three replicas, every exposure": { replicas: "3", exposures: "clusterIP,nodePort,loadBalancer,ingress" },
        "ingress only": { exposures: "ingress" },
        "gateway with TLS": {
            exposures: "gateway",
            replicas: "2",
            ingress: { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }] },
        },
    };
    configs["a canary beside the stable track, through both proxies"] = {
        exposures: "ingress,gateway",
        replicas: "2",
        canary: { text: "canary", replicas: 2, weight: 10, header: { name: "X-Canary" } },
    };
    for (const stack of shippedStacks()) configs[stack] = stackConfig(stack);

    for (const [name, config] of Object.entries(configs)) {
        describe(name, () => {
            let declared: Declared;
            before(async () => {
                const run = await runProgram(config, {}, name);
                declared = {
                    stack: name,
                    config,
                    objects: run.objects,
                    // The ingress-nginx releases' chart values, with the chart version beside them.
                    controllers: run
                        .ofType("kubernetes:helm.sh/v3:Release")
                        .filter((c) => chartName(c.inputs.chart) === "ingress-nginx")
                        .map((c) => ({ ...c.inputs.values, version: c.inputs.version })),
                    charts: run.ofType("kubernetes:helm.sh/v3:Release").map((c) => c.inputs),
                    crdBundles: run.ofType("kubernetes:yaml/v2:ConfigFile").map((c) => c.inputs),
                };
            });
            for (const rule of rules) {
                it(rule.name, () => {
                    const found = rule.check(declared);
                    assert.deepStrictEqual(found, [], `rule "${rule.name}" broken:\n  ${found.join("\n  ")}`);
                });
            }
        });
    }

    it("the rules catch a broken declaration (so they can fail)", () => {
        for (const rule of rules) {
            assert.notDeepStrictEqual(rule.check(brokenDeclaration()), [], `rule "${rule.name}" found nothing wrong in a broken declaration`);
        }
    });

    it("every rule that sees the stable workload sees a second one: the same breakage in the canary's Deployment is found as often", () => {
        for (const rule of rules) {
            const about = (name: string, track: "stable" | "canary") =>
                rule.check(brokenDeclaration(name, track)).filter((p) => p.includes(`Deployment echo/${name}`) && !p.includes(`Deployment echo/${name}-`))
                    .length;
            assert.strictEqual(about("http-echo-canary", "canary"), about("http-echo", "stable"), `rule "${rule.name}"`);
        }
    });

    it("the NetworkPolicy is left out when networkPolicy is false", async () => {
        const run = await runProgram({ networkPolicy: "false" });
        assert.strictEqual(run.objects.filter((o) => o.kind === "NetworkPolicy").length, 0);
    });
});

/** A declaration that breaks every rule; its echo Deployment is `name`, of `track`. */
function brokenDeclaration(name = "http-echo", track: "stable" | "canary" = "stable"): Declared {
    return {
        stack: "prod",
        config: { exposures: ["ingress"] },
        objects: [
            {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name, namespace: "echo" },
                spec: {
                    replicas: 2,
                    selector: { matchLabels: trackSelector(track) },
                    template: { metadata: { labels: podLabels(track, "echo") }, spec: { containers: [{ name: "c", image: "x:latest", ports: [] }] } },
                },
            },
            { apiVersion: "v1", kind: "Service", metadata: { name: "lb", namespace: "echo" }, spec: { type: "LoadBalancer" } },
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "ingress-nginx", labels: { "pod-security.kubernetes.io/enforce": "baseline" } } },
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: "gw", namespace: "echo" },
                spec: { listeners: [{ name: "https", protocol: "HTTPS" }] },
            },
        ],
        charts: [
            { chart: "oci://ghcr.io/nginx/charts/nginx-gateway-fabric", values: {} },
            { chart: "oci://quay.io/jetstack/charts/cert-manager", version: "1.21", values: {} },
        ],
        crdBundles: [{ file: "https://github.com/kubernetes-sigs/gateway-api/releases/latest/download/standard-install.yaml" }],
        controllers: [{ helmOptions: { version: "4.12.0" }, controller: { admissionWebhooks: { enabled: false }, service: { type: "LoadBalancer" } } }],
    };
}
