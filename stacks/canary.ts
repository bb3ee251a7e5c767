import { CanarySettings } from "../components/canary";
import { ConfigError } from "./errors";
import type { Config } from "./schema";
import * as v from "./validate";

export type { CanarySettings } from "../components/canary";

/*
 * `canary`: a second track of the echo app beside the stable one, with a share of the requests
 * (and, by a header, every request that asks) routed to it through ingress-nginx and the Gateway.
 * The keys are declared in stacks/schema.ts; the rules here involve the rest of the config.
 */

/**
 * Gateway API's HTTPHeaderName (an RFC 7230 token, at most 256 characters: the pattern on
 * HTTPRoute's header matches in standard-install.yaml v1.5.1); ingress-nginx takes any string.
 */
export const HTTP_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** ingress-nginx's parser.BasicCharsRegex (spaces removed first), which the canary-by-header annotations must match. */
const INGRESS_NGINX_HEADER = /^[-._~a-zA-Z0-9/:]+$/;

/** `canary.header.name`: an HTTP header name as HTTPRoute's header match takes it. */
export function headerName(key: string, raw: unknown): string {
    const name = v.string(key, raw);
    if (name.length > 256 || !HTTP_TOKEN.test(name)) {
        throw new ConfigError(
            key,
            raw,
            "an HTTP header name: a token of letters, digits and !#$%&'*+-.^_`|~, at most 256 characters (Gateway API HTTPHeaderName)",
        );
    }
    return name;
}

/** `canary.header.value`: what HTTPHeaderMatch.value takes. */
export function headerValue(key: string, raw: unknown): string {
    const value = v.string(key, raw);
    if (value.length > 4096 || /[\r\n]/.test(value)) {
        throw new ConfigError(key, raw, "a header value of at most 4096 characters, on one line (Gateway API HTTPHeaderMatch.value)");
    }
    return value;
}

/** `written` is the canary as the user wrote it, for the error (the parsed `o` has its defaults). */
export function parseCanary(o: Config["canary"], exposures: string[], stable: { image: string }, written: unknown = o): CanarySettings | undefined {
    if (o === undefined) return undefined;
    if (!exposures.includes("ingress") && !exposures.includes("gateway")) {
        throw new ConfigError(
            "canary",
            written,
            "a canary only with the ingress or gateway exposure, which split requests by weight and header (Services cannot); add one to exposures, or remove canary",
        );
    }
    const header = o.header;
    if (header && exposures.includes("ingress")) {
        // ingress-nginx 1.15.1 validates both annotations with its BasicCharsRegex
        // (internal/ingress/annotations/canary/main.go, parser/validators.go), and nginx drops
        // request headers with '_' unless enable-underscores-in-headers is set.
        if (!INGRESS_NGINX_HEADER.test(header.name) || header.name.includes("_")) {
            throw new ConfigError(
                "canary.header.name",
                header.name,
                "with the ingress exposure, letters, digits and '-', '.', '~', '/', ':' only (ingress-nginx's annotation validation; nginx drops headers with '_')",
            );
        }
        if (!INGRESS_NGINX_HEADER.test(header.value.replace(/\s/g, ""))) {
            throw new ConfigError(
                "canary.header.value",
                header.value,
                "with the ingress exposure, letters, digits and '-', '.', '_', '~', '/', ':' only (ingress-nginx's annotation validation)",
            );
        }
    }
    return {
        text: o.text,
        image: o.image ?? stable.image,
        replicas: o.replicas,
        weight: o.weight,
        header: header && { name: header.name, value: header.value },
    };
}
