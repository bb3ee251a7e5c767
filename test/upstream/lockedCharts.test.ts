import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { findArtifact, loadLock } from "../../upstream/lock";
import { chartName, ROOT, runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";
import { upstreamFile, upstreamFiles } from "../support/upstreamFiles";

/*
 * The locked charts (upstream.lock.json, read through the resolver) decide how the program
 * installs them: a chart with Helm hooks needs an installer that runs hooks, and a chart's
 * kubeVersion bounds the cluster the dev recipe makes.
 */

/** Installers that run a chart's hooks: a Helm release (helm.v4.Chart renders templates and skips hooks). */
const RUNS_HOOKS = ["kubernetes:helm.sh/v3:Release"];

interface InstalledChart {
    installer: string;
    chart: string;
    version: string;
}

/** The charts a run installs, by which mechanism. */
function installedCharts(run: Awaited<ReturnType<typeof runProgram>>): InstalledChart[] {
    return [
        ...["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"].flatMap((type) =>
            run.ofType(type).map((r) => ({ installer: type, chart: chartName(r.inputs.chart), version: r.inputs.version })),
        ),
    ];
}

/**
 * The files of a locked chart that carry a helm.sh/hook annotation, with their hook types:
 * templates, and values.yaml, where some charts (cert-manager) keep the hook annotations.
 */
export function hookTemplates(chart: string, version: string): Record<string, string[]> {
    const found: Record<string, string[]> = {};
    const templates = upstreamFiles(chart, version, "chart/templates/");
    const files = [
        ...templates.map((f) => ({ f, key: f.split("/chart/templates/").pop()! })),
        { f: upstreamFile(chart, version, "chart/values.yaml"), key: "values.yaml" },
    ];
    for (const { f, key } of files) {
        const hooks = [...fs.readFileSync(f, "utf8").matchAll(/"?helm\.sh\/hook"?:\s*"?([a-z, -]+)"?/g)].flatMap((m) => m[1].split(",").map((h) => h.trim()));
        if (hooks.length > 0) found[key] = [...new Set(hooks)];
    }
    return found;
}

/** What is wrong with how these charts are installed: unknown (not locked) versions, hooks that would not run. */
function hookProblems(charts: InstalledChart[]): string[] {
    return charts.flatMap((c) => {
        if (!findArtifact(c.chart, c.version)) return [`${c.chart} ${c.version} is not locked, so its hooks are unknown`];
        const hooks = Object.keys(hookTemplates(c.chart, c.version));
        return hooks.length > 0 && !RUNS_HOOKS.includes(c.installer) ? [`${c.chart} has hooks (${hooks.join(", ")}) but ${c.installer} does not run them`] : [];
    });
}

function kubeVersionFloor(chartYaml: string): string {
    const chart = yaml.load(fs.readFileSync(chartYaml, "utf8")) as { kubeVersion: string };
    const m = /^>=\s*(\d+\.\d+\.\d+)/.exec(chart.kubeVersion);
    assert.ok(m, `a '>= x.y.z' kubeVersion in ${chartYaml}: ${chart.kubeVersion}`);
    return m[1];
}

const newerOrSame = (a: string, b: string) => {
    const [x, y] = [a, b].map((v) => v.split(".").map(Number));
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
    return true;
};

describe("locked upstream charts", () => {
    it("NGINX Gateway Fabric's chart makes its TLS Secrets in a pre-install hook; ingress-nginx's admission webhook certs too; cert-manager checks its API post-install", () => {
        assert.deepStrictEqual(hookTemplates("cert-manager", "v1.21.1")["values.yaml"], ["post-install"]);
        assert.deepStrictEqual(hookTemplates("nginx-gateway-fabric", "2.6.7")["certs-job.yaml"].sort(), ["pre-install", "pre-upgrade"]);
        assert.deepStrictEqual(hookTemplates("ingress-nginx", "4.15.1")["admission-webhooks/job-patch/job-createSecret.yaml"].sort(), [
            "pre-install",
            "pre-upgrade",
        ]);
    });

    const configs: Record<string, Record<string, unknown>> = {
        ...Object.fromEntries(shippedStacks().map((s) => [s, stackConfig(s)])),
        "gateway and ingress": { exposures: "ingress,gateway" },
    };
    for (const [name, config] of Object.entries(configs)) {
        it(`${name}: every chart with Helm hooks is installed by a mechanism that runs them, at a locked version`, async () => {
            const run = await runProgram(config, {}, name);
            assert.deepStrictEqual(hookProblems(installedCharts(run)), []);
        });
    }

    it("the hook check fails for a chart with hooks under helm.v4.Chart (which skips hooks), and for a version that is not locked", () => {
        assert.match(
            hookProblems([{ installer: "kubernetes:helm.sh/v4:Chart", chart: "nginx-gateway-fabric", version: "2.6.7" }]).join(),
            /certs-job\.yaml.*does not run them/,
        );
        assert.match(hookProblems([{ installer: "kubernetes:helm.sh/v3:Release", chart: "nginx-gateway-fabric", version: "2.6.6" }]).join(), /not locked/);
    });

    it("the kind recipe's pinned node image meets every locked chart's kubeVersion (and Gateway API 1.5's floor, 1.31)", () => {
        const cluster = yaml.load(fs.readFileSync(path.join(ROOT, "kind", "cluster.yaml"), "utf8")) as { nodes: { image?: string }[] };
        for (const node of cluster.nodes) {
            const m = /^kindest\/node:v(\d+\.\d+\.\d+)@sha256:[0-9a-f]{64}$/.exec(node.image ?? "");
            assert.ok(m, `a node image pinned by tag and digest: ${node.image}`);
            const floors = [
                "1.31.0",
                ...loadLock()
                    .artifacts.filter((a) => a.chart)
                    .map((a) => kubeVersionFloor(upstreamFile(a.name, a.version, "chart/Chart.yaml"))),
            ];
            for (const floor of floors) assert.ok(newerOrSame(m[1], floor), `Kubernetes ${m[1]} >= ${floor}`);
        }
    });
});
