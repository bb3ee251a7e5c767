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

export interface TlsSettings {
    hosts: string[];
    secretName: string;
}

export interface RouteSettings {
    routes: Route[];
    tls: TlsSettings[];
}

/** True where the route's host is served over TLS, so its URL is https. */
export function isTls(settings: RouteSettings, route: Route): boolean {
    return route.host !== undefined && settings.tls.some((t) => t.hosts.includes(route.host!));
}
