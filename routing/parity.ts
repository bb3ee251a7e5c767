import { AnyFeature, Proxy, PROXIES, PROXY_NAMES, verdictText } from "./feature";
import { FEATURES } from "./features";
import { inUse, Policies, verdictFor } from "./model";

/** routing.parity: what happens to a policy an enabled proxy cannot express. */
export const PARITY_MODES = ["strict", "report"] as const;
export type ParityMode = (typeof PARITY_MODES)[number];

/** One route as the parity report sees it. */
export interface ParityRoute {
    /** host + path, `*` for any host. */
    route: string;
    policies: Policies;
}

/** The `parity` stack output: per route and feature in use, each enabled proxy's verdict; then whether DNS can move. */
export interface ParityReport {
    /** Per route (host + path): per feature or annotation in use, per enabled proxy, its verdict. */
    routes: Record<string, Record<string, Partial<Record<Proxy, string>>>>;
    /** Behaviour that differs between the proxies where nothing is set, and the program cannot make it the same. */
    defaults: string[];
    /** `ready`, or `blocked: <what would change for clients if DNS moved from one proxy to the other>`; or why it does not apply. */
    cutover: string;
}

export interface ParityInput {
    routes: ParityRoute[];
    enabled: Record<Proxy, boolean>;
    /** The program installs NGINX Gateway Fabric (its policy objects exist). */
    ngf: boolean;
    /** `ingress.annotations` the model does not cover: they reach ingress-nginx only. */
    ingressOnlyAnnotations: string[];
}

/**
 * The parity report. Each feature's verdict per enabled proxy; a feature is a difference for
 * cutover when the two proxies' verdicts are not both exact. Every `ingress.annotations` entry is
 * ingress-nginx only, so a difference too.
 */
export function parityReport(input: ParityInput): ParityReport {
    const proxies = PROXIES.filter((p) => input.enabled[p]);
    const differences: string[] = [];
    const routes: ParityReport["routes"] = {};
    for (const r of input.routes) {
        const row: Record<string, Partial<Record<Proxy, string>>> = {};
        for (const { feature, value } of inUse(r.policies)) {
            const verdicts = Object.fromEntries(proxies.map((p) => [p, verdictFor(feature, value, p, input.ngf)]));
            row[feature.key] = Object.fromEntries(proxies.map((p) => [p, verdictText(verdicts[p])]));
            const notExact = proxies.filter((p) => verdicts[p].level !== "exact");
            if (notExact.length > 0) differences.push(`${r.route}: ${feature.key} is ${notExact.map((p) => `${verdicts[p].level} on ${p}`).join(", ")}`);
        }
        for (const a of input.ingressOnlyAnnotations) {
            row[a] = { ingress: "exact", ...(input.enabled.gateway ? { gateway: `ingress-nginx only: ${a}` } : {}) };
            if (input.enabled.gateway) differences.push(`${r.route}: ${a} reaches ingress-nginx only`);
        }
        routes[r.route] = row;
    }
    const defaults = defaultDifferences(input);
    differences.push(...defaults);
    return { routes, defaults, cutover: cutover(input.enabled, differences) };
}

/** The defaults the Gateway keeps where the program cannot make them ingress-nginx's. */
function defaultDifferences(input: ParityInput): string[] {
    if (!input.enabled.gateway || input.ngf) return [];
    const unset = (f: AnyFeature) => input.routes.some((r) => r.policies[f.key] === undefined);
    return FEATURES.filter((f) => f.gatewayDefault && unset(f)).map(
        (f) =>
            `${f.key}: ingress-nginx's default is not made explicit on a Gateway this program does not install (${PROXY_NAMES.gateway} policy objects need it)`,
    );
}

function cutover(enabled: Record<Proxy, boolean>, differences: string[]): string {
    if (!enabled.ingress || !enabled.gateway) {
        const which = enabled.ingress ? "only ingress is" : enabled.gateway ? "only gateway is" : "neither ingress nor gateway is";
        return `not applicable: ${which} an exposure; list both to compare them before moving DNS`;
    }
    return differences.length === 0 ? "ready" : `blocked: ${differences.join("; ")}`;
}
