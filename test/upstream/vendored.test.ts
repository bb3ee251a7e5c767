import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { loadManifest, VENDOR } from "../../scripts/vendorManifest";
import { ROOT, runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";

/*
 * The vendored upstream artifacts are the release files themselves (vendor/manifest.json: where
 * each comes from and its SHA-256), and what they say decides how the program installs them:
 * a chart with Helm hooks needs an installer that runs hooks, and a chart's kubeVersion bounds
 * the cluster the dev recipe makes.
 */

/** Ours, not upstream's: notes beside the artifacts. */
const OWN_FILES = new Set(["manifest.json", "README.md", "SOURCE.md"]);

function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Installers that run a chart's hooks: a Helm release (and the ingress-nginx component, which makes one). */
const RUNS_HOOKS = ["kubernetes:helm.sh/v3:Release", "kubernetes-ingress-nginx:index:IngressController"];

interface InstalledChart {
    installer: string;
    chart: string;
    version: string;
}

/** The charts a run installs, by which mechanism. */
function installedCharts(run: Awaited<ReturnType<typeof runProgram>>): InstalledChart[] {
    return [
        ...["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"].flatMap((type) =>
            run.ofType(type).map((r) => ({ installer: type, chart: String(r.inputs.chart).split("/").pop()!, version: r.inputs.version })),
        ),
        ...run
            .ofType("kubernetes-ingress-nginx:index:IngressController")
            .map((r) => ({ installer: r.type, chart: "ingress-nginx", version: r.inputs.helmOptions.version })),
    ];
}

/**
 * The files of a vendored chart that carry a helm.sh/hook annotation, with their hook types:
 * templates, and values.yaml, where some charts (cert-manager) keep the hook annotations.
 */
export function hookTemplates(chart: string, version: string): Record<string, string[]> {
    const dir = path.join(VENDOR, chart, version);
    const templates = path.join(dir, "templates");
    const found: Record<string, string[]> = {};
    const files = [...(fs.existsSync(templates) ? filesUnder(templates) : []), path.join(dir, "values.yaml")];
    for (const file of files) {
        const hooks = [...fs.readFileSync(file, "utf8").matchAll(/"?helm\.sh\/hook"?:\s*"?([a-z, -]+)"?/g)].flatMap((m) =>
            m[1].split(",").map((h) => h.trim()),
        );
        if (hooks.length > 0) found[path.relative(templates, file).replace(/^\.\.\//, "")] = [...new Set(hooks)];
    }
    return found;
}

/** What is wrong with how these charts are installed: unknown (not vendored) versions, hooks that would not run. */
function hookProblems(charts: InstalledChart[]): string[] {
    return charts.flatMap((c) => {
        if (!fs.existsSync(path.join(VENDOR, c.chart, c.version))) return [`${c.chart} ${c.version} is not vendored, so its hooks are unknown`];
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

describe("vendored upstream artifacts", () => {
    const manifest = loadManifest();

    it("are listed in vendor/manifest.json with their source URL, and unchanged since (SHA-256)", () => {
        const listed = new Set(manifest.files.map((f) => f.path));
        const present = filesUnder(VENDOR)
            .map((f) => path.relative(VENDOR, f))
            .filter((f) => !OWN_FILES.has(path.basename(f)));
        assert.deepStrictEqual(
            present.filter((f) => !listed.has(f)),
            [],
            "every vendored file is in the manifest",
        );
        for (const f of manifest.files) {
            assert.match(f.url, /^https:\/\/(github\.com|raw\.githubusercontent\.com)\//, f.path);
            const sha = createHash("sha256")
                .update(fs.readFileSync(path.join(VENDOR, f.path)))
                .digest("hex");
            assert.strictEqual(sha, f.sha256, `${f.path} differs from the release artifact: re-vendor with npm run vendor:refresh -- --write, never edit`);
        }
    });

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
        it(`${name}: every chart with Helm hooks is installed by a mechanism that runs them, at a vendored version`, async () => {
            const run = await runProgram(config, {}, name);
            assert.deepStrictEqual(hookProblems(installedCharts(run)), []);
        });
    }

    it("the hook check fails for a chart with hooks under helm.v4.Chart (which skips hooks), and for an unvendored version", () => {
        assert.match(
            hookProblems([{ installer: "kubernetes:helm.sh/v4:Chart", chart: "nginx-gateway-fabric", version: "2.6.7" }]).join(),
            /certs-job\.yaml.*does not run them/,
        );
        assert.match(hookProblems([{ installer: "kubernetes:helm.sh/v3:Release", chart: "nginx-gateway-fabric", version: "2.6.6" }]).join(), /not vendored/);
    });

    it("the kind recipe's pinned node image meets every vendored chart's kubeVersion (and Gateway API 1.5's floor, 1.31)", () => {
        const cluster = yaml.load(fs.readFileSync(path.join(ROOT, "kind", "cluster.yaml"), "utf8")) as { nodes: { image?: string }[] };
        for (const node of cluster.nodes) {
            const m = /^kindest\/node:v(\d+\.\d+\.\d+)@sha256:[0-9a-f]{64}$/.exec(node.image ?? "");
            assert.ok(m, `a node image pinned by tag and digest: ${node.image}`);
            const floors = [
                "1.31.0",
                ...filesUnder(VENDOR)
                    .filter((f) => path.basename(f) === "Chart.yaml")
                    .map(kubeVersionFloor),
            ];
            for (const floor of floors) assert.ok(newerOrSame(m[1], floor), `Kubernetes ${m[1]} >= ${floor}`);
        }
    });
});
