import { createHash } from "crypto";
import { INGRESS_NGINX } from "../components/ingressNginxAnnotations";
import { Route } from "../components/routing";
import { ConfigError } from "../config/errors";
import * as v from "../config/validate";

/*
 * What the two controllers this program installs refuse, or break on, checked before anything is
 * declared (issue 17): ingress-nginx 1.15.1's annotation validation and path inspection, NGINX
 * Gateway Fabric 2.6.7's reserved ports, path prefix and data-plane names, and the limits of the
 * Gateway API v1.5.1 CRDs on what the program fills. Every rule is restated in the program's own
 * words; where it comes from (repository, tag, file, line) is in docs/verification.md
 * ("Controller rules (issue 17)").
 */

const NGINX = INGRESS_NGINX;

// ---------------------------------------------------------------------------------------------
// ingress-nginx 1.15.1: annotation values
// ---------------------------------------------------------------------------------------------

/** How ingress-nginx checks one annotation's value, said the way the error says it. */
interface ValueRule {
    ok: (value: string) => boolean;
    rule: string;
}

/** Go's strconv.ParseBool. */
const GO_BOOLS = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"];
const goTrue = (s: string) => ["1", "t", "T", "TRUE", "true", "True"].includes(s);
/** Go's strconv.Atoi: an optional sign, decimal digits, within a 64-bit int. */
function goInt(s: string): boolean {
    if (!/^[+-]?\d+$/.test(s)) return false;
    const n = BigInt(s);
    return n >= -(2n ** 63n) && n < 2n ** 63n;
}
/** The value as ingress-nginx's regex validators see it: spaces removed where the validator says so, no CR or LF. */
const chars =
    (pattern: RegExp, removeSpace: boolean) =>
    (s: string): boolean => {
        const t = removeSpace ? s.split(" ").join("") : s;
        return pattern.test(t) && !/[\r\n]/.test(t);
    };
const stripped = (s: string) => s.split(" ").join("");
/** Go's strings.TrimSpace, near enough: the ASCII and Unicode white space JavaScript trims. */
const trimmed = (s: string) => s.trim();

const BOOL: ValueRule = { ok: (s) => GO_BOOLS.includes(s), rule: `true or false, as Go's strconv.ParseBool reads them (${GO_BOOLS.join(", ")})` };
const int = (unit: string): ValueRule => ({
    ok: goInt,
    rule: `a whole number${unit}, as Go's strconv.Atoi reads it (digits with an optional sign; no unit, no spaces)`,
});
const SIZE: ValueRule = {
    ok: chars(/^\d+[bkmg]?$/i, true),
    rule: "an NGINX size: digits with an optional unit b, k, m or g in either case, e.g. '8m' (spaces ignored; not '8mb', not '1.5m')",
};
const options = (values: string[], caseSensitive: boolean): ValueRule => ({
    ok: (s) => values.includes(caseSensitive ? trimmed(s) : trimmed(s).toLowerCase()),
    rule: `one of ${values.join(", ")}${caseSensitive ? " (case-sensitive)" : " (in any case)"}`,
});
const URL_CHARS: ValueRule = {
    ok: chars(/^[-._~a-zA-Z0-9/:,?&=]*$/, false),
    rule: "a URL of letters, digits and - . _ ~ / : , ? & = only (no spaces, no %-escapes, no #)",
};
const URL_CHARS_NO_SPACES: ValueRule = {
    ok: chars(/^[-._~a-zA-Z0-9/:,?&=]*$/, true),
    rule: "letters, digits and - . _ ~ / : , ? & = only (spaces ignored)",
};
const PATH_WITH_CAPTURES: ValueRule = {
    ok: chars(/^\/?[-._~a-zA-Z0-9/:$]*$/, false),
    rule: "a path or URL of letters, digits and - . _ ~ / : $ only, captures as $1 (no spaces, no ?, no %)",
};
const BASIC_CHARS: ValueRule = { ok: chars(/^[-._~a-zA-Z0-9/:]*$/, true), rule: "letters, digits and - . _ ~ / : only (spaces ignored)" };
const CIDR_RULE =
    "comma-separated IP addresses or CIDRs (ingress-nginx reads each entry, trimmed, with Go's net.ParseCIDR or net.ParseIP), each CIDR here in the strict form of loadBalancer.sourceRanges";

