import { PATH_TYPES, PathType, Route, RouteSettings } from "../components/routing";
import { deepInspectionRefuses } from "./controllerRules";
import { ConfigError } from "./errors";
import { optional } from "./optional";
import * as v from "./validate";

/*
 * The L7 routing of the echo app: which hosts and paths reach it, and which are served over TLS.
 * It is parsed once and used by both the Ingress (ingress-nginx) and the HTTPRoute (Gateway API),
 * so the two exposures route exactly the same traffic and a user can cut over by DNS.
 */

export { isTls, PATH_TYPES } from "../components/routing";
export type { PathType, Route, RouteSettings, TlsSettings } from "../components/routing";

export const ROUTE_DEFAULTS = { path: "/vericonf", pathType: "Prefix" as PathType };

/** Where each route's path and pathType were set: a host entry's own keys, or the top-level ones it inherits. */
const ROUTE_KEYS = new WeakMap<Route, { path: string; pathType: string }>();
/** Where each routing was set: `routing` (the top-level key) or `ingress` (its deprecated place). */
const ROUTING_PREFIX = new WeakMap<RouteSettings, string>();

/** Records where the routing of `settings` (which may copy parseRoutes' result) was set. */
export function markRouting<T extends RouteSettings>(settings: T, prefix: string): T {
    ROUTING_PREFIX.set(settings, prefix);
    return settings;
}

/** The config key the routing was set under, for error messages: `routing` or `ingress`. */
export function routingPrefix(routing: RouteSettings): string {
    return ROUTING_PREFIX.get(routing) ?? "routing";
}

/**
 * The config key a route's path or pathType was set at, for errors found after parsing:
 * `ingress.hosts[i].path` for a host's own path, `ingress.path` for one it inherits.
 */
export function routeKey(route: Route, field: "path" | "pathType"): string {
    const keys = ROUTE_KEYS.get(route);
    if (!keys) throw new Error("routeKey: a route not made by parseRoutes");
    return keys[field];
}

/**
 * Reads `<key>.path`, `<key>.pathType`, `<key>.hosts` and `<key>.tls` from an already-read object.
 * `hosts` entries are host names, or `{ host?, path?, pathType? }` for a host with its own path
 * (without `host`: any host, as the tutorial's rule).
 */
