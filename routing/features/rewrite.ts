import { ConfigError } from "../../config/errors";
import { key, section } from "../../config/schemaKit";
import { annotationValue, exact, Feature, FromIngress, goBool } from "../feature";
import { PathType } from "../../components/routing";

/*
 * The matched path prefix replaced before the request reaches the echo pods: `/api/x?q=1` on the
 * route `/api` with pathPrefix `/v1` reaches them as `/v1/x?q=1`; with pathPrefix `/`, as `/x?q=1`.
 *
 * Gateway API 1.5.1: a URLRewrite filter, path type ReplacePrefixMatch (only on a PathPrefix match,
 * the CRD's CEL rule). NGF 2.6.7 renders it as `rewrite ^<path>([^?]*)? <prefix>$1?$args? break`,
 * not capturing a '/' that follows the path when the prefix ends in '/'
 * (internal/controller/nginx/config/servers.go createMainRewriteForFilters).
 *
 * ingress-nginx 1.15.1 rewrites only through a regex: rewrite-target on an Ingress makes every
 * path of its hosts a regex location `~* "^<path>"` and adds `rewrite "(?i)<path>" <target> break`
 * (internal/ingress/controller/template/template.go buildLocation, buildProxyPass); its locations
 * are sorted longest first. The path `/api` becomes `/(?-i)api(/|$)(.*)` and the target
 * `<prefix>$1$2` (`<prefix>$2` when the prefix ends in '/'), so both proxies send the same path.
 * `(?-i)` turns off the case-insensitive match `~*` and `(?i)` ask for: a regex location would
 * otherwise answer `/API/x` too, which the Gateway does not route.
 */

export interface Rewrite {
    /** What replaces the route's path prefix. */
    pathPrefix: string;
}

export const REWRITE_ANNOTATIONS = {
    target: "nginx.ingress.kubernetes.io/rewrite-target",
    regex: "nginx.ingress.kubernetes.io/use-regex",
} as const;

/** A prefix both proxies take: a Prefix path's characters (ingress-nginx's rewrite-target allows no more), no '//', '.' or '..' segment. */
const PREFIX = /^\/[A-Za-z0-9/._-]*$/;

function pathPrefix(key: string, raw: unknown): string {
    const segments = typeof raw === "string" ? raw.split("/").slice(1) : [];
    if (
        typeof raw !== "string" ||
        !PREFIX.test(raw) ||
        segments.slice(0, -1).some((s) => s === "" || s === "." || s === "..") ||
        [".", ".."].includes(segments.at(-1)!)
    ) {
        throw new ConfigError(key, raw, "an absolute path of letters, digits and / . _ -, without '//', '.' or '..' segments, such as '/v1' or '/'");
    }
    return raw;
}

/**
 * The regex location a Prefix path becomes on ingress-nginx: the path, then '/' or the end ($1),
 * then the rest ($2). It starts with '/', as the API server requires of every Ingress path
 * (validateHTTPIngressPath). `/` is `/*(/)(.*)`: the '/' it starts with matches nothing
 * (backtracking), so the root's '/' is $1 as another path's separator is.
 */
export function rewriteRegex(path: string): string {
    const literal = path.slice(1).replace(/\./g, "\\.");
    return path === "/" ? "/*(/)(.*)" : `/(?-i)${literal}(/|$)(.*)`;
}

/** ingress-nginx's rewrite-target for the prefix: with the '/' that followed the path unless the prefix ends in one. */
export function rewriteTarget(prefix: string): string {
    return prefix.endsWith("/") ? `${prefix}$2` : `${prefix}$1$2`;
}

/** The Prefix path of a regex path in the prefix-rewrite idiom (`/p(/|$)(.*)`, this program's `/(?-i)p(/|$)(.*)` or `/*(/)(.*)`), or undefined. */
export function idiomPrefix(path: string): string | undefined {
    if (path === "/*(/)(.*)" || path === "/(/|$)(.*)") return "/";
    const m = /^\/(\(\?-i\))?([A-Za-z0-9/_-]|\\\.)*\(\/\|\$\)\(\.\*\)$/.exec(path);
    if (!m) return undefined;
    const prefix = path.replace("(?-i)", "").slice(0, -"(/|$)(.*)".length).replace(/\\\./g, ".");
    return prefix.length > 1 && !prefix.endsWith("/") ? prefix : undefined;
}

