import { CANARY } from "../components/ingressNginxAnnotations";
import { annotationValue, goInt } from "../routing/feature";
import { ConfigError } from "../config/errors";
import { httpHeaderName } from "../config/validate";
import { headerValue } from "../stacks/canary";
import type { IngressReport, MigrationReport } from "./report";
import { Manifest } from "./manifests";

/*
 * ingress-nginx's canary Ingresses (`canary: "true"`, internal/ingress/annotations/canary/main.go at
 * controller-v1.15.1) merged into the program's one `canary`: a header first, then the weight.
 */

const { weight: WEIGHT, weightTotal: TOTAL, byHeader: HEADER, byHeaderValue: HEADER_VALUE, byHeaderPattern: HEADER_PATTERN, byCookie: COOKIE } = CANARY;
/** The canary annotations besides `canary` itself. */
export const CANARY_ANNOTATIONS: string[] = [WEIGHT, TOTAL, HEADER, HEADER_VALUE, HEADER_PATTERN, COOKIE];

/** The routes a canary can attach to: its host and path must be a main Ingress's. */
interface Routed {
    host?: string;
    /** The path as its main Ingress wrote it. */
    ingressPath: string;
}

/** The canary Ingresses, in ingress-nginx's order: the first that attaches to a route becomes `canary`; the report covers each. */
export function canaryOf(canaries: Manifest[], routes: Routed[], report: MigrationReport): { config: Record<string, unknown> } | undefined {
    let chosen: { config: Record<string, unknown>; name: string } | undefined;
    for (const m of canaries) {
        const o = m.object;
        const name = [o.metadata?.namespace, o.metadata?.name ?? "(no name)"].filter((x) => x !== undefined).join("/");
        const a: Record<string, string> = o.metadata?.annotations ?? {};
        const entry: IngressReport = { ingress: name, source: m.source, canary: true, rules: [], annotations: [], notes: [] };
        report.ingresses.push(entry);
        let attached = 0;
        for (const rule of o.spec?.rules ?? []) {
            for (const p of rule.http?.paths ?? []) {
                const i = routes.findIndex((r) => r.host === rule.host && r.ingressPath === (p.path ?? "/"));
                const backend = p.backend?.service
                    ? `${p.backend.service.name}:${p.backend.service.port?.number ?? p.backend.service.port?.name}`
                    : "a resource backend";
                entry.rules.push({
                    host: rule.host ?? "*",
                    path: p.path ?? "/",
                    pathType: p.pathType,
                    backend,
                    becomes:
                        i >= 0
                            ? `the canary of routing.hosts[${i}]`
                            : "not migrated: no main Ingress routes this host and path (ingress-nginx ignores such a canary)",
                });
                if (i >= 0) attached++;
            }
        }
        const config = attached > 0 && !chosen ? canaryConfig(a, entry) : undefined;
        if (config) {
            chosen = { config, name };
            if (attached < routes.length) entry.notes.push(`the program's canary splits every route; this canary covered ${attached} of ${routes.length}`);
            entry.notes.push("canary.text is what the program's own http-echo canary answers (set it); its image is the stable one unless canary.image is set");
        } else {
            entry.notes.push(
                chosen
                    ? `the program has one canary for every route: ${chosen.name}'s is migrated, this one is not`
                    : "attaches to no migrated route: not migrated",
            );
            for (const [k, v] of Object.entries(a))
                entry.annotations.push({ annotation: k, value: v, gateway: "unsupported: this canary is not migrated", becomes: "dropped" });
        }
    }
    return chosen && { config: chosen.config };
}

/** The canary's weight and header, with a verdict per annotation. */
function canaryConfig(a: Record<string, string>, entry: IngressReport): Record<string, unknown> {
    const verdict = (annotation: string, gateway: string, becomes: string) => entry.annotations.push({ annotation, value: a[annotation], gateway, becomes });
    const total = goInt(annotationValue(a, TOTAL) ?? "") ?? 100;
    const w = Math.min(goInt(annotationValue(a, WEIGHT) ?? "") ?? 0, total);
    const weight = Math.round((w * 100) / total);
    const weightNote = weight * total === w * 100 ? "exact" : `approximate: ${w} of ${total} is ${weight} % (canary.weight is a whole percentage)`;
    const header = headerOf(a);
    for (const k of Object.keys(a)) {
        if (k === CANARY.canary) verdict(k, "exact", "canary");
        else if (k === WEIGHT || k === TOTAL) verdict(k, weightNote, "canary.weight");
        else if (k === HEADER || k === HEADER_VALUE) verdict(k, header.verdict, header.value ? "canary.header" : "dropped");
        else if (k === HEADER_PATTERN)
            verdict(
                k,
                a[HEADER_VALUE]
                    ? "exact: ignored beside canary-by-header-value, as ingress-nginx ignores it"
                    : "unsupported: the canary's header matches one exact value (no regex)",
                "dropped",
            );
        else if (k === COOKIE) verdict(k, "unsupported: the program's canary has no cookie match (the Gateway API has none)", "dropped");
        else verdict(k, "exact: ingress-nginx ignores it on a canary Ingress (the main Ingress's apply)", "dropped");
    }
    return { text: "canary", weight, ...(header.value ? { header: header.value } : {}) };
}

/** canary-by-header (+ -value): the program's header match, where both proxies take it. */
function headerOf(a: Record<string, string>): { value?: { name: string; value: string }; verdict: string } {
    const name = annotationValue(a, HEADER);
    if (name === undefined) return { verdict: "exact: no header without canary-by-header" };
    const value = annotationValue(a, HEADER_VALUE);
    try {
        httpHeaderName("canary.header.name", name);
        if (value !== undefined) headerValue("canary.header.value", value);
    } catch (e) {
        if (e instanceof ConfigError) return { verdict: `unsupported: ${e.allowed}` };
        throw e;
    }
    if (value !== undefined) return { value: { name, value }, verdict: "exact" };
    // Without a value, ingress-nginx sends `always` to the canary and `never` to the stable track.
    return {
        value: { name, value: "always" },
        verdict: "approximate: 'always' goes to the canary on both; 'never' falls through to the weight here (ingress-nginx keeps it on the stable track)",
    };
}
