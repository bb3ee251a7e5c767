import { isIPv6 } from "net";
import { ConfigError } from "./errors";

/*
 * Small, composable checks. Each takes the config key it is checking so that the error can name
 * it, and returns the value narrowed to the type the program needs.
 */

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label: Service and Namespace names become DNS labels, so they must be one. */
export function dnsLabel(key: string, value: unknown): string {
    const s = typeof value === "string" ? value : "";
    if (s.length > 63 || !RFC1123_LABEL.test(s)) {
        throw new ConfigError(key, value, "a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit");
    }
    return s;
}

/** Namespaces every cluster already has: creating one fails with AlreadyExists. */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** A namespace the program is about to create: not one that exists in every cluster. */
export function creatableNamespace(key: string, namespace: string, alternative: string): string {
    if (SYSTEM_NAMESPACES.includes(namespace)) {
        throw new ConfigError(
            key,
            namespace,
            `a namespace the program can create, not one every cluster already has (${SYSTEM_NAMESPACES.join(", ")}: creating it fails with AlreadyExists); ${alternative}`,
        );
    }
    return namespace;
}

/**
 * A DNS-1035 label: what the API server requires of a Service name (it becomes a DNS label that
 * must not look like a number, so it starts with a letter). `derived` are the suffixes the
 * program appends to make other Service names from it, so the longest of those must fit too.
 */
export function serviceName(key: string, value: unknown, derived: readonly string[] = []): string {
    const s = typeof value === "string" ? value : "";
    const longest = Math.max(0, ...derived.map((d) => d.length));
    const max = 63 - longest;
    if (s.length > max || !RFC1035_LABEL.test(s)) {
        const also = derived.length > 0 ? ` (at most ${max}, so that ${derived.map((d) => `'<name>${d}'`).join(" and ")} fit in 63)` : "";
        throw new ConfigError(
            key,
            value,
            `a DNS-1035 label, as Service names must be: lowercase letters, digits or '-', starting with a letter and ending with a letter or digit, at most 63 characters${also}`,
        );
    }
    return s;
}

/** A DNS-1123 subdomain (object names such as Secrets and GatewayClasses). */
export function dnsSubdomain(key: string, value: unknown): string {
    const s = typeof value === "string" ? value : "";
    if (s.length > 253 || !RFC1123_SUBDOMAIN.test(s)) {
        throw new ConfigError(
            key,
            value,
            "a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit",
        );
    }
    return s;
}

/**
 * A host name as used in Ingress and HTTPRoute hosts. Wildcards (`*.example.com`) are not taken:
 * every route's URL is a stack output, and a wildcard has no URL a client could use.
 */
export function hostName(key: string, value: unknown): string {
    const s = string(key, value);
    const labels = s.split(".");
    // Ingress and HTTPRoute hosts may not be IP addresses.
    const ok = s.length <= 253 && labels.every((l) => l.length <= 63 && RFC1123_LABEL.test(l)) && !/^[0-9.]+$/.test(s);
    if (!ok) {
        throw new ConfigError(
            key,
            value,
            "a DNS host name such as 'echo.example.com' (lowercase letters, digits, '-' and '.'; no wildcard, not an IP address)",
        );
    }
    return s;
}

/**
 * The host part of a URL: a DNS name, an IPv4 address or an IPv6 address (brackets optional),
 * nothing more. A scheme, a port or a path here would end up inside the URL twice.
 */
export function host(key: string, value: unknown): string {
    const s = string(key, value);
    const bare = s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
    const dns = bare.length <= 253 && bare.split(".").every((l) => l.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(l));
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(bare);
    const ipv4 = v4 !== null && v4.slice(1).every((o) => Number(o) <= 255);
    const ipv6 = isIPv6(bare);
    if (!(dns && !/^[0-9.]+$/.test(bare)) && !ipv4 && !ipv6) {
        throw new ConfigError(
            key,
            value,
            "a host: a DNS name, an IPv4 or an IPv6 address, such as 'localhost' or '203.0.113.10' (no scheme, no port, no path)",
        );
    }
    return bare;
}

