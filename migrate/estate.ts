import { PathType } from "../components/routing";
import { INGRESS_NGINX } from "../components/ingressNginxAnnotations";
import { annotationValue, AnyFeature, goBool, verdictText } from "../routing/feature";
import { FEATURES } from "../routing/features";
import { verdictFor } from "../routing/model";
import { DEFAULTS } from "../stacks/defaults";
import { ConfigError } from "../config/errors";
import { ingressAnnotations } from "../stacks/ingress";
import { CANARY_ANNOTATIONS, canaryOf } from "./canary";
import { Manifest } from "./manifests";
import { AnnotationVerdict, IngressReport, MigrationReport, RuleReport } from "./report";

export type { AnnotationVerdict, IngressReport, MigrationReport, RuleReport };

/*
 * `npm run migrate`: an ingress-nginx estate's Ingresses onto this program's routing model. Pure:
 * Ingress objects in, the config block and the report out (scripts/migrate.ts reads the files,
 * validates the config with the program itself and prints). Each typed policy is read by its own
 * feature (routing/features/*.ts fromIngress); what no feature reads stays an ingress-nginx
 * annotation where the program takes it, and every annotation gets a verdict for the Gateway.
 */

export const NGINX = INGRESS_NGINX;
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";
const PROGRAM_ANNOTATION_PREFIX = "echo-exposure/";

export interface Migration {
    /** The config block (`echo-exposure:*` keys) to paste, or undefined when no Ingress could be migrated. */
    config?: Record<string, unknown>;
    report: MigrationReport;
}

export interface MigrateOptions {
    /** The IngressClass to migrate (default: the one most Ingresses name). */
    className?: string;
}

interface Route {
    host?: string;
    path: string;
    /** The path as the Ingress wrote it (a canary Ingress names this one). */
    ingressPath: string;
    /** Where it was in the input: the config lists routes in that order. */
    order: [number, number];
    pathType: PathType;
    policies: Record<string, unknown>;
    ingress: string;
    regex: boolean;
}

/** Each migrated rule's report row and its route, to name its routing.hosts entry once the routes are in order. */
const rules = new Map<RuleReport, Route>();

/** The program's own Service, which every migrated route reaches (docs: README "Migrating an existing ingress-nginx estate"). */
const ECHO_SERVICE = DEFAULTS.serviceName as string;
const PREFIX_PATH = /^\/[A-Za-z0-9/._-]*$/;

export function migrateEstate(manifests: Manifest[], options: MigrateOptions = {}): Migration {
    const report: MigrationReport = { ingresses: [], skipped: [], notes: [], summary: { exact: 0, approximate: 0, unsupported: 0, notRecognised: 0 } };
    const ingresses = manifests.filter((m) => isIngress(m, report));
    const className = options.className ?? commonClass(ingresses);
    const ours = ingresses.filter((m) => {
        const c = classOf(m.object);
        if (c === undefined || c === className) return true;
        report.skipped.push({ source: m.source, object: nameOf(m.object), why: `an Ingress of class '${c}', not '${className}' (--class chooses)` });
        return false;
    });
    // ingress-nginx reads Ingresses oldest first, equal ages by namespace/name descending
    // (store.go sortIngressSlice); the first location for a host and path wins (controller.go).
    const ordered = [...ours].sort(ingressNginxOrder);
    const mains = ordered.filter((m) => goBool(annotationValue(m.object.metadata?.annotations ?? {}, `${NGINX}canary`) ?? "") !== true);
    const canaries = ordered.filter((m) => !mains.includes(m));

    const routes: Route[] = [];
    rules.clear();
    const extra = new Map<string, { value: string; on: string[] }>();
    let sslRedirect: boolean | undefined;
    for (const m of mains) {
        const r = migrateIngress(m, manifests.indexOf(m), routes, extra, report);
        if (r.sslRedirect !== undefined) sslRedirect = sslRedirect === undefined ? r.sslRedirect : sslRedirect && r.sslRedirect;
    }
    // The config lists the routes in the input's order; ingress-nginx's order only decided duplicates.
    routes.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    rules.forEach((route, rule) => (rule.becomes = `routing.hosts[${routes.indexOf(route)}]`));
    const canary = canaryOf(canaries, routes, report);
    regexAcrossIngresses(mains, routes, report);
    const at = (source: string) => manifests.findIndex((m) => m.source === source);
    report.ingresses.sort((a, b) => at(a.source) - at(b.source));
    if (routes.length === 0) {
        report.notes.push("no Ingress rule could be migrated: no config");
        return { report: summarised(report) };
    }
    samePoliciesPerHost(routes, report);
    const tls = tlsOf(mains, routes, report);
    const plain = [...new Set(routes.map((r) => r.host).filter((h) => h !== undefined && !tls.some((t) => t.hosts.includes(h))))];
    if (plain.length > 0) {
        report.notes.push(
            `${plain.join(", ")}: ingress-nginx also answers https for them, with its self-signed default certificate; the Gateway has no https listener for a host without TLS`,
        );
    }
    const annotations = sharedAnnotations(extra, mains.length, report);
    const config = configOf({ routes, tls, sslRedirect, annotations, className, canary: canary?.config, report });
    return { config, report: summarised(report) };
}

