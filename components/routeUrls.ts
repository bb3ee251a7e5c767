import { isTls, RouteSettings } from "../stacks/routes";
import { httpUrl } from "./urls";

/**
 * The URL of each route. A route with a host is reached by that host name (DNS points it at the
 * proxy); a route without one by the proxy's address (`authority`: host[:port] as a client types
 * it), or, where no address is known, by the plain-words `unknownAddress` message instead.
 */
export function routeUrls(routing: RouteSettings, authority: string | undefined, unknownAddress: string): string[] {
    return routing.routes.map((route) => {
        const scheme = isTls(routing, route) ? "https" : "http";
        if (route.host) return httpUrl(scheme, route.host, undefined, route.path);
        return authority ? `${scheme}://${authority}${route.path}` : unknownAddress;
    });
}

/** An address as the authority part of a URL: IPv6 literals need brackets. */
export function authority(address: string): string {
    return address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
}

/** Where clients reach a proxy: its address (host[:port]) when known, and what to say when it is not. */
export interface Reach {
    address?: string;
    pending: string;
}
