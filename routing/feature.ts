import { z } from "zod";
import { PathType } from "../components/routing";

/*
 * A routing feature (a traffic policy) in one place: its config keys, its rules, how each proxy
 * renders it, and whether each proxy can express it, at the versions the program pins. The model
 * (routing/model.ts) applies every feature to every route; the refusals and the parity report
 * read the same verdicts. One feature, one file under routing/features/, one table test.
 */

/** The two proxies the routing model renders to. */
export const PROXIES = ["ingress", "gateway"] as const;
export type Proxy = (typeof PROXIES)[number];

/** What a proxy is called in errors and the parity report, with the version the program pins. */
export const PROXY_NAMES: Record<Proxy, string> = {
    ingress: "ingress-nginx 1.15.1",
    gateway: "NGINX Gateway Fabric 2.6.7 (Gateway API 1.5.1)",
};

/** How well a proxy expresses a feature's value. */
export type Verdict = { level: "exact" } | { level: "approximate"; how: string } | { level: "unsupported"; why: string; alternative: string };

export const exact: Verdict = { level: "exact" };
export const approximate = (how: string): Verdict => ({ level: "approximate", how });
export const unsupported = (why: string, alternative: string): Verdict => ({ level: "unsupported", why, alternative });

/** A verdict as the parity report prints it. */
export function verdictText(v: Verdict): string {
    if (v.level === "exact") return "exact";
    if (v.level === "approximate") return `approximate: ${v.how}`;
    return `unsupported: ${v.why} (instead: ${v.alternative})`;
}

/** An NGINX Gateway Fabric policy object, without the targetRef(s) the Gateway renderer adds. */
export interface NgfPolicy {
    kind: "ClientSettingsPolicy" | "ProxySettingsPolicy" | "RateLimitPolicy";
    /** Its CRD's single-target or multi-target form (ClientSettingsPolicy has `targetRef`; the others `targetRefs`). */
    target: "targetRef" | "targetRefs";
    spec: Record<string, unknown>;
}

/** What a feature adds to an HTTPRoute: filters on each of its rules, and policies that target it. */
export interface GatewayRender {
    filters: Record<string, unknown>[];
    policies: NgfPolicy[];
}

export const NO_GATEWAY_RENDER: GatewayRender = { filters: [], policies: [] };

/**
 * One routing feature. `V` is the value of its key once the schema has read it (the key's type);
 * `undefined` when the key is not set, for the top level and each host.
 */
export interface Feature<V> {
    /** Its key under `routing` and each `routing.hosts[i]`. */
    key: string;
    /** What the key does, in one line (the schema, config.schema.json and docs/configuration.md show it). */
    description: string;
    /** The key's one declaration: type, allowed values, description (stacks/schema.ts places it). */
    schema: (description: string) => z.ZodType<V | undefined, unknown>;
    /** The ingress-nginx annotations it owns: `ingress.annotations` may not set them (use the key). */
    annotations: readonly string[];
    /** The annotations of an Ingress whose routes have this value. */
    ingress(value: V): Record<string, string>;
    /** The path an Ingress gives a route with this value, where the feature changes it (rewrite: a regex). */
    ingressPath?(value: V, route: { path: string; pathType: PathType }): { path: string; pathType: PathType };
    /** The filters and NGF policies of an HTTPRoute whose routes have this value. */
    gateway(value: V): GatewayRender;
    /**
     * The Gateway's rendering when the key is not set, where NGF's default differs from
     * ingress-nginx's: the model's default is ingress-nginx's, made explicit on the Gateway.
     */
    gatewayDefault?: GatewayRender;
    /** How well each proxy expresses the value. */
    verdict(value: V): Record<Proxy, Verdict>;
    /**
     * The rules between this value and the route it applies to (a path type it needs, say):
     * a sentence of what is allowed when the value does not fit, else undefined.
     */
    refuses?(value: V, route: { path: string; pathType: string }): string | undefined;
    /**
     * The key as an estate's Ingress sets it with ingress-nginx annotations (`npm run migrate`), or
     * undefined where the Ingress sets none of the annotations this feature reads.
     */
    fromIngress?(annotations: Record<string, string>, paths: { path: string; pathType: PathType }[]): FromIngress | undefined;
}

/** What `npm run migrate` reads for a feature from one of an estate's Ingresses. */
export interface FromIngress {
    /** The key's value as a user writes it in config (the key's schema then reads it); undefined: nothing to set. */
    value?: unknown;
    /** The annotations it read: they become the key. */
    read: string[];
    /** What differs from the annotations' behaviour, a sentence each (none: the same). */
    notes: string[];
    /** The route each of the Ingress's paths becomes, where the feature changes it (rewrite: a regex idiom back to its Prefix path). */
    paths?: Record<string, { path: string; pathType: PathType }>;
}

/** An annotation's value as ingress-nginx reads it: trimmed, and absent when empty (ingress-nginx ignores an empty value). */
export function annotationValue(annotations: Record<string, string>, name: string): string | undefined {
    const v = annotations[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
}

/** A boolean as Go's strconv.ParseBool reads it, which ingress-nginx's annotation parser uses; undefined when it is none. */
export function goBool(s: string): boolean | undefined {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
    return undefined;
}

/** A whole number as Go's strconv.Atoi reads it, or undefined. */
export const goInt = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);

/** A feature of any value type, as the model holds them in one list. */
export type AnyFeature = Feature<any>;
