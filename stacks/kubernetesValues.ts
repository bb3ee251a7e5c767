import { ConfigError } from "../config/errors";
import * as v from "../config/validate";

/*
 * Values the API server (or the kubelet) refuses, or takes in a way nobody means, checked here so
 * that `pulumi preview` fails with the config key instead of `pulumi up` failing half-way (issue
 * 17). Each rule and where it was read upstream is in docs/verification.md, "Kubernetes value
 * rules (issue 17)".
 */

// ---------------------------------------------------------------------------------------------
// Annotations
// ---------------------------------------------------------------------------------------------

/** The API server's limit on the keys and values of one object's annotations, together, in bytes. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const ANNOTATION_KEY_RULE =
    "an annotation key the API server accepts: a name of at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit, optionally after a DNS-subdomain prefix of at most 253 characters and one '/' (such as 'service.beta.kubernetes.io/aws-load-balancer-scheme')";

/** Why `name` is not an annotation key, or undefined when it is one (case does not matter). */
function annotationKeyProblem(name: string): string | undefined {
    // The API server checks the lower-cased key: upper case is allowed in the prefix too.
    const parts = name.toLowerCase().split("/");
    if (parts.length > 2) return "more than one '/'";
    const [prefix, local] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
        return `the prefix '${prefix}' is not a DNS subdomain of at most 253 characters`;
    }
    if (local.length === 0) return "the name part (after the '/') is empty";
    if (local.length > 63) return `the name part '${local.slice(0, 20)}…' has ${local.length} characters`;
    if (!NAME_PART.test(local))
        return `the name '${local}' has a character other than letters, digits, '-', '_' and '.', or does not start and end with a letter or digit`;
    return undefined;
}

/** UTF-8 bytes of the keys and values, as the API server counts them. */
function annotationBytes(annotations: Record<string, string>): number {
    return Object.entries(annotations).reduce((n, [k, val]) => n + Buffer.byteLength(k, "utf8") + Buffer.byteLength(val, "utf8"), 0);
}

/**
 * An annotation map the user gives (`<key>`): string values, every key a qualified name, and
 * small enough for the API server. `added` are the annotations the program puts beside them on the
 * same object, which count towards the limit too.
 */
export function annotations(key: string, raw: unknown, added: Record<string, string> = {}): Record<string, string> {
    const map = v.stringMap(key, raw);
    for (const name of Object.keys(map)) {
        const problem = annotationKeyProblem(name);
        if (problem) throw new ConfigError(key, name, `${ANNOTATION_KEY_RULE}; ${problem}`);
    }
    annotationsFit(key, map, added);
    return map;
}

/** The user's annotations and the program's own for the same object fit in the API server's limit. */
export function annotationsFit(key: string, map: Record<string, string>, added: Record<string, string> = {}): void {
    const own = annotationBytes(added);
    const total = annotationBytes({ ...map, ...added });
    if (total > ANNOTATIONS_MAX_BYTES) {
        throw new ConfigError(
            key,
            `${annotationBytes(map)} bytes of keys and values`,
            `annotations of at most ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB) of keys and values in all, the API server's limit per object` +
                (own > 0 ? `, including the ${own} bytes the program adds (${Object.keys(added).join(", ")})` : ""),
        );
    }
}

/** The deprecated class annotation, which the API server compares with spec.ingressClassName. */
export const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

/**
 * `ingress.annotations` may repeat the class in the deprecated annotation (redundant, and accepted
 * by the API server), but not name another one: the API server refuses to create an Ingress whose
 * annotation and ingressClassName differ.
 */
export function ingressClassAnnotation(key: string, annotationMap: Record<string, string>, classKey: string, className: string): void {
    const value = annotationMap[INGRESS_CLASS_ANNOTATION];
    if (value !== undefined && value !== className) {
        throw new ConfigError(
            `${key}.${INGRESS_CLASS_ANNOTATION}`,
            value,
            `no ${INGRESS_CLASS_ANNOTATION} annotation, or the same class as ${classKey} ('${className}'): the Ingress sets ingressClassName from ${classKey}, and the API server refuses an Ingress whose annotation names another class (set ${classKey} instead)`,
        );
    }
}

/** The API server's limit on an IngressClass's spec.controller. */
export const INGRESS_CLASS_CONTROLLER_MAX = 250;

