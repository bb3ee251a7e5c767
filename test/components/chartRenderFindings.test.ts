import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { compareQuantities, quantity } from "../../stacks/kubernetesValues";
import { chartName, ProgramRun, runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";
import { upstreamFile } from "../support/upstreamFiles";

/*
 * What rendering the pinned charts showed (issue 17): cert-manager's leader election left in
 * kube-system, its fail-closed webhook as one pod a node drain takes down, and ingress-nginx's
 * admission Jobs with no requests or limits. Each value is asserted on what the real program
 * declares, for the shipped stacks and variants, and tied to the chart template that reads it.
 */

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CERT_MANAGER = ["cert-manager", "v1.21.1"] as const;
const INGRESS_NGINX = ["ingress-nginx", "4.15.1"] as const;

const chartText = ([name, version]: readonly [string, string], file: string) => fs.readFileSync(upstreamFile(name, version, `chart/${file}`), "utf8");
const releaseOf = (run: ProgramRun, chart: string) => {
    const found = run.ofType(RELEASE).filter((r) => chartName(r.inputs.chart) === chart);
    assert.strictEqual(found.length, 1, `one ${chart} release`);
    return found[0].inputs;
};

const tls = { hosts: ["echo.corp.dev"], tls: [{ hosts: ["echo.corp.dev"], secretName: "echo-tls" }] };
const acme = { email: "platform@corp.dev" };
/** The shipped stacks and variants that switch issuers, solvers, namespaces and controller sizes. */
const configs: Record<string, Record<string, any>> = {
    ...Object.fromEntries(shippedStacks().map((s) => [s, stackConfig(s)])),
    "selfSigned through ingress-nginx": { exposures: "ingress", ingress: tls, certManager: { issuer: "selfSigned" } },
    "selfSigned, cert-manager in namespace tls-system, both proxies": {
        exposures: "ingress,gateway",
        ingress: tls,
        certManager: { issuer: "selfSigned", namespace: "tls-system" },
    },
    "letsEncrypt staging through ingress-nginx, class public, three controllers": {
        exposures: "ingress",
        ingress: { ...tls, className: "public", controller: { replicas: 3 } },
        certManager: { issuer: "letsEncrypt", acme: { ...acme, server: "staging" } },
    },
    "letsEncrypt through the Gateway": { exposures: "gateway", ingress: tls, certManager: { issuer: "letsEncrypt", acme: { ...acme, solver: "gateway" } } },
    "ingress-nginx without TLS, NodePort with hostPort": {
        exposures: "ingress",
        ingress: { controller: { serviceType: "NodePort", nodePorts: { http: 30081, https: 30443 }, hostPort: true } },
    },
};
const exposuresOf = (c: Record<string, any>): string[] => (Array.isArray(c.exposures) ? c.exposures : String(c.exposures).split(","));
const withCertManager = Object.entries(configs).filter(([, c]) => c.certManager !== undefined && c.certManager.install !== false);
const withIngressNginx = Object.entries(configs).filter(([, c]) => exposuresOf(c).includes("ingress"));

/** The labels a Deployment template of cert-manager's chart puts on its pods, for this release (no nameOverride). */
function podLabels(template: string, releaseName: string): Record<string, string> {
    const helpers = chartText(CERT_MANAGER, "templates/_helpers.tpl");
    const chart = (yaml.load(chartText(CERT_MANAGER, "Chart.yaml")) as { name: string }).name;
    const helper = (define: string) => {
        const body = new RegExp(`define "${define.replace(/\./g, "\\.")}" -}}\\s*\\{\\{- (.*?) -}}`).exec(helpers)?.[1] ?? "";
        const literal = /^printf "([\w-]+)"$/.exec(body)?.[1];
        if (literal) return literal;
        if (body.startsWith("default .Chart.Name .Values.nameOverride")) return chart;
        throw new Error(`helper ${define} is not a name this test can evaluate: ${body}`);
    };
    const text = chartText(CERT_MANAGER, template);
    // The pod template's labels: the lines indented under `template.metadata.labels`.
    const block = /\n {2}template:\n {4}metadata:\n {6}labels:\n((?: {8}.*\n)+)/.exec(text)?.[1] ?? "";
    const labels: Record<string, string> = {};
    for (const [, key, raw] of block.matchAll(/^ {8}([\w./-]+): (.+)$/gm)) {
        labels[key] = raw
            .replace(/\{\{ (?:include|template) "([\w.-]+)" \. \}\}/g, (_, d: string) => helper(d))
            .replace("{{ .Release.Name }}", releaseName)
            .replace(/^"(.*)"$/, "$1");
    }
    assert.ok(labels["app.kubernetes.io/component"], `${template}: pod labels found`);
    return labels;
}

const isSubset = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("from the chart renders (issue 17)", () => {
    describe("cert-manager v1.21.1: leader election in cert-manager's own namespace, not kube-system", () => {
        it("the chart puts the controller's and the cainjector's leader-election Roles, RoleBindings and --leader-election-namespace where global.leaderElection.namespace says (kube-system by default)", () => {
            const defaults = yaml.load(chartText(CERT_MANAGER, "values.yaml")) as any;
            assert.strictEqual(defaults.global.leaderElection.namespace, "kube-system");
            for (const rbac of ["templates/rbac.yaml", "templates/cainjector-rbac.yaml"]) {
                const uses = chartText(CERT_MANAGER, rbac).match(/^ {2}namespace: \{\{ \.Values\.global\.leaderElection\.namespace \}\}$/gm) ?? [];
                assert.strictEqual(uses.length, 2, `${rbac}: the Role and its RoleBinding`);
            }
            for (const deployment of ["templates/deployment.yaml", "templates/cainjector-deployment.yaml"]) {
                assert.match(
                    chartText(CERT_MANAGER, deployment),
                    /\{\{- with \.Values\.global\.leaderElection \}\}\s*- --leader-election-namespace=\{\{ \.namespace \}\}/,
                );
            }
        });

        for (const [name, config] of withCertManager) {
            const expected = config.certManager.namespace ?? "cert-manager";
            it(`${name}: the controller and cainjector elect their leaders in ${expected}, the release's own namespace`, async () => {
                const release = releaseOf(await runProgram(config, {}, name), "cert-manager");
                assert.strictEqual(release.namespace, expected);
                assert.deepStrictEqual(release.values.global, { leaderElection: { namespace: expected } });
                assert.notStrictEqual(release.values.global.leaderElection.namespace, "kube-system");
            });
        }
    });

    describe("cert-manager v1.21.1: a node drain leaves a webhook answering", () => {
        it("the chart's webhook configurations fail closed, and its PodDisruptionBudget keeps one pod (minAvailable 1) when given no bound", () => {
            for (const file of ["templates/webhook-validating-webhook.yaml", "templates/webhook-mutating-webhook.yaml"]) {
                assert.match(chartText(CERT_MANAGER, file), /^ {4}failurePolicy: Fail$/m, file);
            }
            const pdb = chartText(CERT_MANAGER, "templates/webhook-poddisruptionbudget.yaml");
            assert.match(pdb, /^\{\{- if \.Values\.webhook\.podDisruptionBudget\.enabled \}\}/);
            assert.match(
                pdb,
                /hasKey \.Values\.webhook\.podDisruptionBudget "minAvailable"\) \(hasKey \.Values\.webhook\.podDisruptionBudget "maxUnavailable"\)\) \}\}\s*minAvailable: 1/,
            );
        });

        for (const [name, config] of withCertManager) {
            it(`${name}: two webhook replicas, the chart's PodDisruptionBudget on (one pod may go, one stays), spread across nodes`, async () => {
                const release = releaseOf(await runProgram(config, {}, name), "cert-manager");
                const webhook = release.values.webhook;
                assert.strictEqual(webhook.replicaCount, 2, "in every stack, dev included");
                assert.deepStrictEqual(webhook.podDisruptionBudget, { enabled: true }, "no bound set: the chart's minAvailable 1 applies");
                assert.ok(webhook.replicaCount - 1 >= 1, "a drain may evict one webhook pod while another answers");
                assert.strictEqual(webhook.topologySpreadConstraints.length, 1);
                const [spread] = webhook.topologySpreadConstraints;
                assert.strictEqual(spread.topologyKey, "kubernetes.io/hostname");
                assert.strictEqual(spread.maxSkew, 1);
                assert.strictEqual(spread.whenUnsatisfiable, "ScheduleAnyway", "a one-node cluster (kind) still schedules both");
                assert.ok(webhook.resources.requests.cpu && webhook.resources.limits.memory, "still with its requests and limits");
            });

            it(`${name}: the spread selects exactly the webhook's pods as the chart labels them, not the controller's or the cainjector's`, async () => {
                const release = releaseOf(await runProgram(config, {}, name), "cert-manager");
                const selector = release.values.webhook.topologySpreadConstraints[0].labelSelector.matchLabels;
                assert.ok(isSubset(selector, podLabels("templates/webhook-deployment.yaml", release.name)), JSON.stringify(selector));
                assert.strictEqual(selector["app.kubernetes.io/instance"], release.name);
                for (const other of ["templates/deployment.yaml", "templates/cainjector-deployment.yaml"]) {
                    assert.ok(!isSubset(selector, podLabels(other, release.name)), `${other}'s pods are not counted`);
                }
            });
        }

        it("a stack that leaves an installed cert-manager alone declares no release to change", async () => {
            const run = await runProgram({
                exposures: "ingress",
                ingress: tls,
                certManager: { issuer: { kind: "ClusterIssuer", name: "corp" }, install: false },
            });
            assert.strictEqual(run.ofType(RELEASE).filter((r) => chartName(r.inputs.chart) === "cert-manager").length, 0);
        });
    });

    describe("ingress-nginx 4.15.1: the admission webhook's create and patch Jobs have requests and limits", () => {
        const jobs = { createSecretJob: "job-createSecret.yaml", patchWebhookJob: "job-patchWebhook.yaml" } as const;

        it("the chart's hook Jobs take their container resources from controller.admissionWebhooks.<job>.resources, empty by default", () => {
            const defaults = yaml.load(chartText(INGRESS_NGINX, "values.yaml")) as any;
            for (const [key, file] of Object.entries(jobs)) {
                assert.deepStrictEqual(defaults.controller.admissionWebhooks[key].resources, {}, key);
                const template = chartText(INGRESS_NGINX, `templates/admission-webhooks/job-patch/${file}`);
                assert.ok(template.includes(`resources: {{ toYaml .Values.controller.admissionWebhooks.${key}.resources | nindent 12 }}`), file);
                assert.match(template, /"helm\.sh\/hook": (pre|post)-install,/, `${file} is a hook Job`);
            }
        });

        for (const [name, config] of withIngressNginx) {
            it(`${name}: both Jobs request CPU and memory and are capped, small, whatever the controller's own size`, async () => {
                const controller = releaseOf(await runProgram(config, {}, name), "ingress-nginx").values.controller;
                assert.strictEqual(controller.admissionWebhooks.enabled, true);
                for (const key of Object.keys(jobs)) {
                    const r = controller.admissionWebhooks[key].resources;
                    for (const kind of ["cpu", "memory"] as const) {
                        const request = quantity(`${key}.requests.${kind}`, r.requests[kind], kind);
                        const limit = quantity(`${key}.limits.${kind}`, r.limits[kind], kind);
                        assert.ok(compareQuantities(request, limit) <= 0, `${key}: ${kind} request within its limit`);
                        const cap = quantity("cap", kind === "cpu" ? "250m" : "128Mi", kind);
                        assert.ok(compareQuantities(limit, cap) <= 0, `${key}: a small ${kind} limit (${limit.text})`);
                    }
                }
                assert.notDeepStrictEqual(controller.admissionWebhooks.createSecretJob.resources, controller.resources, "not the controller's size");
            });
        }
    });
});