function isIngress(m: Manifest, report: MigrationReport): boolean {
    const o = m.object;
    if (o?.kind === "Ingress" && o.apiVersion === "networking.k8s.io/v1") return true;
    const why =
        o?.kind === "Ingress"
            ? `an Ingress of ${o.apiVersion}, which Kubernetes stopped serving in 1.22: get it as networking.k8s.io/v1`
            : o?.kind
              ? `kind ${o.kind}, not an Ingress`
              : "a document without a kind, not an Ingress";
    report.skipped.push({ source: m.source, object: nameOf(o), why });
    return false;
}

/** namespace/name, or the name alone where the manifest names no namespace (kubectl would use the current one). */
const nameOf = (o: any) => [o?.metadata?.namespace, o?.metadata?.name ?? "(no name)"].filter((x) => x !== undefined).join("/");
const classOf = (o: any): string | undefined => o.spec?.ingressClassName ?? o.metadata?.annotations?.[CLASS_ANNOTATION];

function commonClass(ingresses: Manifest[]): string {
    const counts = new Map<string, number>();
    for (const m of ingresses) {
        const c = classOf(m.object);
        if (c !== undefined) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] === "nginx" ? -1 : b[0] === "nginx" ? 1 : a[0].localeCompare(b[0])));
    return ranked[0]?.[0] ?? (DEFAULTS.ingress as { className: string }).className;
}

function ingressNginxOrder(a: Manifest, b: Manifest): number {
    const ta = Date.parse(a.object.metadata?.creationTimestamp ?? "") || Infinity;
    const tb = Date.parse(b.object.metadata?.creationTimestamp ?? "") || Infinity;
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = nameOf(a.object);
    const nb = nameOf(b.object);
    return na > nb ? -1 : na < nb ? 1 : 0;
}

