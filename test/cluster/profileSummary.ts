/*
 * Pure summaries of what `BENCH_PROFILE=1 npm run bench:up` records (issue 29): the engine's gRPC
 * log, the API server's request counters, and a V8 CPU profile of the program's process.
 */

export interface ProviderOperation {
    /** The resource's name and type (the type's last segment). */
    resource: string;
    /** Seconds in the provider, by gRPC method (Check, Diff, Create, Configure, ...). */
    seconds: Record<string, number>;
}

/** To a hundredth (this module stays pure: harness.ts's `hundredths` comes with the harness). */
const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The provider's calls per resource, from PULUMI_DEBUG_GRPC's log: one JSON object a line, with
 * `method`, `request` and `duration` in nanoseconds (sdk v3.276.0
 * go/pulumi-internal/rpcdebug/logformat.go). Lines of other services, and started-only entries, are
 * left out. Sorted by the longest call first.
 */
export function providerOperations(log: string): ProviderOperation[] {
    const byResource = new Map<string, Record<string, number>>();
    for (const line of log.split("\n")) {
        let e: { method?: string; request?: { urn?: string }; duration?: number; progress?: string };
        try {
            e = JSON.parse(line);
        } catch {
            continue;
        }
        const [, service, method] = (e.method ?? "").split("/");
        const urn = e.request?.urn;
        if (service !== "pulumirpc.ResourceProvider" || !urn || (e.progress && e.progress !== "response_completed")) continue;
        const parts = urn.split("::");
        const resource = `${parts[parts.length - 1]} (${parts[2].split("$").pop()!.split(":").pop()})`;
        const seconds = byResource.get(resource) ?? {};
        seconds[method] = r2((seconds[method] ?? 0) + (e.duration ?? 0) / 1e9);
        byResource.set(resource, seconds);
    }
    const longest = (s: Record<string, number>) => Math.max(...Object.values(s));
    return [...byResource]
        .map(([resource, seconds]) => ({ resource, seconds }))
        .sort((a, b) => longest(b.seconds) - longest(a.seconds) || a.resource.localeCompare(b.resource));
}

/** `apiserver_request_total` summed by verb and resource, from the API server's /metrics text. */
export function apiRequests(metrics: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of metrics.split("\n")) {
        const m = /^apiserver_request_total\{(.*)\} (\S+)$/.exec(line);
        if (!m) continue;
        const l = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        // A request for a path that names no resource (/api, /apis, /openapi/v3) has it as its subresource.
        const what = l.resource ? `${l.group ? `${l.group}/` : ""}${l.resource}${l.subresource ? `/${l.subresource}` : ""}` : l.subresource;
        const key = `${l.verb} ${what}`;
        out.set(key, (out.get(key) ?? 0) + Number(m[2]));
    }
    return out;
}

/** Requests made between two readings, watches left out (they stay open), most first. */
export function requestsBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
    return [...after]
        .map(([k, n]) => [k, n - (before.get(k) ?? 0)] as [string, number])
        .filter(([k, n]) => n > 0 && !k.startsWith("WATCH "))
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[];
    samples: number[];
    timeDeltas: number[];
}

/** Where a URL's code comes from: a package of node_modules, Node.js itself, or the project. */
function origin(url: string): string {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) return pkg[1];
    if (url.startsWith("node:")) return "Node.js";
    return url ? "project" : "(native)";
}

/** A V8 CPU profile's sampled time (s) by where the code comes from, idle left out, most first. */
export function profileByOrigin(profile: CpuProfile): [string, number][] {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const micros = new Map<string, number>();
    profile.samples.forEach((id, i) => {
        const frame = nodes.get(id)!;
        if (frame.functionName === "(idle)") return;
        const key = frame.functionName === "(garbage collector)" ? "(garbage collector)" : origin(frame.url);
        micros.set(key, (micros.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    return [...micros].map(([k, us]) => [k, r2(us / 1e6)] as [string, number]).sort((a, b) => b[1] - a[1]);
}
