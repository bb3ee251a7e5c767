import { Stack } from "@pulumi/pulumi/automation";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as inspector from "inspector";
import * as path from "path";
import { kubectl, STATE } from "./harness";
import { apiRequests, profileByOrigin, providerOperations, requestsBetween } from "./profileSummary";

/*
 * `BENCH_PROFILE=1 npm run bench:up` (issue 29): after the timed rounds, two more `up`s that show
 * where the time and the CPU go, into STATE/bench-profile/ (summary.md, printed too):
 *   1. with PULUMI_DEBUG_GRPC, which logs every gRPC call with its duration: the provider's Check
 *      and Create per resource (the log slows `up`, so its CPU is not read from this one);
 *   2. with the engine's Go CPU profile (`pulumi --profiling`), this process's V8 CPU profile (the
 *      program, inline), and the API server's request counters read before and after.
 * Not timed: profiling costs CPU of its own.
 */

const DIR = path.join(STATE, "bench-profile");

/** Runs `op` under this process's V8 CPU profiler and writes the profile to `file`. */
async function withV8Profile<T>(file: string, op: () => Promise<T>): Promise<T> {
    const session = new inspector.Session();
    session.connect();
    const post = (method: string, params: object = {}) =>
        new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
    await post("Profiler.enable");
    await post("Profiler.start");
    try {
        return await op();
    } finally {
        const { profile } = await post("Profiler.stop");
        fs.writeFileSync(file, JSON.stringify(profile));
        session.disconnect();
    }
}

/** `go tool pprof -top` of the engine's profile, when Go is on PATH (it is on the machines that build the control plane). */
function pprofTop(profile: string): string {
    const pulumi = process.env.ECHO_EXPOSURE_REAL_PULUMI ?? "pulumi";
    const r = spawnSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=30", pulumi, profile], { encoding: "utf8" });
    return r.status === 0 ? r.stdout : `(go tool pprof -top -cum ${pulumi} ${profile}: ${r.error?.message ?? r.stderr})`;
}

const table = (head: string[], rows: (string | number)[][]) =>
    [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export async function profileUp(stack: Stack, log: (s: string) => void): Promise<string> {
    fs.rmSync(DIR, { recursive: true, force: true });
    fs.mkdirSync(DIR, { recursive: true });
    const env = stack.workspace.envVars;

    const grpcLog = path.join(DIR, "grpc.json");
    env.PULUMI_DEBUG_GRPC = grpcLog;
    await stack.up({ onOutput: log });
    delete env.PULUMI_DEBUG_GRPC;
    await stack.destroy({ onOutput: log });
    const operations = providerOperations(fs.readFileSync(grpcLog, "utf8"));

    // timedCli.ts's wrapper adds these to the `up` command.
    env.ECHO_EXPOSURE_CLI_UP_ARGS = `--profiling ${path.join(DIR, "engine")}`;
    const before = apiRequests(kubectl("get", "--raw", "/metrics"));
    await withV8Profile(path.join(DIR, "program.cpuprofile"), () => stack.up({ onOutput: log }));
    const requests = requestsBetween(before, apiRequests(kubectl("get", "--raw", "/metrics")));
    delete env.ECHO_EXPOSURE_CLI_UP_ARGS;
    await stack.destroy({ onOutput: log });
    const engineProfile = fs.readdirSync(DIR).find((f) => f.startsWith("engine.") && f.endsWith(".cpu"));

    const program = profileByOrigin(JSON.parse(fs.readFileSync(path.join(DIR, "program.cpuprofile"), "utf8")));
    const summary = [
        "## The provider's calls per resource (s; from the run with PULUMI_DEBUG_GRPC)",
        table(
            ["resource", "calls"],
            operations.map((o) => [
                o.resource,
                Object.entries(o.seconds)
                    .map(([m, s]) => `${m} ${s}`)
                    .join(", "),
            ]),
        ),
        `## The API server's requests during up, watches left out (${requests.reduce((n, [, c]) => n + c, 0)} in all)`,
        table(["verb and resource", "requests"], requests.slice(0, 25)),
        "## This process's CPU during up (the program inline, the Automation API's server): sampled seconds by origin",
        table(["origin", "s"], program.slice(0, 15)),
        "## The engine's CPU profile (`go tool pprof -top -cum`)",
        "```",
        engineProfile ? pprofTop(path.join(DIR, engineProfile)).trim() : "(no profile written)",
        "```",
    ].join("\n\n");
    fs.writeFileSync(path.join(DIR, "summary.md"), summary + "\n");
    return summary;
}
