import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { MIRROR_ENV, resolveFile } from "../../upstream/resolver";
import { ROOT } from "../support/program";
import { BIN, CONTEXT, kubectl, kubectlAsync, run, runAsync, seconds } from "./harness";

/*
 * The peer of the dev stack's `pulumi up`, timed on the same control plane: what the tutorial's
 * reader does by hand. The Gateway API CRDs by `kubectl apply --server-side`, the three charts by
 * `helm install --wait` one after another (the same chart folders and the values the program
 * passes, from `npm run render`), then `kubectl apply` of the echo objects and a wait for what
 * Pulumi waits for (the Deployment, the Certificates, the Gateway). Everything is removed after.
 */

export interface PeerResult {
    total: number;
    steps: Record<string, number>;
}

const HELM = () => path.join(BIN, "helm");

/** `measure` wraps the timed part (the installs and waits, not the render before them or the removal after). */
export async function runPeer(measure: <T>(op: () => Promise<T>) => Promise<T> = (op) => op()): Promise<PeerResult> {
    const mirror = process.env[MIRROR_ENV];
    if (!mirror) throw new Error(`the peer installs the charts from the mirror: set ${MIRROR_ENV}`);
    run(process.execPath, [path.join(ROOT, "node_modules", ".bin", "ts-node"), "--transpile-only", path.join(ROOT, "scripts", "render.ts"), "dev"], {
        cwd: ROOT,
    });
    const docs = (yaml.loadAll(fs.readFileSync(path.join(ROOT, "render", "dev", "manifests.yaml"), "utf8")) as any[]).filter(Boolean);
    const releases = docs.filter((d) => d["# pulumi component"] === "kubernetes:helm.sh/v3:Release").map((d) => d.inputs);
    const objects = docs.filter((d) => d.apiVersion && d.kind);
    const namespaces = objects.filter((o) => o.kind === "Namespace");
    const rest = objects.filter((o) => o.kind !== "Namespace");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-peer-"));
    const write = (name: string, body: unknown[]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, body.map((b) => yaml.dump(b)).join("---\n"));
        return file;
    };
    const steps: Record<string, number> = {};
    const timedStep = async (name: string, fn: () => Promise<unknown>) => {
        const start = Date.now();
        await fn();
        steps[name] = seconds(Date.now() - start);
    };
    const install = async () => {
        const start = Date.now();
        await timedStep("kubectl apply --server-side the Gateway API CRDs", () =>
            kubectlAsync("apply", "--server-side", "-f", resolveFile("gateway-api", "v1.5.1", "standard-install.yaml")),
        );
        await timedStep("kubectl apply the namespaces", () => kubectlAsync("apply", "-f", write("namespaces.yaml", namespaces)));
        // The order the program's dependencies give: ingress-nginx, NGINX Gateway Fabric, then cert-manager.
        const order = ["ingress-nginx", "nginx-gateway-fabric", "cert-manager"];
        for (const name of order) {
            const r = releases.find((x) => String(x.chart).includes(`/${name}/`));
            if (!r) throw new Error(`no ${name} release in the render`);
            const values = path.join(dir, `${name}.values.json`);
            fs.writeFileSync(values, JSON.stringify(r.values ?? {}));
            const chart = String(r.chart).replace(`$${MIRROR_ENV}`, mirror);
            await timedStep(`helm install --wait ${name}`, () =>
                runAsync(HELM(), ["--kube-context", CONTEXT, "install", r.name, chart, "-n", r.namespace, "--wait", "--timeout", "10m", "-f", values]),
            );
        }
        await timedStep("kubectl apply the echo objects", () => kubectlAsync("apply", "-f", write("objects.yaml", rest)));
        await timedStep("kubectl wait (Deployment Available, Certificates Ready, Gateway Programmed)", async () => {
            await kubectlAsync("wait", "--for=condition=Available", "deployment/http-echo", "-n", "echo", "--timeout=300s");
            await kubectlAsync("wait", "--for=condition=Ready", "certificates.cert-manager.io", "--all", "-n", "echo", "--timeout=300s");
            await kubectlAsync("wait", "--for=condition=Programmed", "gateways.gateway.networking.k8s.io", "--all", "-n", "echo", "--timeout=300s");
        });
        return seconds(Date.now() - start);
    };
    try {
        return { total: await measure(install), steps };
    } finally {
        for (const r of releases) {
            try {
                run(HELM(), ["--kube-context", CONTEXT, "uninstall", r.name, "-n", r.namespace, "--wait"]);
            } catch {
                // not installed: the step that failed says why
            }
        }
        kubectl("delete", "--ignore-not-found", "--wait=true", "-f", write("namespaces.yaml", namespaces));
        kubectl("delete", "--ignore-not-found", "-f", resolveFile("gateway-api", "v1.5.1", "standard-install.yaml"));
    }
}