/** cors-allow-origin: '*', or origins (scheme://[*.]host[:port], or null), comma-separated. Linear: no backtracking regex. */
function corsOrigins(value: string): boolean {
    const s = stripped(value);
    if (s === "" || s === "*") return true;
    if (/[\r\n]/.test(s)) return false;
    for (let i = 0; i < s.length; i++) {
        const c = s[i];
        if (/[A-Za-z0-9.,-]/.test(c)) continue;
        if (c === "*" && s[i + 1] === ".") {
            i++;
        } else if (c === ":" && s.startsWith("//", i + 1) && /[a-z]/.test(s[i - 1] ?? "")) {
            i += 2;
        } else if (c === ":" && /\d/.test(s[i + 1] ?? "")) {
            while (/\d/.test(s[i + 1] ?? "")) i++;
        } else {
            return false;
        }
    }
    return true;
}

/** Go's \s. */
const GO_SPACE = /[\t\n\f\r ]/;

/**
 * A list of words with an optional ',' and one optional white-space character after each: the
 * shape of cors-allow-methods (words of letters) and cors-expose-headers (words of letters,
 * digits, '-' and '_', or '*'). A state machine, so a long bad value costs no backtracking.
 */
function wordList(value: string, word: RegExp, star: boolean): boolean {
    const s = stripped(value);
    if (s === "" || /[\r\n]/.test(s)) return false;
    // start: nothing yet; word: in a word (or after '*'); comma: after ','; space: after the white space.
    let state: "start" | "word" | "comma" | "space" = "start";
    for (const c of s) {
        if (word.test(c) || (star && c === "*")) state = "word";
        else if (c === "," && state === "word") state = "comma";
        else if (GO_SPACE.test(c) && (state === "word" || state === "comma")) state = "space";
        else return false;
    }
    return state !== "start";
}

