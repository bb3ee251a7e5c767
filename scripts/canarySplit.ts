import { Check, CheckOptions, get } from "./checkUrls";

/*
 * The canary's share of requests, checked against a real cluster: through each proxy, n requests
 * counted by the text each answer carries (the stable and the canary answer differently), the
 * canary's count within a tolerance that cannot flake, and every request with the canary header
 * answered by the canary. Used by scripts/e2e-check.ts (--canary). Needs a cluster: `npm test`
 * runs only the arithmetic (test/scripts/canarySplit.test.ts).
 *
 * Both proxies draw each request's backend independently at random (docs/verification.md,
 * "Canary split"): ingress-nginx's balancer.lua draws math.random per request, NGINX Gateway
 * Fabric's split_clients hashes $request_id, which is random per request. So the canary's count
 * among n requests is Binomial(n, weight/100), and the tolerance is that distribution's central
 * interval holding all but `FALSE_ALARM` of it: a correct split fails the check at most once in a
 * billion runs. What it catches depends on n: at 20 % and 100 requests the interval is 1-47 (no
 * split and all-to-the-canary fail; an even split passes about a third of the time); at 300 it is
 * 22-105, which an even split fails too. The e2e workflow sends 300.
 */

/** How often a correct split may fall outside the tolerance. */
export const FALSE_ALARM = 1e-9;

/** log(n choose k) + k log p + (n-k) log(1-p), the log of the binomial probability of k. */
function logPmf(n: number, k: number, p: number): number {
    let logChoose = 0;
    for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
    return logChoose + (k === 0 ? 0 : k * Math.log(p)) + (k === n ? 0 : (n - k) * Math.log(1 - p));
}

/**
 * The canary counts among `n` requests that a `weight` % split gives with probability at least
 * 1 - FALSE_ALARM: [low, high], cutting at most FALSE_ALARM / 2 from each tail. Weight 0 and 100
 * are exact: no draw can send a request the other way.
 */
export function splitTolerance(n: number, weight: number): { low: number; high: number } {
    if (weight <= 0) return { low: 0, high: 0 };
    if (weight >= 100) return { low: n, high: n };
    const p = weight / 100;
    const pmf = Array.from({ length: n + 1 }, (_, k) => Math.exp(logPmf(n, k, p)));
    let low = 0;
    for (let tail = pmf[0]; tail <= FALSE_ALARM / 2 && low < n; tail += pmf[++low]);
    let high = n;
    for (let tail = pmf[n]; tail <= FALSE_ALARM / 2 && high > 0; tail += pmf[--high]);
    return { low, high };
}

/** How many answers carried which text. */
export interface Counts {
    stable: number;
    canary: number;
    /** Anything else: an error page, a third text. */
    other: string[];
}

/** The verdict on counted answers: every answer is one of the two texts, the canary's count within the tolerance. */
export function judgeSplit(counts: Counts, weight: number): { ok: boolean; detail: string } {
    const n = counts.stable + counts.canary + counts.other.length;
    const { low, high } = splitTolerance(n, weight);
    const within = counts.canary >= low && counts.canary <= high;
    const ok = counts.other.length === 0 && within;
    const others = counts.other.length > 0 ? `; ${counts.other.length} other answers, e.g. ${JSON.stringify(counts.other[0])}` : "";
    return { ok, detail: `canary ${counts.canary}/${n} (weight ${weight} %: ${low}-${high} expected), stable ${counts.stable}${others}` };
}

/** Every request with the header reaches the canary. */
export function judgeHeader(counts: Counts): { ok: boolean; detail: string } {
    const n = counts.stable + counts.canary + counts.other.length;
    return { ok: counts.canary === n && n > 0, detail: `canary ${counts.canary}/${n} with the header (all expected)` };
}

export interface CanaryOutput {
    weight: number;
    header?: { name: string; value: string };
}

export interface SplitOptions extends Pick<CheckOptions, "ca" | "resolveTo"> {
    stableText: string;
    canaryText: string;
    /** Requests per count (100: the canary output's commands send as many). */
    requests?: number;
}

async function count(url: string, options: SplitOptions, headers: Record<string, string>): Promise<Counts> {
    const counts: Counts = { stable: 0, canary: 0, other: [] };
    for (let i = 0; i < (options.requests ?? 100); i++) {
        let answer: string;
        try {
            const r = await get(url, { ...options, headers });
            answer = r.status === 200 ? r.body.trim() : `${r.status} ${r.body.trim().slice(0, 60)}`;
        } catch (e) {
            answer = String(e);
        }
        // The canary's text may contain the stable one ("hello from the dev stack (canary)"): test it first.
        if (answer === options.canaryText) counts.canary++;
        else if (answer === options.stableText) counts.stable++;
        else counts.other.push(answer);
    }
    return counts;
}

/** Through each URL of each proxy: the split, and (with a header) the header's requests. */
export async function checkCanary(canary: CanaryOutput, urls: Record<string, string[]>, options: SplitOptions): Promise<Check[]> {
    const checks: Check[] = [];
    for (const [proxy, url] of Object.entries(urls).flatMap(([p, list]) => (list.length > 0 ? list : [""]).map((u) => [p, u] as const))) {
        if (!/^https?:\/\//.test(url)) {
            checks.push({ what: `canary split (${proxy})`, url, ok: false, detail: "no URL to count through" });
            continue;
        }
        checks.push({ what: `canary split (${proxy})`, url, ...judgeSplit(await count(url, options, {}), canary.weight) });
        if (canary.header) {
            const counts = await count(url, options, { [canary.header.name]: canary.header.value });
            checks.push({ what: `canary header ${canary.header.name} (${proxy})`, url, ...judgeHeader(counts) });
        }
    }
    return checks;
}
