import { key, section } from "../../config/schemaKit";
import { integer } from "../../config/validate";
import { annotationValue, exact, Feature, goInt } from "../feature";

/*
 * Requests per second per client address, with a burst served without delay; 503 beyond.
 * ingress-nginx: limit-rps and limit-burst-multiplier (burst = rps x multiplier, default 5;
 * `nodelay`; status limit-req-status-code, default 503), keyed by the client address. NGF 2.6.7:
 * RateLimitPolicy spec.rateLimit.local.rules[] { rate `^\d+r/[sm]$`, key, burst, noDelay } with
 * rejectCode (400-599). Both count per proxy replica.
 */

export interface RateLimit {
    requestsPerSecond: number;
    /** Requests above the rate served at once; a multiple of requestsPerSecond (ingress-nginx takes a multiplier). */
    burst?: number;
}

export const RATE_LIMIT_ANNOTATIONS = {
    rps: "nginx.ingress.kubernetes.io/limit-rps",
    multiplier: "nginx.ingress.kubernetes.io/limit-burst-multiplier",
} as const;
/** ingress-nginx's limit-burst-multiplier default. */
export const INGRESS_NGINX_BURST_MULTIPLIER = 5;
/** ingress-nginx's limit-req-status-code default, made explicit on the Gateway. */
export const REJECT_CODE = 503;

const burstOf = (r: RateLimit) => r.burst ?? r.requestsPerSecond * INGRESS_NGINX_BURST_MULTIPLIER;

export const rateLimit: Feature<RateLimit> = {
    key: "rateLimit",
    description: "{ requestsPerSecond, burst }: requests per second per client address, with a burst served at once (503 beyond).",
    schema: (description: string) =>
        section(
            {
                requestsPerSecond: key((k, x) => integer(k, x, 1, 100000), {
                    description: "Requests per second per client address.",
                    json: { type: "integer", minimum: 1, maximum: 100000 },
                    required: true,
                }),
                burst: key((k, x) => integer(k, x, 0, 10000000), {
                    description: "Requests above the rate served at once (default 5 x requestsPerSecond, as ingress-nginx).",
                    json: { type: "integer", minimum: 0 },
                }),
            },
            { description, optional: true },
        ),
    annotations: Object.values(RATE_LIMIT_ANNOTATIONS),
    ingress: (r) => ({
        [RATE_LIMIT_ANNOTATIONS.rps]: String(r.requestsPerSecond),
        [RATE_LIMIT_ANNOTATIONS.multiplier]: String(burstOf(r) / r.requestsPerSecond),
    }),
    gateway: (r) => ({
        filters: [],
        policies: [
            {
                kind: "RateLimitPolicy",
                target: "targetRefs",
                spec: {
                    rateLimit: {
                        local: { rules: [{ rate: `${r.requestsPerSecond}r/s`, key: "$binary_remote_addr", burst: burstOf(r), noDelay: true }] },
                        rejectCode: REJECT_CODE,
                    },
                },
            },
        ],
    }),
    verdict: () => ({ ingress: exact, gateway: exact }),
    // limit-burst-multiplier alone does nothing; limit-rpm and limit-connections stay ingress-nginx annotations.
    fromIngress: (a) => {
        const rps = annotationValue(a, RATE_LIMIT_ANNOTATIONS.rps);
        if (rps === undefined) return undefined;
        const raw = annotationValue(a, RATE_LIMIT_ANNOTATIONS.multiplier);
        const multiplier = raw === undefined ? INGRESS_NGINX_BURST_MULTIPLIER : goInt(raw);
        const n = goInt(rps);
        const read = Object.values(RATE_LIMIT_ANNOTATIONS).filter((x) => a[x] !== undefined);
        if (n === undefined || n <= 0) return { read, notes: [`limit-rps '${rps}' is no positive whole number, which ingress-nginx ignores: no rate limit`] };
        return {
            value: { requestsPerSecond: n, burst: n * (multiplier ?? INGRESS_NGINX_BURST_MULTIPLIER) },
            read,
            notes: multiplier === undefined ? [`limit-burst-multiplier '${raw}' is no whole number: ingress-nginx's 5 is used`] : [],
        };
    },
    refuses: (r) =>
        burstOf(r) % r.requestsPerSecond === 0
            ? undefined
            : `a burst that is a multiple of requestsPerSecond (${r.requestsPerSecond}): ingress-nginx takes the burst as a multiplier of the rate`,
};