/** One Ingress's rules and annotations into routes, with its report. */
function migrateIngress(
    m: Manifest,
    at: number,
    routes: Route[],
    extra: Map<string, { value: string; on: string[] }>,
    report: MigrationReport,
): { sslRedirect?: boolean } {
    const o = m.object;
    const name = nameOf(o);
    const annotations: Record<string, string> = { ...(o.metadata?.annotations ?? {}) };
    const entry: IngressReport = { ingress: name, source: m.source, canary: false, rules: [], annotations: [], notes: [] };
    report.ingresses.push(entry);
    if (classOf(o) === undefined) entry.notes.push("names no IngressClass: migrated as the chosen class");
    if (o.spec?.defaultBackend) entry.notes.push("spec.defaultBackend is not migrated: the program routes only its rules' hosts and paths");

    const paths = (o.spec?.rules ?? []).flatMap((rule: any) =>
        (rule.http?.paths ?? []).map((p: any) => ({
            host: rule.host as string | undefined,
            path: (p.path ?? "/") as string,
            pathType: p.pathType as PathType,
            backend: p.backend,
        })),
    );
    const read = new Set<string>();
    const policies: Record<string, unknown> = {};
    const remapped: Record<string, { path: string; pathType: PathType }> = {};
    for (const feature of FEATURES) {
        const found = feature.fromIngress?.(annotations, paths);
        if (!found) continue;
        found.read.forEach((a) => read.add(a));
        const verdict = featureVerdict(
            feature,
            found.value,
            found.notes,
            paths.map((p: { path: string; pathType: PathType }) => found.paths?.[p.path] ?? p),
        );
        if (verdict.value !== undefined) {
            policies[feature.key] = found.value;
            Object.assign(remapped, found.paths ?? {});
        }
        for (const a of found.read)
            entry.annotations.push({
                annotation: a,
                value: annotations[a],
                gateway: verdict.text,
                becomes: verdict.value !== undefined ? `routing.${feature.key}` : "dropped",
            });
    }

    const regexHost =
        goBool(annotationValue(annotations, `${NGINX}use-regex`) ?? "") === true ||
        (annotationValue(annotations, `${NGINX}rewrite-target`) !== undefined && !read.has(`${NGINX}rewrite-target`));
    let sslRedirect: boolean | undefined;
    for (const [a, value] of Object.entries(annotations)) {
        if (read.has(a)) continue;
        const v = otherAnnotation(a, value, regexHost);
        entry.annotations.push({ annotation: a, value, gateway: v.gateway, becomes: v.becomes });
        if (v.becomes === "routing.sslRedirect") sslRedirect = goBool(value.trim()) ?? true;
        if (v.becomes === "ingress.annotations") {
            const seen = extra.get(a);
            if (seen && seen.value !== value)
                entry.notes.push(
                    `${a}: '${value}' differs from ${seen.on[0]}'s '${seen.value}', which the config keeps (ingress.annotations is one value for every Ingress)`,
                );
            extra.set(a, seen ? { ...seen, on: [...seen.on, name] } : { value, on: [name] });
        }
    }

    paths.forEach((p: (typeof paths)[number], i: number) => {
        const backend = p.backend?.service
            ? `${p.backend.service.name}:${p.backend.service.port?.number ?? p.backend.service.port?.name}`
            : "a resource backend";
        const rule: RuleReport = { host: p.host ?? "*", path: p.path, pathType: p.pathType, backend, becomes: "" };
        entry.rules.push(rule);
        if (!p.backend?.service) {
            rule.becomes = "not migrated: ingress-nginx serves a resource backend from its default backend, which the program does not model";
            return;
        }
        const route = { ...routeOf(p, remapped[p.path], regexHost, policies, name), order: [at, i] as [number, number] };
        const first = routes.find((r) => r.host === route.host && r.path === route.path);
        if (first) {
            rule.becomes = `not migrated: ${first.ingress} routes the same host and path, and ingress-nginx serves the first (oldest Ingress; equal ages: namespace/name descending)`;
            return;
        }
        routes.push(route);
        rules.set(rule, route);
        if (p.backend.service.name !== ECHO_SERVICE) {
            entry.notes.push(`${rule.host}${p.path}: its Service ${backend} is not deployed by this program; the route reaches the echo app's ${ECHO_SERVICE}`);
        }
    });
    return { sslRedirect };
}

/** A feature's value read from annotations: its verdict for the Gateway, or why the value has no typed form. */
function featureVerdict(feature: AnyFeature, raw: unknown, notes: string[], paths: { path: string; pathType: PathType }[]): { value?: unknown; text: string } {
    if (raw === undefined) return { text: `unsupported: ${notes.join("; ") || "nothing to set"}` };
    const parsed = feature.schema(feature.description).safeParse(raw);
    if (!parsed.success) return { text: `unsupported: no typed form for this value (${parsed.error.issues.map((i) => i.message).join("; ")}); not migrated` };
    const refused = paths.map((p) => feature.refuses?.(parsed.data, p)).find((r) => r !== undefined);
    if (refused) return { text: `unsupported: routing.${feature.key} takes ${refused}; not migrated` };
    const v = verdictFor(feature, parsed.data, "gateway", true);
    const text =
        v.level === "exact" && notes.length > 0 ? `approximate: ${notes.join("; ")}` : verdictText(v) + (notes.length > 0 ? `; ${notes.join("; ")}` : "");
    return { value: parsed.data, text };
}

