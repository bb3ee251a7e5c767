import { Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CpuUse, measureCpu } from "./cpu";
import { criticalPath } from "./criticalPath";
import { scratchProject, seconds, STATE, Tally } from "./harness";
import { openStack, timer } from "./stack";
import { runPeer } from "./peer";

/*
 * `npm run bench:up` (issue 29): the dev stack's `pulumi up` against the tutorial reader's way (the
 * peer: three `helm install --wait` one after another, `kubectl apply`, `kubectl wait`), run
 * alternately on the same control plane, after one warm-up of each. `up` runs the program as
 * test:cluster does, inline in this process (stack.ts: the Go module proxy refuses the Node.js
 * language host), so the program's CPU is this process's own during `up`, which also holds the
 * Automation API's language server, its event stream and the sampler. Each run gives wall time, the
 * critical path of `up` (criticalPath.ts), and CPU per process group (cpu.ts). Prints a table and
 * writes STATE/bench.json. Slow (minutes a run): not part of `npm test` or `.ci/run`.
 */

export interface BenchRun {
    up: number;
    criticalPath: number;
    /** The critical path's resources, and the ten longest operations of `up` (s). */
    chain: string[];
    longest: Record<string, number>;
    upCpu: CpuUse;
    peer: number;
    peerCpu: CpuUse;
}

/** A scratch project folder with another checkout's Pulumi.yaml and Pulumi.dev.yaml. */
function projectOf(checkout: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-bench-"));
    for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(checkout, f), path.join(dir, f));
    return dir;
}

const PROGRAM_GROUP = "program (inline: this process)";

async function oneUp(stack: Stack, log: (s: string) => void): Promise<Pick<BenchRun, "up" | "criticalPath" | "chain" | "longest" | "upCpu">> {
    const clock = timer();
    const start = Date.now();
    const own = process.cpuUsage();
    const [, cpu] = await measureCpu(() => stack.up({ onEvent: clock.onEvent, onOutput: log }));
    const program = process.cpuUsage(own);
    const up = seconds(Date.now() - start);
    const cp = criticalPath(clock.times, (await stack.exportStack()).deployment.resources);
    await stack.destroy({ onOutput: log });
    const upCpu = {
        total: r2(cpu.total + (program.user + program.system) / 1e6),
        groups: { ...cpu.groups, [PROGRAM_GROUP]: r2((program.user + program.system) / 1e6) },
    };
    const longest = [...clock.times]
        .map(([urn, t]) => [urn.split("::").slice(-1)[0], seconds(t.end - t.start)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10);
    return { up, criticalPath: seconds(cp.ms), chain: cp.chain, longest: Object.fromEntries(longest), upCpu };
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
    // ECHO_EXPOSURE_BENCH_FROM=<another checkout>: that checkout's program and dev config (to find
    // when `up` got slower), with this checkout's SDK, CLI and peer.
    const from = process.env.ECHO_EXPOSURE_BENCH_FROM;
    const stack = from ? await openStack("dev", projectOf(from), backend, path.join(from, "index.ts")) : await openStack("dev", scratchProject("dev"), backend);
    if (from) console.log(`bench: the program and dev config of ${from}`);
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
