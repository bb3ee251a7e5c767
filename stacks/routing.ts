import { hostKey, HostPolicies, RouteSettings } from "../components/routing";
import { INGRESS_NGINX } from "../components/ingressNginxAnnotations";
import { Proxy, PROXIES, PROXY_NAMES } from "../routing/feature";
import { FEATURES } from "../routing/features";
import { gatewayRender, ingressAnnotations, ingressPath, inUse, verdictFor } from "../routing/model";
import { ParityMode, ParityReport, parityReport } from "../routing/parity";
import { ConfigError, ConfigErrors } from "../config/errors";
import { ParsedRoutes, parseRoutes, routePolicies, RoutingConfig } from "./routes";
import type { Config } from "./schema";
import * as pulumi from "@pulumi/pulumi";

/*
 * The routing slice of the settings: the hosts, paths and TLS both proxies serve (parsed in
 * stacks/routes.ts), each host's traffic policies rendered for each proxy (routing/model.ts),
 * the refusals of what an enabled proxy cannot express, and the parity report.
 */

export interface RoutingSettings extends RouteSettings {
    /** With TLS, redirect http to https (308 on both proxies). */
    sslRedirect: boolean;
    /** What both proxies render for each host (by hostKey). */
    hosts: Record<string, HostPolicies>;
    /** The `parity` stack output. */
    parity: ParityReport;
}

export interface RoutingContext {
    enabled: Record<Proxy, boolean>;
    /** The program installs NGINX Gateway Fabric, so its policy objects can be declared. */
    ngf: boolean;
    mode: ParityMode;
    /** The user's `ingress.annotations`. */
    annotations: Record<string, string>;
    /** The key `parity` was set at, for the error's hint. */
    prefix: string;
}

/**
 * The routing (hosts, paths, TLS, the redirect) both proxies serve: from the top-level `routing`
 * key, or from its old place under `ingress`, which keeps working with a warning in the preview.
 * Both at once is refused: one would silently win. `routingSet`: whether the user set `routing`
 * (its keys have defaults, so the parsed value is always there).
 */
export function readRoutes(o: Config["ingress"], routingConfig: Config["routing"], routingSet: boolean): ParsedRoutes & { sslRedirect: boolean } {
    // The routing keys are the top-level `routing`'s (stacks/schema.ts); under `ingress` they are deprecated.
    const legacy = (Object.keys(routingConfig) as (keyof Config["routing"])[]).filter((k) => o[k] !== undefined);
    // Under `routing` every key has its default (stacks/schema.ts); under `ingress`, none.
    let routing = routingConfig as RoutingConfig;
    let prefix = legacy.length > 0 ? "ingress" : "routing";
    if (routingSet) {
        if (legacy.length > 0) {
            throw new ConfigError(
                `ingress.${legacy[0]}`,
                o[legacy[0]],
                `nothing: routing is set, and ingress.${legacy[0]} is its old place; set it once, as routing.${legacy[0]}`,
            );
        }
        prefix = "routing";
    } else if (legacy.length > 0) {
        // The old place has no defaults of its own: what it leaves unset keeps routing's defaults.
        routing = { ...routing, ...Object.fromEntries(legacy.map((k) => [k, o[k]])) };
        void pulumi.log.warn(
            `${legacy.map((k) => `ingress.${k}`).join(", ")}: deprecated; move ${legacy.length > 1 ? "them" : "it"} to the top-level routing key (the Ingress and the Gateway both read it). The old place keeps working for now.`,
        );
    }
    return { ...parseRoutes(prefix, routing), sslRedirect: routing.sslRedirect };
}

/** Reads the routing model out of the parsed routes; every refusal it finds is thrown at once by the caller's check. */
export function parseRouting(routes: ParsedRoutes & { sslRedirect: boolean }, ctx: RoutingContext): RoutingSettings {
    const errors: ConfigError[] = [...annotationRefusals(ctx.annotations), ...overwrittenAnnotations(routes, ctx.annotations)];
    for (const route of routes.routes) {
        const { policies, keys } = routePolicies(route);
        for (const { feature, value } of inUse(policies)) {
            const refused = feature.refuses?.(value, route);
            if (refused) errors.push(new ConfigError(keys[feature.key], value, refused));
            if (ctx.mode === "report") continue;
            for (const proxy of PROXIES.filter((p) => ctx.enabled[p])) {
                const v = verdictFor(feature, value, proxy, ctx.ngf);
                if (v.level !== "unsupported") continue;
                errors.push(
                    new ConfigError(
                        keys[feature.key],
                        value,
                        `a policy ${PROXY_NAMES[proxy]} can express while ${proxy} is an exposure: ${v.why}. Instead: ${v.alternative}; or set ${ctx.prefix}.parity: report to accept the difference (the parity output lists it)`,
                    ),
                );
            }
        }
    }
    const unique = errors.filter((e, i) => errors.findIndex((x) => x.message === e.message) === i);
    if (unique.length === 1) throw unique[0];
    if (unique.length > 1) throw new ConfigErrors(unique);
    const hosts: Record<string, HostPolicies> = {};
    for (const route of routes.routes) {
        const { policies } = routePolicies(route);
        const gateway = gatewayRender(policies, ctx.ngf);
        const paths = { ...hosts[hostKey(route.host)]?.ingressPaths };
        const changed = ingressPath(policies, route);
        if (changed.path !== route.path || changed.pathType !== route.pathType) paths[route.path] = changed;
        hosts[hostKey(route.host)] = {
            annotations: ingressAnnotations(policies),
            ingressPaths: paths,
            filters: gateway.filters,
            ngfPolicies: gateway.policies,
        };
    }
    const parity = parityReport({
        routes: routes.routes.map((r) => ({ route: `${r.host ?? "*"}${r.path}`, policies: routePolicies(r).policies })),
        enabled: ctx.enabled,
        ngf: ctx.ngf,
        ingressOnlyAnnotations: Object.keys(ctx.annotations).filter((a) => a.startsWith(INGRESS_NGINX)),
    });
    return { routes: routes.routes, tls: routes.tls, sslRedirect: routes.sslRedirect, hosts, parity };
}

/** An `ingress.annotations` entry a routing feature owns: it would reach ingress-nginx only. */
function annotationRefusals(annotations: Record<string, string>): ConfigError[] {
    return FEATURES.flatMap((f) =>
        f.annotations
            .filter((a) => annotations[a] !== undefined)
            .map(
                (a) =>
                    new ConfigError(
                        `ingress.annotations.${a}`,
                        annotations[a],
                        `nothing here: set routing.${f.key} instead, which reaches both ingress-nginx and the Gateway (an annotation reaches ingress-nginx only)`,
                    ),
            ),
    );
}

/**
 * An `ingress.annotations` entry a policy in use writes with another value (rewrite-target beside
 * routing.rewrite): the policy's would silently win on its hosts, and the user's elsewhere.
 */
function overwrittenAnnotations(routes: ParsedRoutes, annotations: Record<string, string>): ConfigError[] {
    return routes.routes.flatMap((route) => {
        const { policies, keys } = routePolicies(route);
        return inUse(policies).flatMap(({ feature, value }) =>
            Object.entries(feature.ingress(value))
                .filter(([a, v]) => annotations[a] !== undefined && annotations[a] !== v)
                .map(
                    ([a, v]) =>
                        new ConfigError(
                            `ingress.annotations.${a}`,
                            annotations[a],
                            `nothing here while ${keys[feature.key]} is set, which gives the Ingress ${a}: ${JSON.stringify(v)} (it reaches ingress-nginx and the Gateway alike)`,
                        ),
                ),
        );
    });
}