/** Where each validated annotation's rule is, in kubernetes/ingress-nginx controller-v1.15.1 (docs/verification.md). */
const ANNOTATION_RULES: Record<string, ValueRule> = {
    // internal/ingress/annotations/proxy/main.go
    "proxy-connect-timeout": int(" of seconds ('60', not '60s')"),
    "proxy-send-timeout": int(" of seconds ('60', not '60s')"),
    "proxy-read-timeout": int(" of seconds ('60', not '60s')"),
    "proxy-next-upstream-timeout": int(" of seconds"),
    "proxy-next-upstream-tries": int(""),
    "proxy-buffers-number": int(""),
    "proxy-body-size": SIZE,
    "proxy-buffer-size": SIZE,
    "proxy-busy-buffers-size": SIZE,
    "proxy-max-temp-file-size": SIZE,
    "proxy-buffering": options(["on", "off"], true),
    "proxy-request-buffering": options(["on", "off"], true),
    "proxy-http-version": options(["1.0", "1.1"], true),
    "proxy-next-upstream": {
        ok: chars(/^((error|timeout|invalid_header|http_500|http_502|http_503|http_504|http_403|http_404|http_429|non_idempotent|off)\s?)+$/, false),
        rule: "NGINX proxy_next_upstream conditions separated by single spaces: error, timeout, invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429, non_idempotent, off",
    },
    "proxy-redirect-from": URL_CHARS_NO_SPACES,
    "proxy-redirect-to": URL_CHARS_NO_SPACES,
    // internal/ingress/annotations/rewrite/main.go
    "rewrite-target": PATH_WITH_CAPTURES,
    "app-root": PATH_WITH_CAPTURES,
    "ssl-redirect": BOOL,
    "force-ssl-redirect": BOOL,
    "preserve-trailing-slash": BOOL,
    "use-regex": BOOL,
    // internal/ingress/annotations/backendprotocol/main.go
    "backend-protocol": options(["auto_http", "http", "https", "grpc", "grpcs", "fcgi"], false),
    // internal/ingress/annotations/ratelimit/main.go
    "limit-rps": int(" of requests per second per client address"),
    "limit-rpm": int(" of requests per minute per client address"),
    "limit-connections": int(" of concurrent connections per client address"),
    "limit-burst-multiplier": int(""),
    "limit-rate": int(" of kilobytes per second"),
    "limit-rate-after": int(" of kilobytes"),
    // internal/ingress/annotations/cors/main.go
    "enable-cors": BOOL,
    "cors-allow-credentials": BOOL,
    "cors-max-age": int(" of seconds"),
    "cors-allow-origin": {
        ok: corsOrigins,
        rule: "'*', or comma-separated origins scheme://host[:port] (the host may start with '*.'; the scheme lowercase letters) or null, e.g. 'https://echo.example.com, https://*.example.org:8443'",
    },
    "cors-allow-methods": {
        ok: (s) => wordList(s, /[A-Za-z]/, false),
        rule: "HTTP methods of letters only, separated by ',' (and spaces), e.g. 'GET, PUT, POST'",
    },
    "cors-allow-headers": { ok: chars(/^[A-Za-z0-9_, -]*$/, true), rule: "header names of letters, digits, '-' and '_', separated by ','" },
    "cors-expose-headers": {
        ok: (s) => wordList(s, /[A-Za-z0-9_-]/, true),
        rule: "header names of letters, digits, '-' and '_', or '*', separated by ',' (and spaces)",
    },
    // internal/ingress/annotations/sessionaffinity/main.go
    affinity: options(["cookie"], true),
    "affinity-mode": options(["balanced", "persistent"], true),
    "affinity-canary-behavior": options(["sticky", "legacy"], true),
    "session-cookie-name": BASIC_CHARS,
    "session-cookie-domain": BASIC_CHARS,
    "session-cookie-path": URL_CHARS_NO_SPACES,
    "session-cookie-samesite": options(["none", "lax", "strict"], false),
    "session-cookie-secure": BOOL,
    "session-cookie-conditional-samesite-none": BOOL,
    "session-cookie-change-on-failure": BOOL,
    "session-cookie-expires": { ok: chars(/(^0|-?[1-9]\d*$)/, true), rule: "a number of seconds, e.g. '172800' (spaces ignored)" },
    "session-cookie-max-age": { ok: chars(/(^0|-?[1-9]\d*$)/, false), rule: "a number of seconds, e.g. '172800'" },
    // internal/ingress/annotations/loadbalancing/main.go
    "load-balance": options(["round_robin", "chash", "chashsubset", "sticky_balanced", "sticky_persistent", "ewma"], true),
    // internal/ingress/annotations/redirect/redirect.go
    "permanent-redirect": URL_CHARS,
    "temporal-redirect": URL_CHARS,
    "permanent-redirect-code": int(" (an HTTP status code)"),
    "temporal-redirect-code": int(" (an HTTP status code)"),
    "from-to-www-redirect": BOOL,
    "relative-redirects": BOOL,
    // internal/ingress/annotations/{sslpassthrough,serviceupstream,log}/main.go
    "ssl-passthrough": BOOL,
    "service-upstream": BOOL,
    "enable-access-log": BOOL,
    "enable-rewrite-log": BOOL,
    // internal/ingress/annotations/{clientbodybuffersize,connection,customhttperrors,xforwardedprefix,upstreamvhost,defaultbackend}/main.go
    "client-body-buffer-size": SIZE,
    "connection-proxy-header": { ok: chars(/^(close|keep-alive)$/, true), rule: "close or keep-alive" },
    "custom-http-errors": { ok: chars(/^(?:[4,5]\d{2},?)*$/, true), rule: "comma-separated 4xx and 5xx status codes, e.g. '404,503'" },
    "x-forwarded-prefix": { ok: chars(/^\/?[-._~a-zA-Z0-9/:$]*$/, true), rule: "a path of letters, digits and - . _ ~ / : $ only (spaces ignored)" },
    "upstream-vhost": {
        ok: (s) => /^[-._~a-zA-Z0-9/:^$[\](){}*+?|&=\\]*$/.test(trimmed(s)),
        rule: "a host name (letters, digits and - . _ ~ / : and the regex characters ^ $ [ ] ( ) { } * + ? | & = \\)",
    },
    "default-backend": {
        ok: (s) => s.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s),
        rule: "the name of a Service in the Ingress's namespace (a DNS-1035 label)",
    },
};

