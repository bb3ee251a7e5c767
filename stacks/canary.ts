import { CanarySettings } from "../components/canary";
import { ConfigError } from "./errors";
import * as kv from "./kubernetesValues";
import { optional } from "./optional";
import * as v from "./validate";

export type { CanarySettings } from "../components/canary";

/*
 * `canary`: a second track of the echo app beside the stable one, with a share of the requests
 * (and, by a header, every request that asks) routed to it through ingress-nginx and the Gateway.
 */

const KEYS = ["text", "image", "replicas", "weight", "header"];

/**
 * Gateway API's HTTPHeaderName (an RFC 7230 token, at most 256 characters: the pattern on
 * HTTPRoute's header matches in standard-install.yaml v1.5.1); ingress-nginx takes any string.
 */
const HTTP_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** ingress-nginx's parser.BasicCharsRegex (spaces removed first), which the canary-by-header annotations must match. */
const INGRESS_NGINX_HEADER = /^[-._~a-zA-Z0-9/:]+$/;

export function parseCanary(raw: unknown, exposures: string[], stable: { image: string; replicas: number }): CanarySettings | undefined {
    if (raw === undefined || raw === null) return undefined;
    const o = v.object("canary", raw, KEYS);
    if (!exposures.includes("ingress") && !exposures.includes("gateway")) {
        throw new ConfigError(
            "canary",
            raw,
            "a canary only with the ingress or gateway exposure, which split requests by weight and header (Services cannot); add one to exposures, or remove canary",
        );
    }
    const header = optional(o.header, (x) => {
        const h = v.object("canary.header", x, ["name", "value"]);
        const name = v.string("canary.header.name", h.name);
        if (name.length > 256 || !HTTP_TOKEN.test(name)) {
            throw new ConfigError(
                "canary.header.name",
                h.name,
                "an HTTP header name: a token of letters, digits and !#$%&'*+-.^_`|~, at most 256 characters (Gateway API HTTPHeaderName)",
            );
        }
        const value = optional(h.value, (y) => v.string("canary.header.value", y)) ?? "always";
        if (value.length > 4096 || /[\r\n]/.test(value)) {
            throw new ConfigError("canary.header.value", h.value, "a header value of at most 4096 characters, on one line (Gateway API HTTPHeaderMatch.value)");
        }
        if (exposures.includes("ingress")) {
            // ingress-nginx 1.15.1 validates both annotations with its BasicCharsRegex
            // (internal/ingress/annotations/canary/main.go, parser/validators.go), and nginx drops
            // request headers with '_' unless enable-underscores-in-headers is set.
            if (!INGRESS_NGINX_HEADER.test(name) || name.includes("_")) {
                throw new ConfigError(
                    "canary.header.name",
                    h.name,
                    "with the ingress exposure, letters, digits and '-', '.', '~', '/', ':' only (ingress-nginx's annotation validation; nginx drops headers with '_')",
                );
            }
            if (!INGRESS_NGINX_HEADER.test(value.replace(/\s/g, ""))) {
                throw new ConfigError(
                    "canary.header.value",
                    h.value,
                    "with the ingress exposure, letters, digits and '-', '.', '_', '~', '/', ':' only (ingress-nginx's annotation validation)",
                );
            }
        }
        return { name, value };
    });
    return {
        text: v.string("canary.text", o.text),
        image: optional(o.image, (x) => kv.pinnedImage("canary.image", x)) ?? stable.image,
        replicas: optional(o.replicas, (x) => v.integer("canary.replicas", x, 1, 20, "a whole number of replicas")) ?? 1,
        weight: v.integer("canary.weight", o.weight ?? 0, 0, 100, "a whole percentage of requests for the canary"),
        header,
    };
}