/** The IngressClass controller value the program derives from `<classKey>` fits the API server's limit. */
export function ingressClassController(classKey: string, className: string, controllerValue: string): void {
    if (controllerValue.length > INGRESS_CLASS_CONTROLLER_MAX) {
        const room = INGRESS_CLASS_CONTROLLER_MAX - (controllerValue.length - className.length);
        throw new ConfigError(
            classKey,
            className,
            `a class name of at most ${room} characters while the program installs the controller: its IngressClass gets spec.controller '${controllerValue.slice(0, controllerValue.length - className.length)}<className>', which the API server limits to ${INGRESS_CLASS_CONTROLLER_MAX} characters`,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Resource quantities
// ---------------------------------------------------------------------------------------------

/** An exact rational value n/d (d > 0), in base units (cores, bytes). */
interface Exact {
    n: bigint;
    d: bigint;
}

/** The resources the config takes (`ephemeral-storage` is not one: `resources` refuses the key). */
export type ResourceKind = "cpu" | "memory";

const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
// <sign><number><suffix>; an exponent (e3, E-2) is tried before the decimal suffix E (exa).
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
/** 2^63 - 1: no quantity is larger. */
const QUANTITY_MAX = 2n ** 63n - 1n;

const EXAMPLES: Record<ResourceKind, string> = {
    cpu: "cores or millicores such as '100m', '0.5' or '2'",
    memory: "bytes with a suffix such as '64Mi', '1Gi' or '500M'",
};

/** A parsed quantity: the text as given (it goes to the cluster unchanged) and its exact value. */
export interface ParsedQuantity {
    text: string;
    value: Exact;
}

/**
 * A Kubernetes quantity for `kind`: the API server's grammar, not negative, and in units that make
 * sense for the resource. The API server would take `128m` memory (0.128 bytes) or `1Ki` CPU
 * (1024 cores) and round `0.0001` CPU up to 1m; here they are refused as the typos they are.
 */
export function quantity(key: string, raw: unknown, kind: ResourceKind): ParsedQuantity {
    const text = typeof raw === "number" ? String(raw) : raw;
    const allowed = `a Kubernetes quantity of ${kind}: ${EXAMPLES[kind]}`;
    const m = typeof text === "string" ? QUANTITY.exec(text) : null;
    if (typeof text !== "string" || !m) throw new ConfigError(key, raw, allowed);
    const [, sign, number, suffix = ""] = m;
    const [whole, fraction = ""] = number.split(".");
    let value: Exact = { n: BigInt(whole + fraction || "0"), d: 10n ** BigInt(fraction.length) };
    const binary = BINARY_SUFFIXES[suffix];
    let exponent: number;
    if (binary !== undefined) {
        if (kind === "cpu") {
            throw new ConfigError(key, raw, `${allowed}; not the binary suffix '${suffix}', which counts bytes ('1${suffix}' of CPU is ${2 ** binary} cores)`);
        }
        value = { n: value.n * 2n ** BigInt(binary), d: value.d };
        exponent = 0;
    } else {
        exponent = suffix in DECIMAL_SUFFIXES ? DECIMAL_SUFFIXES[suffix] : Number(suffix.slice(1));
    }
    if (Math.abs(exponent) > 100) throw new ConfigError(key, raw, `${allowed}; the exponent is out of range`);
    value = exponent >= 0 ? { n: value.n * 10n ** BigInt(exponent), d: value.d } : { n: value.n, d: value.d * 10n ** BigInt(-exponent) };
    if (sign === "-" && value.n !== 0n) throw new ConfigError(key, raw, `${allowed}; not negative`);
    if (value.n > QUANTITY_MAX * value.d) throw new ConfigError(key, raw, `${allowed}; at most 2^63-1`);
    if (kind === "cpu") {
        // Finer than a millicore is rounded up by the API server (0.0001 becomes 1m).
        if ((value.n * 1000n) % value.d !== 0n) throw new ConfigError(key, raw, `${allowed}; a whole number of millicores (1m is the finest CPU unit)`);
    } else {
        if (suffix === "m" || suffix === "u" || suffix === "n") {
            throw new ConfigError(key, raw, `${allowed}; not '${suffix}', a fraction of a byte ('128m' is 0.128 bytes: did you mean '128Mi'?)`);
        }
        if (value.n < value.d || value.n % value.d !== 0n) throw new ConfigError(key, raw, `${allowed}; a whole number of bytes, at least 1`);
    }
    return { text, value };
}

/** a compared with b: negative, zero or positive. */
export function compareQuantities(a: ParsedQuantity, b: ParsedQuantity): number {
    const diff = a.value.n * b.value.d - b.value.n * a.value.d;
    return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/**
 * A request may not exceed its limit for the same resource: the API server refuses the pod (for
 * an installed chart, its Deployment's pods are never created).
 */
export function requestWithinLimit(key: string, resource: string, request: ParsedQuantity, limit: ParsedQuantity): void {
    if (compareQuantities(request, limit) > 0) {
        throw new ConfigError(
            `${key}.requests.${resource}`,
            request.text,
            `at most the limit ${key}.limits.${resource} (${limit.text}): the API server refuses a request greater than its limit`,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Image references
// ---------------------------------------------------------------------------------------------

const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const REGISTRY_LABEL = "([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])";
const REGISTRY = new RegExp(`^(${REGISTRY_LABEL}(\\.${REGISTRY_LABEL})*|\\[[A-Fa-f0-9:]+\\])(:[0-9]+)?$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** The digest algorithms the kubelet can check, with their lower-case hex lengths. */
const DIGESTS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const REPOSITORY_PATH_MAX = 255;

const IMAGE_FORM = "an image reference [registry[:port]/]path[:tag][@sha256:<64 hex digits>]";
const PINNED = "pinned to a release tag or digest, e.g. 'hashicorp/http-echo:1.0.0' (not 'latest')";

/**
 * An image reference the kubelet can parse (distribution/reference, as kubelet's ParseImageName
 * normalises it), pinned to a tag other than `latest` or to a digest: rollouts must be repeatable.
 */
export function pinnedImage(key: string, raw: unknown): string {
    const image = v.string(key, raw);
    const refuse = (why: string): never => {
        throw new ConfigError(key, raw, `${IMAGE_FORM}, ${PINNED}; ${why}`);
    };
    if (/\s/.test(image)) refuse("no whitespace");

    const at = image.indexOf("@");
    let rest = at >= 0 ? image.slice(0, at) : image;
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    if (digest !== undefined) {
        const [algorithm, hex = ""] = digest.split(":");
        const length = DIGESTS[algorithm];
        if (length === undefined || !new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) {
            refuse(`the digest '${digest}' is not sha256:, sha384: or sha512: with 64, 96 or 128 lower-case hex digits`);
        }
    }

    // The first component is a registry when it is localhost or has a '.' or a ':port' (an upper-
    // case one is taken for a registry host too, which is never what is meant: refused below).
    const slash = rest.indexOf("/");
    let registry: string | undefined;
    if (slash >= 0) {
        const first = rest.slice(0, slash);
        if (first === "localhost" || /[.:]/.test(first)) {
            registry = first;
            rest = rest.slice(slash + 1);
            if (!REGISTRY.test(registry)) refuse(`the registry '${registry}' is not a host name or [IPv6] address with an optional :port`);
            // The grammar's port is [0-9]+; a TCP port is 1-65535 (a pull from any other fails).
            const port = /:([0-9]+)$/.exec(registry)?.[1];
            if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) refuse(`the registry port ${port} is not 1-65535`);
        } else if (first !== first.toLowerCase()) {
            refuse(`the repository path '${first}' has upper-case letters (path components are lower case; a registry host has a '.' or a ':port')`);
        }
    }

    const colon = rest.lastIndexOf(":");
    const path = colon >= 0 ? rest.slice(0, colon) : rest;
    const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
    const components = path.split("/");
    const bad = components.find((c) => !PATH_COMPONENT.test(c));
    if (bad !== undefined) {
        refuse(
            bad !== bad.toLowerCase()
                ? `the repository path component '${bad}' has upper-case letters (repository paths are lower case)`
                : `the repository path component '${bad}' is not lower-case letters and digits separated by '.', '_', '__' or '-'`,
        );
    }
    // Docker Hub's official images get 'library/' in front of a one-component path.
    const hub = registry === undefined || registry === "docker.io" || registry === "index.docker.io";
    const fullPath = hub && components.length === 1 ? `library/${path}` : path;
    if (fullPath.length > REPOSITORY_PATH_MAX) refuse(`the repository path has ${fullPath.length} characters, more than ${REPOSITORY_PATH_MAX}`);
    if (tag !== undefined && !TAG.test(tag)) {
        refuse(`the tag '${tag}' is not 1 to 128 letters, digits, '_', '.' or '-' starting with a letter, digit or '_'`);
    }

    if (digest === undefined && (tag === undefined || tag === "latest")) {
        throw new ConfigError(key, raw, `an image ${PINNED}`);
    }
    return image;
}