/** Annotations ingress-nginx reads only when the first one is empty (`AnnotationAliases`). */
const ANNOTATION_ALIASES: Record<string, string> = {
    "whitelist-source-range": "allowlist-source-range",
    "limit-whitelist": "limit-allowlist",
};
const CIDR_ANNOTATIONS = ["allowlist-source-range", "whitelist-source-range", "denylist-source-range", "limit-allowlist", "limit-whitelist"];

/** The annotations whose values are checked (tests and docs list them). */
export const VALIDATED_ANNOTATIONS = [...Object.keys(ANNOTATION_RULES), ...CIDR_ANNOTATIONS].map((a) => `${NGINX}${a}`);

/**
 * ingress-nginx validates the value of every annotation it reads (`enable-annotation-validation`,
 * on by default, and on in the chart), and its admission webhook refuses the whole Ingress when
 * one fails: check the ones a user is likely to set, with the validator's rule. Empty values are
 * not validated by ingress-nginx (it ignores them), nor here.
 */
export function ingressNginxAnnotationValues(key: string, annotations: Record<string, string>): void {
    for (const [name, value] of Object.entries(annotations)) {
        if (!name.startsWith(NGINX) || value === "") continue;
        const short = name.slice(NGINX.length);
        const k = `${key}.${name}`;
        if (CIDR_ANNOTATIONS.includes(short)) {
            sourceRanges(k, value);
            continue;
        }
        const rule = ANNOTATION_RULES[short];
        if (rule && !rule.ok(value)) {
            throw new ConfigError(
                k,
                value,
                `${rule.rule}: ingress-nginx 1.15.1 validates ${short} so, and its admission webhook refuses the Ingress otherwise`,
            );
        }
    }
    for (const [alias, main] of Object.entries(ANNOTATION_ALIASES)) {
        if (annotations[`${NGINX}${alias}`] && annotations[`${NGINX}${main}`]) {
            throw new ConfigError(
                `${key}.${NGINX}${alias}`,
                annotations[`${NGINX}${alias}`],
                `only one of ${NGINX}${main} and ${NGINX}${alias}: ingress-nginx reads ${alias} only when ${main} is empty, so this one would be ignored`,
            );
        }
    }
}

function sourceRanges(key: string, value: string): void {
    for (const raw of value.split(",")) {
        const entry = raw.trim();
        const refuse = (why: string): never => {
            throw new ConfigError(key, value, `${CIDR_RULE}; not '${entry}'${why}`);
        };
        if (entry === "") refuse(" (an empty entry)");
        if (entry.includes("/")) {
            try {
                v.cidr(key, entry);
            } catch (e) {
                if (e instanceof ConfigError) refuse(`: ${e.allowed}`);
                throw e;
            }
        } else {
            // A single address is its own /32 or /128 network.
            try {
                v.cidr(key, `${entry}/${entry.includes(":") ? 128 : 32}`);
            } catch {
                refuse(", which is no IP address");
            }
        }
    }
}

/**
 * The program sets ssl-redirect itself from ingress.sslRedirect (on the Ingress, and as the
 * Gateway's redirect routes): an annotation saying otherwise would be overwritten, or make the
 * Ingress and the Gateway disagree. Only TLS hosts redirect, so only then does it matter.
 */
export function sslRedirectAnnotation(key: string, annotations: Record<string, string>, sslRedirectKey: string, sslRedirect: boolean, tls: boolean): void {
    const value = annotations[`${NGINX}ssl-redirect`];
    if (value === undefined || value === "" || !tls || goTrue(value) === sslRedirect) return;
    throw new ConfigError(
        `${key}.${NGINX}ssl-redirect`,
        value,
        `no ssl-redirect annotation, or one that agrees with ${sslRedirectKey} (${sslRedirect}): set ${sslRedirectKey} instead, which the program applies to the Ingress and to the Gateway alike`,
    );
}

/** True where ingress-nginx makes every path of the Ingress's hosts a regex location (`~* "^<path>"`). */
export function ingressNginxRegexPaths(annotations: Record<string, string>, path?: string): boolean {
    const target = annotations[`${NGINX}rewrite-target`];
    return goTrue(annotations[`${NGINX}use-regex`] ?? "") || (target !== undefined && target !== "" && target !== path);
}