/** An annotation no feature reads: what the program does with it. */
function otherAnnotation(a: string, value: string, regexHost: boolean): { gateway: string; becomes: string } {
    if (a === CLASS_ANNOTATION) return { gateway: "exact", becomes: "ingress.className" };
    if (a.startsWith(PROGRAM_ANNOTATION_PREFIX)) return { gateway: "exact: this program's own annotation, which it sets itself", becomes: "dropped" };
    if (!a.startsWith(NGINX)) return { gateway: "not recognised: not an ingress-nginx annotation", becomes: "dropped" };
    const name = a.slice(NGINX.length);
    if (name === "ssl-redirect") return { gateway: "exact: the Gateway redirects http to https with 308, as ingress-nginx", becomes: "routing.sslRedirect" };
    if (name === "canary" || CANARY_ANNOTATIONS.includes(a)) return { gateway: "exact: not a canary Ingress (canary is not true)", becomes: "dropped" };
    if (name === "use-regex" && regexHost) {
        return {
            gateway:
                "unsupported: regex paths reach ingress-nginx only here (the Gateway's routes are Prefix or Exact; NGF matches a regex case-sensitively, ingress-nginx case-insensitively)",
            becomes: "ingress.annotations",
        };
    }
    if (name.endsWith("-snippet") || name === "configuration-snippet") {
        return {
            gateway: "unsupported: snippets are refused by the program (any Ingress author could inject NGINX config: CVE-2021-25742)",
            becomes: "dropped",
        };
    }
    try {
        ingressAnnotations("ingress.annotations", { [a]: value });
    } catch (e) {
        if (e instanceof ConfigError) return { gateway: `unsupported: the program refuses it (${e.allowed})`, becomes: "dropped" };
        throw e;
    }
    return { gateway: `unsupported: no typed key; it reaches ingress-nginx only (${a})`, becomes: "ingress.annotations" };
}

/** A path of the Ingress as a route of the model. */
function routeOf(
    p: { host?: string; path: string; pathType: PathType },
    remapped: { path: string; pathType: PathType } | undefined,
    regexHost: boolean,
    policies: Record<string, unknown>,
    ingress: string,
): Omit<Route, "order"> {
    const ingressPath = p.path;
    if (remapped) return { host: p.host, ...remapped, ingressPath, policies, ingress, regex: false };
    if (regexHost) return { host: p.host, path: p.path, ingressPath, pathType: "ImplementationSpecific", policies, ingress, regex: true };
    // ingress-nginx 1.15.1 reads ImplementationSpecific as Prefix (k8s.SetDefaultNGINXPathType).
    const pathType = p.pathType === "ImplementationSpecific" && PREFIX_PATH.test(p.path) ? "Prefix" : p.pathType;
    return { host: p.host, path: p.path, ingressPath, pathType, policies, ingress, regex: false };
}

/**
 * ingress-nginx makes every path of a host a case-insensitive regex when one Ingress on the host
 * has use-regex or a rewrite-target (template.go enforceRegexModifier): say so where the host is
 * shared with another Ingress, whose paths change meaning.
 */
function regexAcrossIngresses(mains: Manifest[], routes: Route[], report: MigrationReport): void {
    for (const m of mains) {
        const a = m.object.metadata?.annotations ?? {};
        if (goBool(annotationValue(a, `${NGINX}use-regex`) ?? "") !== true && annotationValue(a, `${NGINX}rewrite-target`) === undefined) continue;
        const hosts = new Set((m.object.spec?.rules ?? []).map((r: any) => r.host));
        const others = routes.filter((r) => hosts.has(r.host) && r.ingress !== nameOf(m.object));
        for (const r of others) {
            report.notes.push(
                `${nameOf(m.object)}'s use-regex/rewrite-target made ingress-nginx match ${r.ingress}'s ${r.host ?? "*"}${r.ingressPath} as a case-insensitive regex too; the program matches it as written (${r.pathType})`,
            );
        }
    }
}

/**
 * The program's policies are per host (a host's paths share its Ingress and HTTPRoute): a host's
 * routes take the policies of its first route's Ingress, with a note where another Ingress's differ.
 */
