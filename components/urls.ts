/*
 * Pure helpers that turn what the cluster reports into the URLs users paste into a browser or
 * curl. They never return `undefined`/`null` inside a string: where an address is not known yet,
 * the value says so, and how to look it up.
 */

export type Scheme = "http" | "https";

/** http://host[:port][path], leaving out the scheme's default port. IPv6 hosts get brackets. */
export function httpUrl(scheme: Scheme, host: string, port?: number, path = ""): string {
    const defaultPort = scheme === "https" ? 443 : 80;
    const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    const p = port === undefined || port === defaultPort ? "" : `:${port}`;
    return `${scheme}://${h}${p}${path}`;
}

/**
 * A route's path as a URL's path that reaches it: NGINX matches a location against the decoded
 * URI, so every character outside RFC 3986's path characters is percent-encoded, `%` itself
 * included (`/a%20b` is reached by `/a%2520b`), and `#` and `?` (a fragment is never sent; a query
 * is not part of the path) become `%23` and `%3F`.
 */
export function urlPath(path: string): string {
    return [...path].map((c) => (/^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/.test(c) ? c : encodeURIComponent(c))).join("");
}

/** The shape both Service and Ingress status use for a load balancer's address. */
export interface LoadBalancerIngress {
    ip?: string;
    hostname?: string;
}

/**
 * The first reported address of a load balancer: an IP on most clouds and MetalLB, a hostname on
 * AWS (ELB/NLB report only `hostname`), so both must be read.
 */
export function firstAddress(ingress: LoadBalancerIngress[] | undefined | null): string | undefined {
    const first = ingress?.[0];
    return first?.ip || first?.hostname || undefined;
}

/** The plain-words value used in place of a URL whose address is not known yet. */
export function pending(what: string, howToFind: string): string {
    return `pending: ${what} (find it with: ${howToFind})`;
}
