import { ConfigError } from "../../stacks/errors";
import { key, section } from "../../stacks/schemaKit";
import { exact, Feature } from "../feature";

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