// ---------------------------------------------------------------------------------------------
// ingress-nginx 1.15.1: paths
// ---------------------------------------------------------------------------------------------

/**
 * The deep inspector (`--deep-inspect`, on by default) refuses an Ingress with any path (every
 * path type) that matches one of these, in the admission webhook and when syncing.
 */
const DEEP_INSPECTION: { matches: (path: string) => boolean; says: string }[] = [
    { matches: (p) => /alias[\s\S]*;/.test(p), says: "no 'alias' followed by ';' (an NGINX alias directive)" },
    { matches: (p) => /root[\s\S]*;/.test(p), says: "no 'root' followed by ';' (an NGINX root directive)" },
    {
        matches: (p) => /\/etc\/(passwd|shadow|group|nginx|ingress-controller)/.test(p),
        says: "no /etc/passwd, /etc/shadow, /etc/group, /etc/nginx or /etc/ingress-controller in it",
    },
    { matches: (p) => p.includes("/var/run/secrets"), says: "no /var/run/secrets in it" },
    { matches: (p) => p.includes("_by_lua"), says: "no '_by_lua' in it" },
];

/** The reason ingress-nginx's deep inspection refuses the path, or undefined. */
export function deepInspectionRefuses(path: string): string | undefined {
    return DEEP_INSPECTION.find((r) => r.matches(path))?.says;
}

/** What a literal (not regex) path has that no request path has once NGINX normalised it, or undefined. */
function unreachableLiteral(path: string): string | undefined {
    if (path.includes("//")) return "'//'";
    const segments = path.split("/").slice(1);
    return segments.some((s) => s === "." || s === "..") ? "a '.' or '..' segment" : undefined;
}

/** Regex metacharacters; '.' aside, which literal paths use (file.txt) and a regex reads as any character. */
const REGEX_CHARS = /[\^$*+?()[\]{}|\\]/;

/**
 * ingress-nginx treats ImplementationSpecific as Prefix (k8s.SetDefaultNGINXPathType), and makes
 * a Prefix path (not a regex one) the location `<path>/` plus the exact `= <path>`
 * (updateServerLocations, normalizePrefixPath): `/echo` and `/echo/` on one host both make the
 * location `/echo/`, which NGINX refuses as a duplicate: the reload fails, and the admission
 * webhook no longer runs `nginx -t` (CVE-2025-1974), so `pulumi up` succeeds and no later
 * change of any Ingress applies. Gateway API ignores a PathPrefix's trailing '/', so the two are
 * one route there too.
 *
 * ImplementationSpecific paths with regex characters: without `use-regex: "true"` (or a
 * rewrite-target) ingress-nginx matches them as literal prefixes, so `/api/v[0-9]+` answers
 * nothing but that very text: refused rather than the annotation set, since use-regex turns
 * every path of the host, in every Ingress, into a case-insensitive regex (`~* "^<path>"`).
 */
export function ingressNginxRoutes<R extends Route>(
    routes: R[],
    annotations: Record<string, string>,
    annotationsKey: string,
    keyOf: (route: R, field: "path" | "pathType") => string,
): void {
    const locations = new Map<string, R>();
    for (const r of routes) {
        const regex = ingressNginxRegexPaths(annotations, r.path);
        const meta = r.path.match(REGEX_CHARS);
        if (r.pathType === "ImplementationSpecific" && meta && !regex) {
            throw new ConfigError(
                keyOf(r, "path"),
                r.path,
                `a path without regex characters (it has '${meta[0]}'), or ${annotationsKey}.${NGINX}use-regex: "true" (which makes every path of the host, in every Ingress, a case-insensitive regex matched from the start): without it ingress-nginx matches an ImplementationSpecific path as a literal prefix, so this one would route nothing`,
            );
        }
        const unreachable = regex ? undefined : unreachableLiteral(r.path);
        if (unreachable) {
            throw new ConfigError(
                keyOf(r, "path"),
                r.path,
                `a path a request can reach: NGINX merges '//' and resolves '.' and '..' segments in the request's path before it picks a location, so a literal path with ${unreachable} never matches`,
            );
        }
        if (r.pathType === "Exact" || regex || r.path === "/") continue;
        const location = `${r.host ?? "*"} ${r.path.endsWith("/") ? r.path : `${r.path}/`}`;
        const first = locations.get(location);
        if (first !== undefined) {
            throw new ConfigError(
                keyOf(r, "path"),
                r.path,
                `each Prefix path once per host, a trailing '/' aside (${keyOf(first, "path")} is '${first.path}'${r.host ? ` for ${r.host}` : ""}): ingress-nginx makes both the one NGINX location '${location.split(" ")[1]}', and NGINX refuses the second, and Gateway API reads them as one prefix`,
            );
        }
        locations.set(location, r);
    }
}

