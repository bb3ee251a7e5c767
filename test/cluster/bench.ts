import { EngineEvent, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../support/program";
import { CpuUse, measureCpu } from "./cpu";
import { criticalPath, OperationTimes } from "./criticalPath";
import { clusterEnv, STATE, Tally, TOOLS } from "./harness";
import { runPeer } from "./peer";

/*
 * `npm run bench:up` (issue 29): the dev stack's `pulumi up` against the tutorial reader's way (the
 * peer: three `helm install --wait` one after another, `kubectl apply`, `kubectl wait`), run
 * alternately on the same control plane, after one warm-up of each. `up` runs as a user runs it:
 * the CLI starts the Node.js language host on the project (not an inline program), so the
 * program's start and its TypeScript loading are in the figures. Each run gives wall time, the
 * critical path of `up` (criticalPath.ts), and CPU per process group (cpu.ts). Prints a table and
 * writes STATE/bench.json. Slow (minutes a run): not part of `npm test` or `.ci/run`.
 */

const PASSPHRASE = "echo-exposure-bench";

export interface BenchRun {
    up: number;
    criticalPath: number;
    upCpu: CpuUse;
    peer: number;
    peerCpu: CpuUse;
}

/** A project folder whose Pulumi.yaml runs this checkout's program (`main`), as `pulumi up` there would. */
function benchProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-bench-"));
    const project = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `${project}\nmain: ${path.relative(dir, ROOT)}\n`);
    fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    return dir;
}

async function devStack(backend: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
        { stackName: "dev", workDir: benchProject() },
        {
            pulumiCommand: await PulumiCommand.get({ root: TOOLS }),
            envVars: { ...clusterEnv(), PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
        },
    );
}

/** Resource operations' start and end, from the engine's events. */
function operationTimes(): { onEvent: (e: EngineEvent) => void; times: OperationTimes } {
    const times: OperationTimes = new Map();
    return {
        times,
        onEvent: (e) => {
            const pre = e.resourcePreEvent?.metadata;
            if (pre && pre.op !== "same") times.set(pre.urn, { start: Date.now(), end: Date.now(), op: pre.op });
            const done = e.resOutputsEvent?.metadata;
            const t = done && times.get(done.urn);
            if (t) t.end = Date.now();
        },
    };
}

const tenths = (ms: number) => Math.round(ms / 100) / 10;

async function oneUp(stack: Stack, log: (s: string) => void): Promise<Pick<BenchRun, "up" | "criticalPath" | "upCpu">> {
    const clock = operationTimes();
    const start = Date.now();
    const [, upCpu] = await measureCpu(() => stack.up({ onEvent: clock.onEvent, onOutput: log }));
    const up = tenths(Date.now() - start);
    const cp = criticalPath(clock.times, (await stack.exportStack()).deployment.resources);
    await stack.destroy({ onOutput: log });
    return { up, criticalPath: tenths(cp.ms), upCpu };
}

async function onePeer(): Promise<Pick<BenchRun, "peer" | "peerCpu">> {
    let peerCpu: CpuUse = { total: 0, groups: {} };
    const result = await runPeer(async (op) => {
        const [r, cpu] = await measureCpu(op);
        peerCpu = cpu;
        return r;
    });
    return { peer: result.total, peerCpu };
}

export async function benchUp(t: Tally, backend: string, rounds: number): Promise<BenchRun[]> {
    const logFile = path.join(STATE, "logs", "pulumi-bench.log");
    const log = (s: string) => fs.appendFileSync(logFile, s);
    const stack = await devStack(backend);
    console.log(`bench: warm-up (one up and destroy, one peer), then ${rounds} runs of up and the peer, alternately`);
    await oneUp(stack, log);
    await onePeer();
    const runs: BenchRun[] = [];
    for (let i = 0; i < rounds; i++) {
        const run = { ...(await oneUp(stack, log)), ...(await onePeer()) };
        runs.push(run);
        console.log(
            `  run ${i + 1}: up ${run.up} s (critical path ${run.criticalPath} s, CPU ${run.upCpu.total} s); peer ${run.peer} s (CPU ${run.peerCpu.total} s)`,
        );
    }
    await stack.workspace.removeStack("dev").catch(() => undefined);
    console.log(benchTable(runs));
    fs.writeFileSync(path.join(STATE, "bench.json"), JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, runs }, null, 2) + "\n");
    t.check(`bench: ${rounds} runs of up and the peer`, runs.length === rounds);
    return runs;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Markdown: each run, then min / median / max of every figure, and the CPU per group. */
export function benchTable(runs: BenchRun[]): string {
    const rows: [string, (r: BenchRun) => number][] = [
        ["`pulumi up` wall (s)", (r) => r.up],
        ["its critical path (s)", (r) => r.criticalPath],
        ["up / critical path", (r) => r2(r.up / r.criticalPath)],
        ["peer wall (s)", (r) => r.peer],
        ["peer / up", (r) => r2(r.peer / r.up)],
        ["up CPU (s)", (r) => r.upCpu.total],
        ["peer CPU (s)", (r) => r.peerCpu.total],
        ["up CPU / peer CPU", (r) => r2(r.upCpu.total / r.peerCpu.total)],
    ];
    const groups = [...new Set(runs.flatMap((r) => [...Object.keys(r.upCpu.groups), ...Object.keys(r.peerCpu.groups)]))].sort();
    for (const g of groups) {
        rows.push([`up CPU: ${g} (s)`, (r) => r2(r.upCpu.groups[g] ?? 0)], [`peer CPU: ${g} (s)`, (r) => r2(r.peerCpu.groups[g] ?? 0)]);
    }
    const head = `| | ${runs.map((_, i) => `run ${i + 1}`).join(" | ")} | min | median | max |`;
    const line = `| --- | ${runs.map(() => "---").join(" | ")} | --- | --- | --- |`;
    const body = rows.map(([name, f]) => {
        const xs = runs.map(f);
        return `| ${name} | ${xs.join(" | ")} | ${Math.min(...xs)} | ${r2(median(xs))} | ${Math.max(...xs)} |`;
    });
    return [head, line, ...body].join("\n");
}
