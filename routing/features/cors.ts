import { z } from "zod";
import { ConfigError } from "../../config/errors";
import { key, list, section } from "../../config/schemaKit";
import { boolean, integer } from "../../config/validate";
import { withoutUndefined } from "../../components/outputs";
import { annotationValue, approximate, exact, Feature, FromIngress, goBool, goInt } from "../feature";

/*
 * Cross-origin requests. ingress-nginx 1.15.1: enable-cors and cors-* (defaults below; on an
 * OPTIONS from an allowed origin it answers 204 itself). Gateway API 1.5.1 (standard): the CORS
 * filter; NGF 2.6.7 answers every OPTIONS to the route with 200 and never proxies it, whatever the
 * origin, and matches `*.` across any number of labels (ingress-nginx: exactly one).
 */

export interface Cors {
    allowOrigins: string[];
    allowMethods?: string[];
    allowHeaders?: string[];
    exposeHeaders?: string[];
    allowCredentials?: boolean;
    maxAge?: number;
}

const A = "nginx.ingress.kubernetes.io/";
export const CORS_ANNOTATIONS = [
    "enable-cors",
    "cors-allow-origin",
    "cors-allow-methods",
    "cors-allow-headers",
    "cors-expose-headers",
    "cors-allow-credentials",
    "cors-max-age",
].map((a) => A + a);
/** ingress-nginx's defaults (cors/main.go), written to both proxies so they answer alike. */
export const CORS_DEFAULTS = {
    allowMethods: ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"],
    allowHeaders: ["DNT", "Keep-Alive", "User-Agent", "X-Requested-With", "If-Modified-Since", "Cache-Control", "Content-Type", "Range", "Authorization"],
    allowCredentials: true,
    maxAge: 1728000,
};
/** An origin both take: http(s), a host with at most one leading `*.`, an optional port (the CRD's pattern, narrowed to what ingress-nginx reads). */
const ORIGIN = /^https?:\/\/(\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(:[0-9]{1,5})?$/;
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];
/** ingress-nginx's header validators take only these characters. */
const HEADER = /^[A-Za-z0-9_-]+$/;

const item = (check: (s: string) => boolean, allowed: string) => (k: string, x: unknown) => {
    if (typeof x !== "string" || !check(x)) throw new ConfigError(k, x, allowed);
    return x;
};
const strings = (description: string, check: (s: string) => boolean, allowed: string, max: number, required = false) =>
    list(key(item(check, allowed), { description: "One entry.", json: { type: "string" }, required: true }), {
        description,
        allowed: `a list of at most ${max}`,
        json: { type: "array", maxItems: max },
        required,
    });
const all = (c: Cors) => ({ ...CORS_DEFAULTS, ...withoutUndefined(c) }) as Required<Cors>;

const commaList = (s: string | undefined) =>
    s
        ?.split(",")
        .map((x) => x.trim())
        .filter((x) => x !== "");

/** ingress-nginx's reading of enable-cors and cors-* (cors/main.go Parse): without enable-cors it answers no CORS at all. */
function fromIngress(a: Record<string, string>): FromIngress | undefined {
    const read = CORS_ANNOTATIONS.filter((n) => a[n] !== undefined);
    if (read.length === 0) return undefined;
    const on = annotationValue(a, A + "enable-cors");
    if (on === undefined || goBool(on) !== true) return { read, notes: ['ingress-nginx answers no CORS without enable-cors: "true": nothing to set'] };
    const notes: string[] = [];
    const origins = commaList(annotationValue(a, A + "cors-allow-origin")) ?? ["*"];
    const methods = commaList(annotationValue(a, A + "cors-allow-methods"));
    if (methods?.some((m) => m !== m.toUpperCase())) notes.push("methods are written in upper case, as the Gateway API's enum has them");
    const credentials = annotationValue(a, A + "cors-allow-credentials");
    const maxAge = annotationValue(a, A + "cors-max-age");
    const value = withoutUndefined({
        allowOrigins: origins.includes("*") ? ["*"] : origins,
        allowMethods: methods?.map((m) => m.toUpperCase()),
        allowHeaders: commaList(annotationValue(a, A + "cors-allow-headers")),
        exposeHeaders: commaList(annotationValue(a, A + "cors-expose-headers")),
        allowCredentials: credentials === undefined ? undefined : (goBool(credentials) ?? true),
        maxAge: maxAge === undefined ? undefined : goInt(maxAge),
    });
    return { value, read, notes };
}

export const cors: Feature<Cors> = {
    key: "cors",
    description:
        "{ allowOrigins, allowMethods, allowHeaders, exposeHeaders, allowCredentials, maxAge }: CORS answers (ingress-nginx's defaults on both proxies).",
    schema: (description: string) =>
        section(
            {
                allowOrigins: strings(
                    "Origins allowed: https://app.example.com, https://*.example.com, or * alone.",
                    (s) => s === "*" || ORIGIN.test(s),
                    "an origin such as https://app.example.com (http or https, a host with at most one leading *., an optional port), or * alone",
                    64,
                    true,
                ) as z.ZodType<string[], unknown>,
                allowMethods: strings(
                    "Methods allowed (default GET, PUT, POST, DELETE, PATCH, OPTIONS).",
                    (s) => METHODS.includes(s),
                    `one of ${METHODS.join(", ")}`,
                    9,
                ),
                allowHeaders: strings(
                    "Request headers allowed (default ingress-nginx's nine).",
                    (s) => HEADER.test(s),
                    "a header name of letters, digits, - and _",
                    64,
                ),
                exposeHeaders: strings("Response headers a browser script may read.", (s) => HEADER.test(s), "a header name of letters, digits, - and _", 64),
                allowCredentials: key(boolean, { description: "Allow credentials (default true, as ingress-nginx).", json: { type: "boolean" } }),
                maxAge: key((k, x) => integer(k, x, 1, 2147483647), {
                    description: "Seconds a preflight answer may be cached (default 1728000).",
                    json: { type: "integer", minimum: 1 },
                }),
            },
            { description, optional: true },
        ),
    annotations: CORS_ANNOTATIONS,
    ingress: (c) => {
        const v = all(c);
        return {
            [A + "enable-cors"]: "true",
            [A + "cors-allow-origin"]: v.allowOrigins.join(", "),
            [A + "cors-allow-methods"]: v.allowMethods.join(", "),
            [A + "cors-allow-headers"]: v.allowHeaders.join(","),
            ...(v.exposeHeaders?.length ? { [A + "cors-expose-headers"]: v.exposeHeaders.join(", ") } : {}),
            [A + "cors-allow-credentials"]: String(v.allowCredentials),
            [A + "cors-max-age"]: String(v.maxAge),
        };
    },
    gateway: (c) => {
        const { exposeHeaders, ...v } = all(c);
        return { filters: [{ type: "CORS", cors: { ...v, ...(exposeHeaders?.length ? { exposeHeaders } : {}) } }], policies: [] };
    },
    verdict: (c) => ({
        ingress: exact,
        gateway: approximate(
            `NGF answers every OPTIONS request with 200 and never passes it to the app, whatever the origin (ingress-nginx answers an allowed origin's with 204 and passes the others on)${c.allowOrigins.some((o) => o.includes("*")) ? "; * matches the Origin of any number of labels on NGF, one on ingress-nginx" : ""}`,
        ),
    }),
    fromIngress,
    refuses: (c) =>
        c.allowOrigins.length === 0
            ? "at least one origin"
            : c.allowOrigins.includes("*") && c.allowOrigins.length > 1
              ? "* alone, or a list of origins without *"
              : undefined,
};
