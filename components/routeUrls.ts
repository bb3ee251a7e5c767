import { isTls, RouteSettings } from "./routing";
import { httpUrl, urlPath } from "./urls";

/**
 * The URL of each route. A route with a host is reached by that host name (DNS points it at the
 * proxy), on the port the proxy listens on for its scheme where that is not the default (a kind
 * port mapping, a custom listener port); a route without a host by the proxy's address, or,
 * where no address is known, by the plain-words `pending` message instead.
 */
export function routeUrls(routing: RouteSettings, reach: Reach): string[] {
    return routing.routes.map(({ host, path, pathType }) => {
        const route = { host, path: urlPath(path), pathType };
        const scheme = isTls(routing, route) ? "https" : "http";
        const via = scheme === "https" ? reach.httpsAddress : reach.address;
        if (route.host && via) return httpUrl(scheme, route.host, portOf(via), route.path);
        // A NodePort proxy with no address configured: the host's URL carries the node port
        // clients must use, or says how to find it (port 80/443 on a node answers nothing).
        if (route.host && reach.nodePorts) {
            const nodePort = reach.nodePorts[scheme === "https" ? "https" : "http"];
            return nodePort !== undefined ? httpUrl(scheme, route.host, nodePort, route.path) : reach.pending;
        }
        if (route.host) return httpUrl(scheme, route.host, undefined, route.path);
        return via ? `${scheme}://${via}${route.path}` : reach.pending;
    });
}

/** An address as the authority part of a URL: IPv6 literals need brackets. */
export function authority(address: string): string {
    return address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
}

/** host[:port] with the port added when it is not the scheme's default one. */
export function withPort(address: string, port: number, defaultPort: number): string {
    return /:\d+$/.test(address) || port === defaultPort ? address : `${address}:${port}`;
}

/** The port of an authority (host:port or [v6]:port), if it has one. */
export function portOf(address: string | undefined): number | undefined {
    const m = address === undefined ? null : /:(\d+)$/.exec(address);
    return m ? Number(m[1]) : undefined;
}

/**
 * Names the TLS Secrets of an Ingress or Gateway that something outside the stack provides (no
 * Certificate of the stack issues them), for reviewers and the policy pack's
 * tls-secret-issued-or-provided.
 */
export const PROVIDED_TLS_SECRETS = "echo-exposure/tls-secrets-provided";

/** The annotation declaring these Secrets provided from outside, when there are any. */
export function providedTlsAnnotation(secrets: string[]): Record<string, string> {
    return secrets.length > 0 ? { [PROVIDED_TLS_SECRETS]: [...new Set(secrets)].join(",") } : {};
}

/** Where clients reach a proxy: its http and https addresses (host[:port]) when known, and what to say when not. */
export interface Reach {
    address?: string;
    httpsAddress?: string;
    pending: string;
    /** A NodePort proxy's fixed node ports, when no address is configured: host URLs go to them. */
    nodePorts?: { http?: number; https?: number };
}
