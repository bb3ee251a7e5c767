import { PathType, Route, RouteSettings } from "../components/routing";
import type { Config } from "./schema";
import { deepInspectionRefuses } from "./controllerRules";
import { ConfigError } from "../config/errors";
import { FEATURES } from "../routing/features";
import { hostPolicies, Policies } from "../routing/model";

/*
 * The L7 routing of the echo app: which hosts and paths reach it, and which are served over TLS.
 * It is parsed once and used by both the Ingress (ingress-nginx) and the HTTPRoute (Gateway API),
 * so the two exposures route exactly the same traffic and a user can cut over by DNS.
 */

export { isTls, PATH_TYPES } from "../components/routing";
export type { PathType, Route, RouteSettings, TlsSettings } from "../components/routing";

/**
 * A route as the config set it: the route both proxies serve, the config keys its path and
 * pathType were set at (a host entry's own, or the top-level ones it inherits), and its traffic
 * policies (routing/model.ts) with the key each was set at. Structurally a Route, so the components
 * take it as one; the rules in stacks/ read the keys for their errors.
 */
export interface KeyedRoute extends Route {
    keys: { path: string; pathType: string };
    policies: Policies;
    policyKeys: Record<string, string>;
}

/** The parsed routing: its routes and TLS, and the key it was set under (`routing`, or `ingress`, its old place). */
export interface ParsedRoutes extends RouteSettings {
    routes: KeyedRoute[];
    prefix: string;
}

/** A route's traffic policies, and for each the config key it was set at. */
export function routePolicies(route: KeyedRoute): { policies: Policies; keys: Record<string, string> } {
    return { policies: route.policies, keys: route.policyKeys };
}

/** The config key the routing was set under, for error messages: `routing` or `ingress`. */
export function routingPrefix(routing: { prefix?: string }): string {
    return routing.prefix ?? "routing";
}

/**
 * The config key a route's path or pathType was set at, for errors found after parsing:
 * `ingress.hosts[i].path` for a host's own path, `ingress.path` for one it inherits.
 */
export function routeKey(route: KeyedRoute, field: "path" | "pathType"): string {
    return route.keys[field];
}

/**
 * The routing keys as stacks/schema.ts declares and reads them (under `routing`, or their old place
 * under `ingress`, merged over routing's defaults): the schema's own type, not a copy.
 */
export type RoutingConfig = Partial<Omit<Config["routing"], Defaulted>> & { [K in Defaulted]-?: NonNullable<Config["routing"][K]> };
/** The keys routing always has (their schema defaults; the old place is merged over them). */
type Defaulted = "path" | "pathType" | "sslRedirect";

/** The traffic policies set directly in `o` (routing, or one of its hosts), with the keys they were set at. */
function policiesIn(o: object, key: string): { policies: Policies; keys: Record<string, string> } {
    const set = FEATURES.filter((f) => (o as Policies)[f.key] !== undefined);
    return {
        policies: Object.fromEntries(set.map((f) => [f.key, (o as Policies)[f.key]])),
        keys: Object.fromEntries(set.map((f) => [f.key, `${key}.${f.key}`])),
    };
}

/**
 * Each route's policies: its host entry's over routing's. A host's routes share one Ingress and one
 * HTTPRoute, which carry its policies, so every entry of a host must say the same.
 */
function attachPolicies(key: string, obj: RoutingConfig, routes: KeyedRoute[]): void {
    const top = policiesIn(obj, key);
    const byHost = new Map<string | undefined, { policies: Policies; at: number }>();
    routes.forEach((route, i) => {
        const entry = obj.hosts?.[i];
        const own = typeof entry === "object" ? policiesIn(entry, `${key}.hosts[${i}]`) : { policies: {}, keys: {} };
        const policies = hostPolicies(top.policies, own.policies);
        const first = byHost.get(route.host);
        if (first && JSON.stringify(first.policies) !== JSON.stringify(policies)) {
            throw new ConfigError(
                `${key}.hosts[${i}]`,
                entry,
                `the same traffic policies as ${key}.hosts[${first.at}], the other entry of host ${JSON.stringify(route.host ?? "any")}: a host's paths share its Ingress and HTTPRoute, which carry its policies`,
            );
        }
        byHost.set(route.host, first ?? { policies, at: i });
        route.policies = policies;
        route.policyKeys = { ...top.keys, ...own.keys };
    });
}

/**
 * The routes of `<key>` (`routing`, or `ingress` for the old place). `hosts` entries are host
 * names, or `{ host?, path?, pathType? }` for a host with its own path (without `host`: any host,
 * as the tutorial's rule). The rules here are those between the keys: a path's characters depend
 * on its pathType, a host and path once, TLS hosts routed and in one Secret each.
 */