function samePoliciesPerHost(routes: Route[], report: MigrationReport): void {
    for (const r of routes) {
        const first = routes.find((x) => x.host === r.host)!;
        if (JSON.stringify(first.policies) === JSON.stringify(r.policies)) continue;
        report.notes.push(
            `${r.host ?? "*"}${r.path} (${r.ingress}) takes the policies of ${first.ingress}, which routes ${r.host ?? "*"}${first.path}: the program's policies are per host`,
        );
        r.policies = first.policies;
    }
}

/** The main Ingresses' TLS: one entry per Secret, with the routed hosts it serves. */
function tlsOf(mains: Manifest[], routes: Route[], report: MigrationReport): { hosts: string[]; secretName: string }[] {
    const routed = new Set(routes.map((r) => r.host).filter((h) => h !== undefined));
    const bySecret = new Map<string, string[]>();
    const secretOf = new Map<string, string>();
    for (const m of mains) {
        for (const t of m.object.spec?.tls ?? []) {
            if (!t.secretName) {
                report.notes.push(`${nameOf(m.object)}: a TLS entry without secretName (ingress-nginx's default certificate) is not migrated`);
                continue;
            }
            for (const h of t.hosts ?? []) {
                if (!routed.has(h) || secretOf.has(h)) continue;
                secretOf.set(h, t.secretName);
                bySecret.set(t.secretName, [...(bySecret.get(t.secretName) ?? []), h]);
            }
        }
    }
    return [...bySecret.entries()].map(([secretName, hosts]) => ({ hosts, secretName }));
}

/** Annotations kept as ingress.annotations: one value for every Ingress, so a note where the estate set them on some only. */
function sharedAnnotations(extra: Map<string, { value: string; on: string[] }>, ingresses: number, report: MigrationReport): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [a, { value, on }] of extra) {
        out[a] = value;
        if (on.length < ingresses)
            report.notes.push(`${a} was set on ${on.join(", ")} only; ingress.annotations gives it to every Ingress the program declares`);
    }
    return out;
}

function configOf(c: {
    routes: Route[];
    tls: { hosts: string[]; secretName: string }[];
    sslRedirect?: boolean;
    annotations: Record<string, string>;
    className: string;
    canary?: Record<string, unknown>;
    report: MigrationReport;
}): Record<string, unknown> {
    const same = c.routes.every((r) => JSON.stringify(r.policies) === JSON.stringify(c.routes[0].policies));
    const hosts = c.routes.map((r) => ({ ...(r.host ? { host: r.host } : {}), path: r.path, pathType: r.pathType, ...(same ? {} : r.policies) }));
    const unsupported = c.routes.some((r) =>
        FEATURES.some((f) => r.policies[f.key] !== undefined && verdictFor(f, r.policies[f.key], "gateway", true).level === "unsupported"),
    );
    const regex = c.routes.some((r) => r.regex || r.pathType === "ImplementationSpecific");
    if (regex)
        c.report.notes.push(
            "exposures lists ingress only: regex (ImplementationSpecific) paths have no route on the Gateway here; rewrite them as Prefix paths to add gateway",
        );
    const ingress = {
        ...(c.className !== (DEFAULTS.ingress as { className: string }).className ? { className: c.className } : {}),
        ...(Object.keys(c.annotations).length > 0 ? { annotations: c.annotations } : {}),
    };
    return {
        "echo-exposure:exposures": regex ? ["ingress"] : ["ingress", "gateway"],
        "echo-exposure:routing": {
            hosts,
            ...(same ? c.routes[0].policies : {}),
            ...(c.tls.length > 0 ? { tls: c.tls } : {}),
            ...(c.sslRedirect === false ? { sslRedirect: false } : {}),
            ...(unsupported && !regex ? { parity: "report" } : {}),
        },
        ...(Object.keys(ingress).length > 0 ? { "echo-exposure:ingress": ingress } : {}),
        ...(c.canary ? { "echo-exposure:canary": c.canary } : {}),
    };
}

/** Counts each annotation's verdict. */
function summarised(report: MigrationReport): MigrationReport {
    for (const v of report.ingresses.flatMap((i) => i.annotations)) {
        if (v.gateway.startsWith("exact")) report.summary.exact++;
        else if (v.gateway.startsWith("approximate")) report.summary.approximate++;
        else if (v.gateway.startsWith("unsupported")) report.summary.unsupported++;
        else report.summary.notRecognised++;
    }
    return report;
}
