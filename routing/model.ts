import { withoutUndefined } from "../components/outputs";
import { PathType } from "../components/routing";
import { AnyFeature, GatewayRender, NgfPolicy, Proxy, PROXY_NAMES, Verdict } from "./feature";
import { FEATURES } from "./features";

/*
 * The routing model: each host's traffic policies (routing.<policy>, with routing.hosts[i].<policy>
 * over it), rendered for each proxy. Pure functions: stacks/ calls them while it reads the config,
 * and hands the components plain data (annotations, filters, policy specs).
 */

/** A host's policies: a feature's key and its value (absent: not set). */
export type Policies = Record<string, unknown>;

/**
 * A host's policies over the top level's: a host's object-valued policy is merged key by key over
 * the top level's (a host may change one timeout), any other value replaces it.
 */
export function hostPolicies(top: Policies, host: Policies): Policies {
    const out: Policies = { ...top };
    for (const [k, v] of Object.entries(host)) {
        if (v === undefined) continue;
        const t = top[k];
        out[k] = isObject(v) && isObject(t) ? { ...t, ...withoutUndefined(v) } : v;
    }
    return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The features set in `policies`, with their values. */
export function inUse(policies: Policies): { feature: AnyFeature; value: unknown }[] {
    return FEATURES.filter((f) => policies[f.key] !== undefined).map((feature) => ({ feature, value: policies[feature.key] }));
}

/** The ingress-nginx annotations of an Ingress serving routes with these policies. */
export function ingressAnnotations(policies: Policies): Record<string, string> {
    return Object.assign({}, ...inUse(policies).map(({ feature, value }) => feature.ingress(value)));
}

/** The path an Ingress gives `route` under these policies: the route's own unless a feature changes it. */
export function ingressPath(policies: Policies, route: { path: string; pathType: PathType }): { path: string; pathType: PathType } {
    return inUse(policies).reduce((r, { feature, value }) => feature.ingressPath?.(value, r) ?? r, { path: route.path, pathType: route.pathType });
}

/**
 * The HTTPRoute filters and NGF policies for routes with these policies. `ngf`: the program
 * installs NGINX Gateway Fabric, so its policy CRDs exist: only then are ingress-nginx's defaults
 * made explicit on the Gateway (an existing Gateway may be another implementation).
 */
export function gatewayRender(policies: Policies, ngf: boolean): GatewayRender {
    const renders = FEATURES.map((f) => (policies[f.key] !== undefined ? f.gateway(policies[f.key]) : ngf ? f.gatewayDefault : undefined));
    const filters = renders.flatMap((r) => r?.filters ?? []);
    // One policy object per kind: two features writing one kind (none today) merge their specs.
    const byKind = new Map<string, NgfPolicy>();
    for (const p of renders.flatMap((r) => r?.policies ?? [])) {
        const seen = byKind.get(p.kind);
        byKind.set(p.kind, seen ? { ...seen, spec: { ...seen.spec, ...p.spec } } : p);
    }
    // Without NGF installed by the program its policy CRDs may not exist: no policy objects (the
    // refusals and the parity report say what is lost).
    return { filters, policies: ngf ? [...byKind.values()] : [] };
}

/** A feature's verdict for one proxy, given what that proxy is. */
export function verdictFor(feature: AnyFeature, value: unknown, proxy: Proxy, ngf: boolean): Verdict {
    const v = feature.verdict(value)[proxy];
    if (proxy === "gateway" && v.level !== "unsupported" && !ngf && feature.gateway(value).policies.length > 0) {
        return {
            level: "unsupported",
            why: `it needs NGINX Gateway Fabric's policy objects, and this Gateway is not NGINX Gateway Fabric installed by this program`,
            alternative: "gateway.controller.install: true without gateway.existing, or the equivalent policy of your Gateway's implementation",
        };
    }
    return v;
}

export { PROXY_NAMES };
