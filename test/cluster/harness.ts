import { execFile, execFileSync, ExecFileSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../support/program";
import { promisify } from "util";

/*
 * What test:cluster needs around the checks: where the tools and the local control plane are,
 * kubectl against it, a file backend of its own, and a tally that ends in `N passed, N failed`.
 */

export const TOOLS = process.env.ECHO_EXPOSURE_TOOLS ?? path.join(os.homedir(), ".cache", "echo-exposure", "tools");
export const BIN = path.join(TOOLS, "bin");
export const STATE = process.env.ECHO_EXPOSURE_CLUSTER ?? path.join(os.homedir(), ".cache", "echo-exposure", "cluster");
export const KUBECONFIG = path.join(STATE, "kubeconfig");
export const CONTEXT = "kind-echo";
/** The kubernetes provider version the SDK in package.json asks the engine for. */
export const PROVIDER_VERSION: string = require(path.join(ROOT, "node_modules", "@pulumi", "kubernetes", "package.json")).version;

/** The binaries the tier needs, by the name cluster:build gives them. */
export const REQUIRED_TOOLS = [
    "pulumi",
    "pulumi-resource-kubernetes",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubectl",
    "etcd",
    "kwok",
    "helm",
];

export function missingTools(): string[] {
    return REQUIRED_TOOLS.filter((t) => !fs.existsSync(path.join(BIN, t)));
}

/** The environment every child (pulumi, kubectl, helm, the program) runs with: only the local cluster, no network. */
export function clusterEnv(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        PATH: `${BIN}:${process.env.PATH}`,
        KUBECONFIG,
        PULUMI_HOME: path.join(STATE, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // Only the plugin cache, never a stray binary on PATH of another version.
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        ...extra,
    };
    return env;
}

export function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): string {
    return execFileSync(cmd, args, { encoding: "utf8", env: clusterEnv(), stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024, ...opts }) as string;
}

/** `run`, without blocking this process's event loop (a CPU sampler on it keeps sampling). */
export function runAsync(cmd: string, args: string[]): Promise<string> {
    return promisify(execFile)(cmd, args, { encoding: "utf8", env: clusterEnv(), maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout);
}

export function kubectl(...args: string[]): string {
    return run(path.join(BIN, "kubectl"), ["--context", CONTEXT, ...args]);
}

export function kubectlAsync(...args: string[]): Promise<string> {
    return runAsync(path.join(BIN, "kubectl"), ["--context", CONTEXT, ...args]);
}

/** Milliseconds as seconds, to a tenth. */
export const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** A figure to a hundredth (CPU seconds, ratios). */
export const hundredths = (x: number) => Math.round(x * 100) / 100;

/** A Kubernetes object as JSON, or undefined when it does not exist. */
export function getObject(kind: string, name: string, namespace?: string): any {
    try {
        return JSON.parse(kubectl("get", kind, name, ...(namespace ? ["-n", namespace] : []), "-o", "json"));
    } catch {
        return undefined;
    }
}

export function listObjects(kind: string, namespace?: string): any[] {
    return JSON.parse(kubectl("get", kind, ...(namespace ? ["-n", namespace] : ["-A"]), "-o", "json")).items;
}

/** Pass/fail lines as the checks go, and the closing tally. */
export class Tally {
    passed = 0;
    failed = 0;
    readonly failures: string[] = [];

    check(name: string, ok: boolean, detail = ""): boolean {
        if (ok) {
            this.passed++;
            console.log(`  ok    ${name}`);
        } else {
            this.failed++;
            this.failures.push(`${name}${detail ? `: ${detail}` : ""}`);
            console.log(`  FAIL  ${name}${detail ? `\n        ${detail.split("\n").join("\n        ")}` : ""}`);
        }
        return ok;
    }

    /** Runs a step; an exception is a failure with its message, and the step's result is returned. */
    async step<T>(name: string, fn: () => Promise<T> | T): Promise<T | undefined> {
        const start = Date.now();
        try {
            const result = await fn();
            this.check(`${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`, true);
            return result;
        } catch (e) {
            this.check(name, false, String((e as Error).message ?? e).slice(0, 4000));
            return undefined;
        }
    }
}

/** The project files a workspace needs, copied to a scratch folder (creating a stack writes its salt into the stack file). */
export function scratchProject(stack: string, edit: (config: string) => string = (c) => c): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `echo-exposure-${stack}-`));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), edit(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")));
    return dir;
}
