import { Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CpuUse, measureCpu } from "./cpu";
import { criticalPath } from "./criticalPath";
import { hundredths as r2, scratchProject, seconds, STATE, Tally, TOOLS } from "./harness";
import { openStack, timer } from "./stack";
import { runPeer } from "./peer";
import { CliCall, timedCli } from "./timedCli";
import { profileUp } from "./benchProfile";

/*
 * `npm run bench:up` (issue 29): the dev stack's `pulumi up` against the tutorial reader's way (the
 * peer: three `helm install --wait` one after another, `kubectl apply`, `kubectl wait`), run
 * alternately on the same control plane, after one warm-up of each. `up` runs the program as
 * test:cluster does, inline in this process (stack.ts: the Go module proxy refuses the Node.js
 * language host), so the program's CPU is this process's own during `up` less the sampler's, which
 * also holds the Automation API's language server and its event stream. `up` is the CLI's `up`
 * command alone (timedCli.ts): the Automation API's after-up commands are reported apart. Each run
 * gives wall time, its phases, the critical path of `up` (criticalPath.ts), and CPU per process
 * group (cpu.ts). Prints a table and writes STATE/bench.json. Slow (minutes a run): not part of
 * `npm test` or `.ci/run`.
 */

export interface BenchRun {
    /** `pulumi up`: the CLI's `up` command, start to exit. */
    up: number;
    /** What `stack.up()` adds after it: the Automation API's `stack output` and `stack history`. */
    automationAfterUp: number;
    /** Where `up`'s wall time goes: CLI start to the first resource operation, the operations, the last one's end to the CLI's exit. */
    phases: { start: number; operations: number; finish: number };
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
const ENGINE_GROUP = "engine (pulumi CLI)";
const AUTOMATION_GROUP = "Automation API's stack output and history (not part of up)";

type Calls = () => CliCall[];

async function oneUp(stack: Stack, calls: Calls, log: (s: string) => void): Promise<Omit<BenchRun, "peer" | "peerCpu">> {
    const clock = timer();
    const start = Date.now();
    const seen = calls().length;
    const own = process.cpuUsage();
    const [, cpu] = await measureCpu(() => stack.up({ onEvent: clock.onEvent, onOutput: log }));
    const mine = process.cpuUsage(own);
    const total = Date.now() - start;
    const made = calls().slice(seen);
    const upCall = made.find((c) => c.command === "up");
    if (!upCall) throw new Error("bench: the timed CLI logged no `up` command");
    const after = made.filter((c) => c !== upCall);
    const cp = criticalPath(clock.times, (await stack.exportStack()).deployment.resources);
    await stack.destroy({ onOutput: log });
    // This process ran the program, and also the sampler and the Automation API's client side.
    const program = r2((mine.user + mine.system) / 1e6 - cpu.sampler);
    const afterCpu = r2(after.reduce((sum, c) => sum + c.cpu, 0));
    // A cross-check: the kernel's count of everything stack.up() started is the CLI commands' sum.
    log(`bench: CPU of stack.up()'s commands ${cpu.total} s; up ${upCall.cpu} s + after-up ${afterCpu} s\n`);
    const upCpu: CpuUse = {
        total: r2(upCall.cpu + program),
        // The after-up commands are pulumi processes too: out of the engine's sampled figure.
        groups: { ...cpu.groups, [ENGINE_GROUP]: r2((cpu.groups[ENGINE_GROUP] ?? 0) - afterCpu), [PROGRAM_GROUP]: program, [AUTOMATION_GROUP]: afterCpu },
        sampler: cpu.sampler,
    };
    const ops = [...clock.times.values()];
    const firstOp = Math.min(...ops.map((t) => t.start));
    const lastOp = Math.max(...ops.map((t) => t.end));
    const phases = { start: seconds(firstOp - upCall.start), operations: seconds(lastOp - firstOp), finish: seconds(upCall.end - lastOp) };
    const longest = [...clock.times]
        .map(([urn, t]) => [urn.split("::").slice(-1)[0], seconds(t.end - t.start)] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10);
    return {
        up: seconds(upCall.end - upCall.start),
        automationAfterUp: seconds(total - (upCall.end - upCall.start)),
        phases,
        criticalPath: seconds(cp.ms),
        chain: cp.chain,
        longest: Object.fromEntries(longest),
        upCpu,
    };
}

async function onePeer(): Promise<Pick<BenchRun, "peer" | "peerCpu">> {
    let peerCpu: CpuUse = { total: 0, groups: {}, sampler: 0 };
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
    // ECHO_EXPOSURE_BENCH_CLI=<folder>: a folder whose bin/pulumi is another CLI (an older release).
    const cliRoot = process.env.ECHO_EXPOSURE_BENCH_CLI ?? TOOLS;
    const cli = timedCli(cliRoot);
    const workDir = from ? projectOf(from) : scratchProject("dev");
    const stack = await openStack("dev", workDir, backend, from ? path.join(from, "index.ts") : undefined, cli.root);
    if (from) console.log(`bench: the program and dev config of ${from}`);
    if (cliRoot !== TOOLS) console.log(`bench: the CLI in ${cliRoot}`);
    console.log(`bench: warm-up (one up and destroy, one peer), then ${rounds} runs of up and the peer, alternately`);
    await oneUp(stack, cli.calls, log);
    await onePeer();
    const runs: BenchRun[] = [];
    for (let i = 0; i < rounds; i++) {
        const run = { ...(await oneUp(stack, cli.calls, log)), ...(await onePeer()) };
        runs.push(run);
        console.log(
            `  run ${i + 1}: up ${run.up} s (critical path ${run.criticalPath} s, CPU ${run.upCpu.total} s); peer ${run.peer} s (CPU ${run.peerCpu.total} s)`,
        );
    }
    console.log(benchTable(runs));
    if (process.env.BENCH_PROFILE) console.log(`bench: profiles (${path.join(STATE, "bench-profile")})\n\n${await profileUp(stack, log)}`);
    await stack.workspace.removeStack("dev").catch(() => undefined);
    fs.writeFileSync(path.join(STATE, "bench.json"), JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, runs }, null, 2) + "\n");
    t.check(`bench: ${rounds} runs of up and the peer`, runs.length === rounds);
    return runs;
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Markdown: each run, then min / median / max of every figure, and the CPU per group. */
export function benchTable(runs: BenchRun[]): string {
    const rows: [string, (r: BenchRun) => number][] = [
        ["`pulumi up` wall (s)", (r) => r.up],
        ["its critical path (s)", (r) => r.criticalPath],
        ["up / critical path", (r) => r2(r.up / r.criticalPath)],
        ["up: start, to the first resource operation (s)", (r) => r.phases.start],
        ["up: resource operations (s)", (r) => r.phases.operations],
        ["up: the last operation's end to the CLI's exit (s)", (r) => r.phases.finish],
        ["Automation API after up (not part of up) (s)", (r) => r.automationAfterUp],
        ["peer wall (s)", (r) => r.peer],
        ["peer / up", (r) => r2(r.peer / r.up)],
        ["up CPU (s)", (r) => r.upCpu.total],
        ["peer CPU (s)", (r) => r.peerCpu.total],
        ["up CPU / peer CPU", (r) => r2(r.upCpu.total / r.peerCpu.total)],
        ["the sampler's own CPU during up (not counted) (s)", (r) => r.upCpu.sampler],
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