export function parseRoutes(key: string, obj: Record<string, unknown>): RouteSettings {
    const pathType = optional(obj.pathType, (x) => v.oneOf(`${key}.pathType`, x, PATH_TYPES)) ?? ROUTE_DEFAULTS.pathType;
    const path = optional(obj.path, (x) => validPath(`${key}.path`, x, pathType)) ?? ROUTE_DEFAULTS.path;

    const hostsRaw = optional(obj.hosts, (x) => {
        if (!Array.isArray(x)) throw new ConfigError(`${key}.hosts`, x, "a list of host names, or of { host, path, pathType } objects");
        return x;
    });
    const top = { path: `${key}.path`, pathType: `${key}.pathType` };
    const keyed = (route: Route, keys: { path: string; pathType: string }): Route => {
        ROUTE_KEYS.set(route, keys);
        return route;
    };
    const routes: Route[] =
        hostsRaw === undefined || hostsRaw.length === 0
            ? [keyed({ path, pathType }, top)]
            : hostsRaw.map((entry, i) => {
                  const k = `${key}.hosts[${i}]`;
                  if (typeof entry === "string") return keyed({ host: v.hostName(k, entry), path, pathType }, top);
                  const o = v.object(k, entry, ["host", "path", "pathType"]);
                  const pt = optional(o.pathType, (x) => v.oneOf(`${k}.pathType`, x, PATH_TYPES)) ?? pathType;
                  const keys = { path: o.path === undefined ? top.path : `${k}.path`, pathType: o.pathType === undefined ? top.pathType : `${k}.pathType` };
                  // No host: any host, as the tutorial's rule (beside named hosts, e.g. a TLS one).
                  // An inherited path is checked against this entry's pathType too, naming the key it was set at.
                  return keyed(
                      {
                          host: optional(o.host, (x) => v.hostName(`${k}.host`, x)),
                          path:
                              o.path === undefined
                                  ? obj.path === undefined
                                      ? path
                                      : validPath(top.path, obj.path, pt, pt === pathType ? "" : ` (${k}.pathType is ${pt})`)
                                  : validPath(`${k}.path`, o.path, pt),
                          pathType: pt,
                      },
                      keys,
                  );
              });

    const seen = new Set<string>();
    routes.forEach((r, i) => {
        const id = `${r.host ?? "*"}${r.path}`;
        if (seen.has(id)) {
            // The ingress-nginx admission webhook rejects a second Ingress path for the same host
            // and path at deploy time; fail here instead, before anything is touched.
            throw new ConfigError(
                `${key}.hosts[${i}]`,
                r.host ?? "",
                `each host and path once (host ${JSON.stringify(r.host)} with path ${JSON.stringify(r.path)} is listed twice)`,
            );
        }
        seen.add(id);
    });

    const hostNames = routes.map((r) => r.host).filter((h): h is string => h !== undefined);
    const tlsRaw =
        optional(obj.tls, (x) => {
            if (!Array.isArray(x)) throw new ConfigError(`${key}.tls`, x, "a list of { hosts, secretName }");
            return x;
        }) ?? [];
    const tls = tlsRaw.map((entry, i) => {
        const k = `${key}.tls[${i}]`;
        const o = v.object(k, entry, ["hosts", "secretName"]);
        if (o.secretName === undefined) {
            throw new ConfigError(
                `${k}.secretName`,
                undefined,
                "the name of a kubernetes.io/tls Secret holding the certificate for these hosts (TLS needs a secret)",
            );
        }
        const secretName = v.dnsSubdomain(`${k}.secretName`, o.secretName);
        const hosts = v.stringList(`${k}.hosts`, o.hosts ?? []);
        if (hosts.length === 0) throw new ConfigError(`${k}.hosts`, o.hosts, "a non-empty list of the hosts this certificate serves");
        hosts.forEach((h, j) => {
            if (!hostNames.includes(h))
                throw new ConfigError(`${k}.hosts[${j}]`, h, `one of the routed hosts (${hostNames.join(", ") || "none: set hosts first"})`);
        });
        return { hosts, secretName };
    });
    // The Ingress and the Gateway's HTTPS listener take one certificate per host: with two
    // Secrets for a host, ingress-nginx would silently serve the first.
    const secretOf = new Map<string, string>();
    tls.forEach((t, i) =>
        t.hosts.forEach((h, j) => {
            const first = secretOf.get(h);
            if (first !== undefined && first !== t.secretName) {
                throw new ConfigError(`${key}.tls[${i}].hosts[${j}]`, h, `each host in one TLS Secret (${h} is already served by Secret '${first}')`);
            }
            secretOf.set(h, t.secretName);
        }),
    );
    const settings = { routes, tls };
    ROUTING_PREFIX.set(settings, key);
    return settings;
}

function validPath(key: string, raw: unknown, pathType: PathType, context = ""): string {
    const path = v.string(key, raw);
    if (!path.startsWith("/")) throw new ConfigError(key, raw, "an absolute path starting with '/', such as '/vericonf'");
    // ingress-nginx (strict-validate-path-type, on by default since 1.12) rejects anything but
    // these characters in Prefix and Exact paths (controller 1.15.1 internal/ingress/inspector/
    // rules.go: `(?i)^/[[:alnum:]._\-/]*$`); regexes need ImplementationSpecific.
    if (pathType !== "ImplementationSpecific" && !/^\/[A-Za-z0-9/._-]*$/.test(path)) {
        throw new ConfigError(
            key,
            raw,
            `a path of letters, digits and / . _ - for pathType Prefix or Exact (use ImplementationSpecific for regex paths)${context}`,
        );
    }
    // Its deep inspection refuses paths of every type that look like NGINX directives or files.
    const inspected = deepInspectionRefuses(path);
    if (inspected) throw new ConfigError(key, raw, `a path ingress-nginx's deep inspection accepts: ${inspected}`);
    return path;
}