export function string(key: string, value: unknown): string {
    if (typeof value !== "string" || value.length === 0) {
        throw new ConfigError(key, value, "a non-empty string");
    }
    return value;
}

export function boolean(key: string, value: unknown): boolean {
    if (typeof value === "boolean") return value;
    if (value === "true") return true;
    if (value === "false") return false;
    throw new ConfigError(key, value, "true or false");
}

/** An integer in [min, max]. Config values arrive as strings; only whole decimal numbers pass. */
export function integer(key: string, value: unknown, min: number, max: number, what = "an integer"): number {
    const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
        throw new ConfigError(key, value, `${what} from ${min} to ${max}`);
    }
    return n;
}

export function port(key: string, value: unknown): number {
    return integer(key, value, 1, 65535, "a port number");
}

export function nodePort(key: string, value: unknown): number {
    // The API server's default --service-node-port-range.
    return integer(key, value, 30000, 32767, "a node port");
}

export function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new ConfigError(key, value, `one of ${allowed.join(", ")}`);
    }
    return value as T;
}

export function stringList(key: string, value: unknown): string[] {
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        throw new ConfigError(key, value, "a list of strings");
    }
    return value as string[];
}

export function stringMap(key: string, value: unknown): Record<string, string> {
    if (!isPlainObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
        throw new ConfigError(key, value, "an object whose values are strings");
    }
    return value as Record<string, string>;
}

/** An object with only the given keys, so that a typo in a nested key fails instead of being ignored. */
export function object(key: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
    if (!isPlainObject(value)) {
        throw new ConfigError(key, value, `an object with any of the keys ${keys.join(", ")}`);
    }
    for (const k of Object.keys(value)) {
        if (!keys.includes(k)) {
            throw new ConfigError(`${key}.${k}`, value[k], `no such key${didYouMean(k, keys)}; ${key} takes ${keys.join(", ")}`);
        }
    }
    return value;
}

/** " (did you mean 'x'?)" when one known key is a small edit away from the unknown one, else "". */
export function didYouMean(unknown: string, known: readonly string[]): string {
    const scored = known.map((k) => ({ k, d: editDistance(unknown.toLowerCase(), k.toLowerCase()) })).sort((a, b) => a.d - b.d);
    const best = scored[0];
    return best && best.d <= Math.max(2, Math.floor(best.k.length / 4)) ? ` (did you mean '${best.k}'?)` : "";
}

function editDistance(a: string, b: string): number {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let j = 1; j <= b.length; j++) {
            next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        row = next;
    }
    return row[b.length];
}

/** An IPv4 or IPv6 CIDR such as 203.0.113.0/24, as loadBalancerSourceRanges requires. */
export function cidr(key: string, value: unknown): string {
    const s = typeof value === "string" ? value : "";
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
    const v4ok = v4 !== null && v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
    const v6ok = /^[0-9a-fA-F:]+\/(\d{1,3})$/.test(s) && s.includes(":") && Number(s.split("/")[1]) <= 128;
    if (!v4ok && !v6ok) {
        throw new ConfigError(key, value, "a CIDR such as '203.0.113.0/24'");
    }
    return s;
}

/** host or host:port, as a client types it (no scheme, no path). */
export function hostAndPort(key: string, raw: unknown): string {
    const s = string(key, raw);
    const m = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(:(\d{1,5}))?$/.exec(s);
    if (!m || (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535))) {
        throw new ConfigError(key, raw, "host or host:port as a client reaches it, such as 'localhost:8081' or '203.0.113.10' (no scheme, no path)");
    }
    return s;
}

/** An exact release version (charts, CRD bundles): pinned, so every `pulumi up` installs the same thing. */
export function exactVersion(key: string, raw: unknown, example: string): string {
    const s = typeof raw === "number" ? String(raw) : raw;
    if (typeof s !== "string" || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(s)) {
        throw new ConfigError(key, raw, `an exact version such as '${example}' (no 'v' prefix, no ranges, no 'latest')`);
    }
    return s;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