// ---------------------------------------------------------------------------------------------
// NGINX Gateway Fabric 2.6.7
// ---------------------------------------------------------------------------------------------

/**
 * Ports of the data plane a listener cannot have: NGF refuses the metrics port (enabled by
 * default, 9113) for listeners; the readiness probe's server listens on 8081, which NGF does not
 * refuse, but a listener's default server there would answer the kubelet's probe with 404.
 */
export const NGF_RESERVED_PORTS: Record<number, string> = {
    9113: "the data plane's metrics port, which NGF refuses for listeners ('port is already in use as MetricsPort')",
    8081: "the data plane's readiness-probe port (/readyz): a listener there takes the probe's requests, and the pods never become ready",
};

/** NGF's internal locations; it refuses route paths that start with it. */
export const NGF_INTERNAL_PATH_PREFIX = "/_ngf-internal";

/**
 * NGF's names for what it derives from a name (`internal/framework/controller/resource.go`
 * truncateAndHashName): `<name>-<suffix>`, and past 63 characters the name cut short, its trailing
 * '-' removed, and the first 8 hex digits of the whole name's sha256 put before the suffix.
 */
export function ngfName(name: string, suffix: string): string {
    const full = `${name}-${suffix}`;
    if (full.length <= 63) return full;
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
    const room = 63 - 2 - 8 - suffix.length;
    return `${name.slice(0, Math.max(0, room)).replace(/-+$/, "")}-${hash}-${suffix}`;
}

/**
 * What NGF's provisioner creates for a Gateway, by kind, in the Gateway's namespace
 * (`internal/controller/provisioner/objects.go`): the data plane's Deployment (or DaemonSet),
 * Service, ServiceAccount and HorizontalPodAutoscaler share the base name; its two ConfigMaps and
 * the agent's TLS Secret (the chart's default `agent-tls`, which the program keeps) are named from
 * it. The provisioner creates or updates each by name, without asking who owns it.
 */
export function ngfProvisionedNames(gatewayName: string, className: string): Record<string, string[]> {
    const base = ngfName(gatewayName, className);
    return {
        Deployment: [base],
        DaemonSet: [base],
        Service: [base],
        ServiceAccount: [base],
        HorizontalPodAutoscaler: [base],
        ConfigMap: [ngfName(base, "includes-bootstrap"), ngfName(base, "agent-config")],
        Secret: [ngfName(base, "agent-tls")],
    };
}

// ---------------------------------------------------------------------------------------------
// Gateway API v1.5.1 CRDs: limits on what the program fills
// ---------------------------------------------------------------------------------------------

/** maxItems and maxLength of the standard-channel CRDs (test/stacks/controllerRules.test.ts reads them from the bundle). */
export const GATEWAY_API_LIMITS = {
    /** Gateway spec.listeners: the program makes one http listener and one https listener per TLS host. */
    listeners: 64,
    /** HTTPRoute spec.rules: one per path of a host. */
    rulesPerRoute: 16,
    /** HTTPRoute spec.hostnames: the program puts one host in each route. */
    hostnamesPerRoute: 16,
    /** HTTPRoute spec.rules[].matches: one per rule. */
    matchesPerRule: 64,
    /** HTTPRoute spec.parentRefs: one per route. */
    parentRefsPerRoute: 32,
    /** HTTPRoute spec.rules[].backendRefs: the echo Service. */
    backendRefsPerRule: 16,
    /** HTTPRoute spec.rules[].matches[].path.value. */
    pathLength: 1024,
} as const;
