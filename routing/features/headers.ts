import { ConfigError } from "../../config/errors";
import { key, list, section } from "../../config/schemaKit";
import { httpHeaderName, stringMap } from "../../config/validate";
import { exact, Feature, unsupported } from "../feature";

/*
 * Headers set, added or removed on the request to the echo pods and on the response to the
 * client. Gateway API 1.5.1: RequestHeaderModifier / ResponseHeaderModifier (set, add: up to 16
 * {name, value}; remove: up to 16 names). ingress-nginx has no annotation that changes request or
 * response headers without snippets (which the program refuses): custom-headers sets response
 * headers from a ConfigMap only the controller's global-allowed-response-headers admits.
 */

interface Changes {
    set?: Record<string, string>;
    add?: Record<string, string>;
    remove?: string[];
}
export interface Headers {
    request?: Changes;
    response?: Changes;
}

/**
 * Header names NGF 2.6.7 refuses in a modifier filter: both modifiers refuse host, connection and
 * upgrade (validation/common.go `invalidHeaders`); a response modifier also refuses these and any
 * name starting x-accel (graph/common_filter.go `validateResponseHeaders`).
 */
const BOTH = ["host", "connection", "upgrade"];
export const NGF_DENIED_HEADERS = {
    request: BOTH,
    response: [...BOTH, "server", "date", "x-pad", "content-type", "content-length"],
} as const;
const NGF_DENIED_RESPONSE_PREFIX = "x-accel";
const MAX_CHANGES = 16;

function headerMap(key: string, raw: unknown): Record<string, string> {
    const map = stringMap(key, raw);
    for (const [name, value] of Object.entries(map)) {
        httpHeaderName(`${key}.${name}`, name);
        // NGF takes a value with no `$` (an NGINX variable) and no unescaped `"`; the Gateway API caps it at 4096.
        if (value.length === 0 || value.length > 4096 || /[$"]/.test(value)) {
            throw new ConfigError(
                `${key}.${name}`,
                value,
                'a header value of 1 to 4096 characters without $ or " (NGINX Gateway Fabric would read them as NGINX syntax)',
            );
        }
    }
    if (Object.keys(map).length > MAX_CHANGES) throw new ConfigError(key, raw, `at most ${MAX_CHANGES} headers (the Gateway API filter's limit)`);
    return map;
}

const changes = (where: string) =>
    section(
        {
            set: key(headerMap, {
                description: `${where} headers to set (replacing any value).`,
                json: { type: "object", additionalProperties: { type: "string" } },
            }),
            add: key(headerMap, {
                description: `${where} headers to add (beside any value).`,
                json: { type: "object", additionalProperties: { type: "string" } },
            }),
            remove: list(key(httpHeaderName, { description: "A header name.", json: { type: "string" }, required: true }), {
                description: `${where} headers to remove.`,
                allowed: "a list of header names",
                json: { type: "array", maxItems: MAX_CHANGES },
            }),
        },
        { description: `Changes to the ${where.toLowerCase()}.`, optional: true },
    );

const modifier = (c: Changes) => ({
    ...(c.set ? { set: Object.entries(c.set).map(([name, value]) => ({ name, value })) } : {}),
    ...(c.add ? { add: Object.entries(c.add).map(([name, value]) => ({ name, value })) } : {}),
    ...(c.remove ? { remove: c.remove } : {}),
});

const namesOf = (c: Changes | undefined) => [...Object.keys(c?.set ?? {}), ...Object.keys(c?.add ?? {}), ...(c?.remove ?? [])].map((n) => n.toLowerCase());

export const headers: Feature<Headers> = {
    key: "headers",
    description: "{ request, response } each { set, add, remove }: header changes. Gateway only: refused with ingress unless parity: report.",
    schema: (description: string) => section({ request: changes("Request"), response: changes("Response") }, { description, optional: true }),
    annotations: [],
    ingress: () => ({}),
    gateway: (h) => ({
        filters: [
            ...(h.request ? [{ type: "RequestHeaderModifier", requestHeaderModifier: modifier(h.request) }] : []),
            ...(h.response ? [{ type: "ResponseHeaderModifier", responseHeaderModifier: modifier(h.response) }] : []),
        ],
        policies: [],
    }),
    verdict: () => ({
        ingress: unsupported(
            "ingress-nginx 1.15.1 changes request and response headers only through snippets (refused here) or a controller-wide ConfigMap",
            "set the headers in the application, or serve this host from the Gateway only",
        ),
        gateway: exact,
    }),
    refuses: (h) => {
        const request = namesOf(h.request).filter((n) => (NGF_DENIED_HEADERS.request as readonly string[]).includes(n));
        const repeated = [h.request, h.response].flatMap((c) => namesOf(c).filter((n, i, all) => all.indexOf(n) !== i));
        if (repeated.length > 0) return `each header once per direction, in set, add or remove (${repeated.join(", ")} is named twice, ignoring case)`;
        const response = namesOf(h.response).filter(
            (n) => (NGF_DENIED_HEADERS.response as readonly string[]).includes(n) || n.startsWith(NGF_DENIED_RESPONSE_PREFIX),
        );
        if (request.length + response.length === 0) return undefined;
        return `headers NGINX Gateway Fabric 2.6.7 lets a filter change: not ${[...request.map((n) => `request ${n}`), ...response.map((n) => `response ${n}`)].join(", ")} (it refuses request ${NGF_DENIED_HEADERS.request.join(", ")} and response ${NGF_DENIED_HEADERS.response.join(", ")}, x-accel*)`;
    },
};
