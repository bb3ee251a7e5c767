/*
 * The critical path of a `pulumi up`: the longest chain of dependent resource operations, each
 * weighted by how long the engine took on it (from its events: the resource's pre-event to its
 * outputs event). Dependencies are the state's: `dependencies`, and the provider a resource uses.
 * A dependency on a component is one on everything under it: `dependsOn` a component waits for its
 * children (the Node.js SDK expands a local component to its children; a remote one, such as
 * yaml/v2's ConfigFile, finishes its registration when its children are done).
 *
 * The operations' times start when the engine starts the step, not when it was ready: time a step
 * waits for one of the engine's `--parallel` slots is outside the path (and inside up's wall time).
 */

export type OperationTimes = Map<string, { start: number; end: number; op: string }>;

interface StateResource {
    urn: string;
    /** Only custom resources have operations of their own: a component's events span its children. */
    custom?: boolean;
    dependencies?: string[];
    provider?: string;
    parent?: string;
}

/** A provider reference in state is `<provider URN>::<id>`. */
const providerUrn = (ref: string) => ref.split("::").slice(0, -1).join("::");

export function criticalPath(times: OperationTimes, resources: StateResource[]): { ms: number; chain: string[] } {
    const custom = new Set(resources.filter((r) => r.custom).map((r) => r.urn));
    const children = new Map<string, string[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
    const deps = new Map(
        resources.map((r) => [
            r.urn,
            [...(r.dependencies ?? []), ...(r.provider ? [providerUrn(r.provider)] : []), ...(custom.has(r.urn) ? [] : (children.get(r.urn) ?? []))],
        ]),
    );
    const memo = new Map<string, { ms: number; chain: string[] }>();
    const longest = (urn: string, seen: Set<string>): { ms: number; chain: string[] } => {
        const known = memo.get(urn);
        if (known) return known;
        if (seen.has(urn)) return { ms: 0, chain: [] }; // no cycles in a valid state; guard anyway
        seen.add(urn);
        const t = custom.has(urn) ? times.get(urn) : undefined;
        const own = t ? t.end - t.start : 0;
        let best = { ms: 0, chain: [] as string[] };
        for (const d of deps.get(urn) ?? []) {
            const c = longest(d, seen);
            if (c.ms > best.ms) best = c;
        }
        const result = { ms: best.ms + own, chain: own > 0 ? [...best.chain, `${shortName(urn)} ${(own / 1000).toFixed(1)} s`] : best.chain };
        memo.set(urn, result);
        return result;
    };
    let best = { ms: 0, chain: [] as string[] };
    for (const urn of deps.keys()) {
        const c = longest(urn, new Set());
        if (c.ms > best.ms) best = c;
    }
    return best;
}

/** `type::name` of a URN, without the stack, project and parent chain. */
function shortName(urn: string): string {
    const parts = urn.split("::");
    const types = parts[2].split("$");
    return `${types[types.length - 1]}::${parts[3]}`;
}