/** The pathPrefix a rewrite-target gives the idiom: `<p>$1$2`, or `<p>/$2` / `/$2` (the '/' kept), or undefined. */
function targetPrefix(target: string): string | undefined {
    const m = /^(\/[A-Za-z0-9/._-]*?)(\$1\$2|\$2)$/.exec(target);
    if (!m) return undefined;
    if (m[2] === "$2") return m[1].endsWith("/") ? m[1] : undefined;
    return m[1] === "/" ? undefined : m[1];
}

/**
 * The idiom `rewrite-target: <prefix>$2` (or `$1$2`) on paths `/p(/|$)(.*)` replaces the prefix `/p`:
 * a typed rewrite on the Prefix path `/p`. Any other rewrite-target (captures, a fixed path) has no
 * Gateway form here and stays an ingress-nginx annotation.
 */
function fromIngress(a: Record<string, string>, paths: { path: string; pathType: PathType }[]): FromIngress | undefined {
    const target = annotationValue(a, REWRITE_ANNOTATIONS.target);
    if (target === undefined) return undefined;
    const pathPrefix = targetPrefix(target);
    const prefixes = paths.map((p) => idiomPrefix(p.path));
    if (pathPrefix === undefined || paths.length === 0 || prefixes.some((p) => p === undefined)) return undefined;
    const regex = annotationValue(a, REWRITE_ANNOTATIONS.regex);
    const caseless = !paths.every((p) => p.path.includes("(?-i)") || p.path.startsWith("/*"));
    return {
        value: { pathPrefix },
        read: [REWRITE_ANNOTATIONS.target, ...(regex !== undefined && goBool(regex) !== undefined ? [REWRITE_ANNOTATIONS.regex] : [])],
        notes: caseless ? ["ingress-nginx matched these paths case-insensitively; the typed rewrite matches them case-sensitively on both proxies"] : [],
        paths: Object.fromEntries(paths.map((p, i) => [p.path, { path: prefixes[i]!, pathType: "Prefix" as PathType }])),
    };
}

export const rewrite: Feature<Rewrite> = {
    key: "rewrite",
    description: "{ pathPrefix }: replace the matched path prefix before the request reaches the echo pods (Prefix paths only).",
    schema: (description: string) =>
        section(
            {
                pathPrefix: key(pathPrefix, {
                    description: "What replaces the route's path prefix, such as '/v1' ('/' removes it).",
                    json: { type: "string", pattern: PREFIX.source },
                    required: true,
                }),
            },
            { description, optional: true },
        ),
    // A rewrite-target with capture groups on a regex path has no Gateway form: ingress.annotations
    // keeps it (ingress-nginx only, in the parity report), but not beside this key (stacks/routing.ts).
    annotations: [],
    ingress: (r) => ({ [REWRITE_ANNOTATIONS.regex]: "true", [REWRITE_ANNOTATIONS.target]: rewriteTarget(r.pathPrefix) }),
    ingressPath: (_r, route) => ({ path: rewriteRegex(route.path), pathType: "ImplementationSpecific" }),
    gateway: (r) => ({
        filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: r.pathPrefix } } }],
        policies: [],
    }),
    verdict: () => ({ ingress: exact, gateway: exact }),
    fromIngress,
    refuses: (_r, route) => {
        if (route.pathType !== "Prefix") {
            return `a rewrite on Prefix paths only (this path is ${route.pathType}): Gateway API replaces a prefix only on a PathPrefix match`;
        }
        if (route.path !== "/" && route.path.endsWith("/")) {
            return `a rewrite on a Prefix path without a trailing '/' (${route.path}; or '/' itself): NGINX Gateway Fabric and ingress-nginx treat the '/' differently there`;
        }
        return undefined;
    },
};
