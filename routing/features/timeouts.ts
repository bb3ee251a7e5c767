import { withoutUndefined } from "../../components/outputs";
import { annotationValue, exact, Feature, FromIngress, GatewayRender, goInt } from "../feature";
import { key, section } from "../../config/schemaKit";
import { duration, seconds } from "./durations";

/*
 * Upstream timeouts. ingress-nginx: proxy-connect-timeout, proxy-read-timeout,
 * proxy-send-timeout (whole seconds; defaults 5, 60, 60). NGF 2.6.7: ProxySettingsPolicy
 * spec.timeout.{connect,read,send}. Not HTTPRoute rules[].timeouts: NGF 2.6.7 accepts the route
 * with reason UnsupportedField and ignores them (docs/verification.md "Routing model").
 */

export interface Timeouts {
    connect?: string;
    read?: string;
    send?: string;
}

export const TIMEOUT_ANNOTATIONS = {
    connect: "nginx.ingress.kubernetes.io/proxy-connect-timeout",
    read: "nginx.ingress.kubernetes.io/proxy-read-timeout",
    send: "nginx.ingress.kubernetes.io/proxy-send-timeout",
} as const;

/**
 * ingress-nginx's connect timeout is 5 s (its proxy-connect-timeout default); NGINX's, which NGF
 * keeps when no policy says otherwise, is 60 s. Read and send are 60 s on both.
 */
export const INGRESS_NGINX_CONNECT_DEFAULT = "5s";

const PHASES = ["connect", "read", "send"] as const;

function gateway(value: Timeouts): GatewayRender {
    const timeout = { connect: INGRESS_NGINX_CONNECT_DEFAULT, ...withoutUndefined(value) };
    return { filters: [], policies: [{ kind: "ProxySettingsPolicy", target: "targetRefs", spec: { timeout } }] };
}

/** The annotations' seconds as durations; ingress-nginx ignores a value that is not a whole number (its default stays). */
function fromIngress(a: Record<string, string>): FromIngress | undefined {
    const set = PHASES.filter((p) => annotationValue(a, TIMEOUT_ANNOTATIONS[p]) !== undefined);
    if (set.length === 0) return undefined;
    const notes: string[] = [];
    const value: Timeouts = {};
    for (const p of set) {
        const raw = annotationValue(a, TIMEOUT_ANNOTATIONS[p])!;
        const n = goInt(raw);
        if (n === undefined || n <= 0)
            notes.push(`${TIMEOUT_ANNOTATIONS[p]}: '${raw}' is no whole number of seconds, which ingress-nginx ignores: left at the default`);
        else value[p] = n > 9999 && n % 60 === 0 ? `${n / 60}m` : `${n}s`;
    }
    return { value: Object.keys(value).length > 0 ? value : undefined, read: set.map((p) => TIMEOUT_ANNOTATIONS[p]), notes };
}

export const timeouts: Feature<Timeouts> = {
    key: "timeouts",
    description: "Upstream timeouts to the echo pods: { connect, read, send } (defaults 5s, 60s, 60s on both proxies).",
    schema: (description: string) =>
        section(
            Object.fromEntries(
                PHASES.map((p) => [
                    p,
                    key(duration, {
                        description: `The ${p} timeout to the echo pods ('5s', '2m').`,
                        json: { type: "string", pattern: "^[1-9][0-9]{0,3}(s|m|h)$" },
                    }),
                ]),
            ) as Record<(typeof PHASES)[number], ReturnType<typeof key<string>>>,
            { description, optional: true },
        ),
    annotations: Object.values(TIMEOUT_ANNOTATIONS),
    ingress: (value) => Object.fromEntries(PHASES.filter((p) => value[p] !== undefined).map((p) => [TIMEOUT_ANNOTATIONS[p], String(seconds(value[p]!))])),
    gateway,
    gatewayDefault: gateway({}),
    verdict: () => ({ ingress: exact, gateway: exact }),
    fromIngress,
};