export function parseRoutes(key: string, obj: RoutingConfig): ParsedRoutes {
    const { pathType } = obj;
    const path = validPath(`${key}.path`, obj.path, pathType);
    const top = { path: `${key}.path`, pathType: `${key}.pathType` };
    const keyed = (route: Route, keys: { path: string; pathType: string }): KeyedRoute => ({ ...route, keys, policies: {}, policyKeys: {} });
    const hosts = obj.hosts ?? [];
    const routes: KeyedRoute[] =
        hosts.length === 0
            ? [keyed({ path, pathType }, top)]
            : hosts.map((entry, i) => {
                  const k = `${key}.hosts[${i}]`;
                  if (typeof entry === "string") return keyed({ host: entry, path, pathType }, top);
                  const pt = entry.pathType ?? pathType;
                  const keys = {
                      path: entry.path === undefined ? top.path : `${k}.path`,
                      pathType: entry.pathType === undefined ? top.pathType : `${k}.pathType`,
                  };
                  // No host: any host, as the tutorial's rule (beside named hosts, e.g. a TLS one).
                  // An inherited path is checked against this entry's pathType too, naming the key it was set at.
                  return keyed(
                      {
                          host: entry.host,
                          path:
                              entry.path === undefined
                                  ? validPath(top.path, obj.path, pt, pt === pathType ? "" : ` (${k}.pathType is ${pt})`)
                                  : validPath(`${k}.path`, entry.path, pt),
                          pathType: pt,
                      },
                      keys,
                  );
              });

    attachPolicies(key, obj, routes);
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
    const tls = (obj.tls ?? []).map((t, i) => {
        const k = `${key}.tls[${i}]`;
        if (t.hosts.length === 0) throw new ConfigError(`${k}.hosts`, t.hosts, "a non-empty list of the hosts this certificate serves");
        t.hosts.forEach((h, j) => {
            if (!hostNames.includes(h))
                throw new ConfigError(`${k}.hosts[${j}]`, h, `one of the routed hosts (${hostNames.join(", ") || "none: set hosts first"})`);
        });
        return { hosts: t.hosts, secretName: t.secretName };
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
    return { routes, tls, prefix: key };
}

/** What the API server refuses in an Ingress's Prefix and Exact paths (validateHTTPIngressPath). */
export const INGRESS_INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
export const INGRESS_INVALID_PATH_SUFFIXES = ["/..", "/."];

function validPath(key: string, path: string, pathType: PathType, context = ""): string {
    if (!path.startsWith("/")) throw new ConfigError(key, path, "an absolute path starting with '/', such as '/vericonf'");
    // ingress-nginx (strict-validate-path-type, on by default since 1.12) rejects anything but
    // these characters in Prefix and Exact paths (controller 1.15.1 internal/ingress/inspector/
    // rules.go: `(?i)^/[[:alnum:]._\-/]*$`); regexes need ImplementationSpecific.
    if (pathType !== "ImplementationSpecific" && !/^\/[A-Za-z0-9/._-]*$/.test(path)) {
        throw new ConfigError(
            key,
            path,
            `a path of letters, digits and / . _ - for pathType Prefix or Exact (use ImplementationSpecific for regex paths)${context}`,
        );
    }
    // The API server refuses these in an Ingress's Prefix and Exact paths, whatever the controller
    // (kubernetes v1.36.3 pkg/apis/networking/validation/validation.go, validateHTTPIngressPath:
    // invalidPathSequences, invalidPathSuffixes).
    if (pathType !== "ImplementationSpecific") {
        const sequence = INGRESS_INVALID_PATH_SEQUENCES.find((q) => path.includes(q));
        const suffix = INGRESS_INVALID_PATH_SUFFIXES.find((q) => path.endsWith(q));
        if (sequence !== undefined || suffix !== undefined) {
            throw new ConfigError(
                key,
                path,
                `a ${pathType} path the API server accepts in an Ingress: no ${INGRESS_INVALID_PATH_SEQUENCES.map((q) => `'${q}'`).join(", ")}, not ending in '/.' or '/..' (${sequence !== undefined ? `it has '${sequence}'` : `it ends in '${suffix}'`})${context}`,
            );
        }
    }
    // Its deep inspection refuses paths of every type that look like NGINX directives or files.
    const inspected = deepInspectionRefuses(path);
    if (inspected) throw new ConfigError(key, path, `a path ingress-nginx's deep inspection accepts: ${inspected}`);
    return path;
}
