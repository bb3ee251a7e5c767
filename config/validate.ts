import { isIPv6 } from "net";
import { domainToASCII, domainToUnicode } from "url";
import { ConfigError } from "./errors";

/*
 * Small, composable checks. Each takes the config key it is checking so that the error can name
 * it, and returns the value narrowed to the type the program needs.
 */

export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const RFC1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

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

export function stringMap(key: string, value: unknown): Record<string, string> {
    if (!isPlainObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
        throw new ConfigError(key, value, "an object whose values are strings");
    }
    return value as Record<string, string>;
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

/*
 * Hosts, addresses and CIDRs (issue 17). Every host the program prints goes into a URL or a
 * command, so a value is taken only if a WHATWG URL parser (`new URL`, curl, browsers) reads it
 * as the same host, and CIDRs only in the form Kubernetes' strict CIDR validation (KEP-4858)
 * takes. The rules and their sources are in docs/verification.md, "Hosts, addresses and CIDRs".
 */

/** How a host may be written in one kind of config value. */
interface HostRules {
    /** The "allowed" text of the value's ConfigError. */
    allowed: string;
    /** IP addresses are hosts too (addresses), or are refused (Ingress and HTTPRoute hosts). */
    ip: boolean;
    /** Uppercase refused (Ingress and HTTPRoute hosts) rather than lowercased (addresses). */
    lowercaseOnly: boolean;
    /** '--' in a label's third and fourth characters only in valid 'xn--' labels (IDNA). */
    reservedHyphens: boolean;
}

/** A label as URL parsers number it: decimal, or 0x-hexadecimal (the IPv4 number parser's forms). */
const NUMBER_LABEL = /^(\d+|0x[0-9a-f]*)$/i;
const DNS_LABEL_ANY_CASE = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** What a URL parser makes of a host: the host it prints, or undefined when it refuses it. */
function urlHost(authority: string): string | undefined {
    try {
        return new URL(`http://${authority}/`).hostname;
    } catch {
        return undefined;
    }
}

function readAs(authority: string): string {
    const read = urlHost(authority);
    return read === undefined ? "refuse it" : `read it as '${read}'`;
}

/**
 * The host as the URL the program prints carries it (IPv6 in brackets), or throws the key's
 * ConfigError saying what is wrong. Addresses are normalised to what URL parsers print (lowercase,
 * IPv6 compressed); anything a URL parser would read as another host, or not at all, is refused.
 */
function checkedHost(key: string, raw: unknown, s: string, rules: HostRules): string {
    const refuse = (why: string): never => {
        throw new ConfigError(key, raw, `${rules.allowed}; not ${why}`);
    };
    const bracketed = s.startsWith("[") && s.endsWith("]");
    const v6 = bracketed ? s.slice(1, -1) : s;
    let authority: string;
    if (bracketed || s.includes(":")) {
        if (!rules.ip) refuse("an IPv6 address");
        if (v6.includes("%")) refuse(`an IPv6 address with a zone ID ('${v6.slice(v6.indexOf("%"))}'): a URL cannot carry one`);
        const groups = isIPv6(v6) ? ipv6Groups(v6) : undefined;
        if (groups === undefined) refuse(`'${v6}', which is no IPv6 address`);
        if (isIPv4Mapped(groups!)) refuse(`an IPv4-mapped IPv6 address: give the IPv4 address itself`);
        authority = `[${ipv6String(groups!)}]`;
    } else if (s.split(".").every((part) => NUMBER_LABEL.test(part))) {
        // URL parsers read a host whose last label is a number as IPv4 (the "ends in a number"
        // rule), in decimal, octal (leading 0) or hex (0x), with 1 to 4 parts.
        const as = `URL parsers ${readAs(s)}`;
        if (!rules.ip) refuse(`an IP address (${as})`);
        const parts = s.split(".");
        if (parts.length !== 4) refuse(`an IPv4 address of ${parts.length} part${parts.length === 1 ? "" : "s"}: four are needed (${as})`);
        const hex = parts.find((p) => /^0x/i.test(p));
        if (hex !== undefined) refuse(`an IPv4 address with a hexadecimal part ('${hex}'; ${as})`);
        const zero = parts.find((p) => /^0\d/.test(p));
        if (zero !== undefined) refuse(`an IPv4 address with a leading zero ('${zero}'), which URL parsers read as octal: they ${readAs(s)}`);
        const big = parts.find((p) => Number(p) > 255);
        if (big !== undefined) refuse(`an IPv4 address with a part over 255 ('${big}'; ${as})`);
        authority = s;
    } else {
        const name = rules.lowercaseOnly ? s : s.toLowerCase();
        const labels = name.split(".");
        const bad = labels.find((l) => l.length > 63 || !DNS_LABEL_ANY_CASE.test(l));
        if (name.length > 253 || bad !== undefined)
            refuse(
                bad === undefined ? "a name longer than 253 characters" : bad === "" ? "an empty label ('..', or a dot at either end)" : `the label '${bad}'`,
            );
        if (/[A-Z]/.test(name)) refuse(`uppercase letters (the API server takes lowercase only: '${name.toLowerCase()}')`);
        const last = labels[labels.length - 1];
        if (NUMBER_LABEL.test(last)) {
            refuse(`a DNS name whose last label is a number ('${last}'): URL parsers then read the host as an IPv4 address, and refuse it`);
        }
        for (const label of labels) {
            if (/^xn--/.test(label)) {
                const unicode = domainToUnicode(label);
                if (unicode === "" || ![...unicode].some((c) => c.charCodeAt(0) > 0x7f) || domainToASCII(unicode) !== label) {
                    refuse(`the label '${label}': an 'xn--' label must be valid Punycode for a non-ASCII name`);
                }
            } else if (rules.reservedHyphens && label.slice(2, 4) === "--") {
                refuse(`the label '${label}': '--' in the third and fourth characters is reserved for 'xn--' labels`);
            }
        }
        authority = name;
    }
    // The final guard: the URL the program prints must parse, with this very host.
    const read = urlHost(authority);
    if (read !== authority) refuse(`'${s}', which URL parsers ${readAs(authority)}`);
    return authority;
}

/**
 * A host name as used in Ingress and HTTPRoute hosts. Wildcards (`*.example.com`) are not taken:
 * every route's URL is a stack output, and a wildcard has no URL a client could use.
 */
export function hostName(key: string, value: unknown): string {
    return checkedHost(key, value, string(key, value), {
        allowed: "a DNS host name such as 'echo.example.com' (lowercase letters, digits, '-' and '.'; no wildcard, not an IP address)",
        ip: false,
        lowercaseOnly: true,
        reservedHyphens: true,
    });
}

const HOST_ALLOWED = "a host: a DNS name, an IPv4 or an IPv6 address, such as 'localhost' or '203.0.113.10' (no scheme, no port, no path)";

/**
 * The host part of a URL: a DNS name, an IPv4 address or an IPv6 address (brackets optional),
 * nothing more. A scheme, a port or a path here would end up inside the URL twice. Returned as
 * URL parsers print it, without brackets (the URL helpers add them).
 */
export function host(key: string, value: unknown): string {
    const s = string(key, value);
    if (/[/?#@\\\s]/.test(s) || /^[^:[\]]+:\d*$/.test(s)) throw new ConfigError(key, value, HOST_ALLOWED);
    const h = checkedHost(key, value, s, { allowed: HOST_ALLOWED, ip: true, lowercaseOnly: false, reservedHyphens: false });
    return h.startsWith("[") ? h.slice(1, -1) : h;
}

/** host or host:port, as a client types it (no scheme, no path); IPv6 in brackets. */
export function hostAndPort(key: string, raw: unknown): string {
    const s = string(key, raw);
    const allowed =
        "host or host:port as a client reaches it, such as 'localhost:8081', '203.0.113.10' or '[2001:db8::1]:8443' (a DNS name, an IPv4 address or an IPv6 address in brackets; no scheme, no path)";
    const m = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d+))?$/.exec(s);
    if (/[/?#@\\\s]/.test(s) || !m) throw new ConfigError(key, raw, allowed);
    const port = m[2];
    if (port !== undefined && (!/^[1-9]\d{0,4}$/.test(port) || Number(port) > 65535)) {
        throw new ConfigError(key, raw, `${allowed}; not the port '${port}' (1 to 65535, no leading zeros)`);
    }
    const h = checkedHost(key, raw, m[1], { allowed, ip: true, lowercaseOnly: false, reservedHyphens: false });
    return port === undefined ? h : `${h}:${port}`;
}

/** The eight 16-bit groups of an IPv6 address in text form (RFC 4291 section 2.2), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
    let s = text;
    const tail = s.slice(s.lastIndexOf(":") + 1);
    if (tail.includes(".")) {
        const o = tail.split(".");
        if (o.length !== 4 || o.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
        const [a, b, c, d] = o.map(Number);
        s = `${s.slice(0, s.length - tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const halves = s.split("::");
    if (halves.length > 2) return undefined;
    const groups = (h: string) => (h === "" ? [] : h.split(":").map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
    const head = groups(halves[0]);
    const rest = halves.length === 2 ? groups(halves[1]) : [];
    if ([...head, ...rest].some(Number.isNaN)) return undefined;
    if (halves.length === 1) return head.length === 8 ? head : undefined;
    // "::" stands for at least one group of zeros.
    if (head.length + rest.length > 7) return undefined;
    return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

/** ::ffff:a.b.c.d, which some software reads as IPv4 and some as IPv6. */
function isIPv4Mapped(groups: number[]): boolean {
    return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** The canonical text of an IPv6 address: lowercase, no leading zeros, the first longest run of two or more zero groups as "::". */
function ipv6String(groups: number[]): string {
    let start = -1;
    let length = 1;
    for (let i = 0; i < 8; i++) {
        let j = i;
        while (j < 8 && groups[j] === 0) j++;
        if (j - i > length) [start, length] = [i, j - i];
    }
    const hex = groups.map((g) => g.toString(16));
    return start < 0 ? hex.join(":") : `${hex.slice(0, start).join(":")}::${hex.slice(start + length).join(":")}`;
}

/**
 * An IPv4 or IPv6 CIDR such as 203.0.113.0/24, as loadBalancerSourceRanges requires, in the form
 * Kubernetes' strict validation (validation.IsValidCIDR) takes: no leading zeros, the network
 * address (no bits set beyond the prefix), canonical text, no IPv4-mapped IPv6.
 */
export function cidr(key: string, value: unknown): string {
    const allowed = "a CIDR such as '203.0.113.0/24' or '2001:db8::/64': a network address in canonical form and a prefix length";
    const refuse = (why?: string): never => {
        throw new ConfigError(key, value, why === undefined ? allowed : `${allowed}; not ${why}`);
    };
    const s = typeof value === "string" ? value : "";
    const slash = s.indexOf("/");
    if (slash < 0 || s.indexOf("/", slash + 1) >= 0) refuse();
    const [address, bits] = [s.slice(0, slash), s.slice(slash + 1)];
    if (!/^\d{1,3}$/.test(bits)) refuse();
    const v4 = !address.includes(":");
    let bytes: number[];
    if (v4) {
        const parts = address.split(".");
        if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) refuse();
        const zero = parts.find((p) => /^0\d/.test(p));
        if (zero !== undefined) {
            refuse(
                `an address with a leading zero ('${zero}'): Kubernetes' strict validation refuses it, and software that reads the part as octal would allow other addresses`,
            );
        }
        bytes = parts.map(Number);
    } else {
        if (address.includes("%")) refuse("an IPv6 zone ID");
        const groups = isIPv6(address) ? ipv6Groups(address) : undefined;
        if (groups === undefined) refuse(`'${address}', which is no IPv6 address`);
        if (isIPv4Mapped(groups!)) refuse("an IPv4-mapped IPv6 address: write the IPv4 CIDR");
        bytes = groups!.flatMap((g) => [g >> 8, g & 0xff]);
    }
    const max = bytes.length * 8;
    if (/^0\d/.test(bits)) refuse(`the prefix length '${bits}' with a leading zero`);
    if (Number(bits) > max) refuse(`the prefix length ${bits} (at most ${max} for an IPv${v4 ? 4 : 6} address)`);
    const prefix = Number(bits);
    const masked = bytes.map((b, i) => b & (0xff << (8 - Math.min(8, Math.max(0, prefix - 8 * i)))) & 0xff);
    const text = (b: number[]) => (v4 ? b.join(".") : ipv6String(Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1])));
    if (masked.some((b, i) => b !== bytes[i])) {
        refuse(
            `an address with bits set beyond the prefix length (which address is meant is ambiguous): the network is '${text(masked)}/${prefix}', the one address '${text(bytes)}/${max}'`,
        );
    }
    if (!v4 && address !== text(bytes)) refuse(`'${address}' out of canonical form: write '${text(bytes)}/${prefix}'`);
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

/** A JSON object (not null, not a list). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A header name both proxies handle: letters, digits and '-', at most 256 characters (Gateway API
 * HTTPHeaderName's length). NGF 2.6.7 refuses any other name in a header match or a header filter
 * (validation/http_njs_match.go, validation/common.go: k8s.io/apimachinery IsHTTPHeaderName,
 * `[-A-Za-z0-9]+`), and NGINX drops request headers with other characters (ignore_invalid_headers
 * on; '_' too without underscores_in_headers), so ingress-nginx would never see them either.
 */
export const HTTP_HEADER_NAME = /^[-A-Za-z0-9]{1,256}$/;

export function httpHeaderName(key: string, raw: unknown): string {
    if (typeof raw !== "string" || !HTTP_HEADER_NAME.test(raw)) {
        throw new ConfigError(
            key,
            raw,
            "a header name of letters, digits and '-', at most 256 characters (NGINX drops request headers with other characters, and NGINX Gateway Fabric refuses them)",
        );
    }
    return raw;
}
