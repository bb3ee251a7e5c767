import { CanarySettings } from "../components/canary";
import { ConfigError } from "../config/errors";
import type { Config } from "./schema";
import * as v from "../config/validate";

export type { CanarySettings } from "../components/canary";

/*
 * `canary`: a second track of the echo app beside the stable one, with a share of the requests
 * (and, by a header, every request that asks) routed to it through ingress-nginx and the Gateway.
 * The keys are declared in stacks/schema.ts; the rules here involve the rest of the config.
 */

/** ingress-nginx's parser.BasicCharsRegex (spaces removed first), which the canary-by-header annotations must match. */
const INGRESS_NGINX_HEADER = /^[-._~a-zA-Z0-9/:]+$/;

/**
 * `canary.header.value`: a value both proxies match exactly. NGINX strips the whitespace around a
 * request header's value, and NGF splits it on ',' before comparing each part exactly
 * (modules/src/httpmatches.js, headersMatch) and refuses a value empty after trimming.
 */
export function headerValue(key: string, raw: unknown): string {
    const value = v.string(key, raw);
    if (value.length > 4096 || value.trim() !== value || value.includes(",") || [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
        throw new ConfigError(
            key,
            raw,
            "a header value of 1 to 4096 characters with no space at either end, no ',' and no control characters such as a tab (NGINX trims the value, NGINX Gateway Fabric splits it on ',' and compares exactly: such a value never matches)",
        );
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
