import * as pulumi from "@pulumi/pulumi";

/*
 * The L7 routing both the Ingress and the HTTPRoutes carry: which hosts and paths reach the echo
 * app, and which hosts are served over TLS (stacks/routes.ts reads it from config).
 */

export const PATH_TYPES = ["Prefix", "Exact", "ImplementationSpecific"] as const;
export type PathType = (typeof PATH_TYPES)[number];

export interface Route {
    /** Undefined: any host (the seed's rule has none). */
    host?: string;
    path: string;
    pathType: PathType;
}

/**
 * What the routing model (routing/model.ts) renders for the routes of one host, for each proxy:
 * plain data the components declare.
 */
export interface HostPolicies {
    /** ingress-nginx annotations of the Ingress that serves the host. */
    annotations: Record<string, string>;
    /** The Ingress path of each of the host's route paths that a policy changes (rewrite: a regex), by route path. */
    ingressPaths: Record<string, { path: string; pathType: PathType }>;
    /** Filters on every rule of the host's HTTPRoute that proxies to the echo pods. */
    filters: Record<string, unknown>[];
    /** NGINX Gateway Fabric policy objects that target the host's HTTPRoute (without the target). */
    ngfPolicies: { kind: string; target: "targetRef" | "targetRefs"; spec: Record<string, unknown> }[];
}

/** The key of a host in the routing model's maps: its name, or "*" for any host. */
export const hostKey = (host: string | undefined): string => host ?? "*";

export interface TlsSettings {
    /** The routed hosts this certificate serves. */
    hosts: string[];
    /** The kubernetes.io/tls Secret holding it (cert-manager writes it when it issues). */
    secretName: string;
}

export interface RouteSettings {
    /** Each host and path routed to the echo app (one route without a host: any host). */
    routes: Route[];
    /** Which hosts are served over TLS, and with which Secret (stack default none). */
    tls: TlsSettings[];
}

/** True where the route's host is served over TLS, so its URL is https. */
export function isTls(settings: RouteSettings, route: Route): boolean {
    return route.host !== undefined && settings.tls.some((t) => t.hosts.includes(route.host!));
}

/** A Service a route sends requests to: its name and port (the echo Service, or the canary's). */
export interface BackendService {
    name: pulumi.Input<string>;
    port: number;
}

/** How the routes split requests between the stable Service and a canary's (both proxies read it). */
export interface RouteCanary {
    service: BackendService;
    /** Percent (0-100) of requests for the canary. */
    weight: number;
    /** Requests with this header (exact value) always go to the canary. */
    header?: { name: string; value: string };
}
