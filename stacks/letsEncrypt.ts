import { parse } from "tldts";
import { domainToASCII, domainToUnicode } from "url";

/*
 * Let's Encrypt's own rules for what it issues for and whom it registers (issue 17), as boulder,
 * the CA software behind its ACME servers, checks them. A name or a contact it refuses would
 * otherwise show only after cert-manager is installed, as an Issuer or a Certificate that never
 * gets Ready. Each function returns why a value breaks a rule, or undefined; stacks/certManager.ts
 * turns that into the ConfigError of the key the value was set at. The sources are cited in
 * docs/verification.md ("Let's Encrypt's own rules and certificates").
 */

/** Names in one order, and so in one Certificate: boulder's maxNames is at most 100 (ra/ra.go). */
export const MAX_NAMES_PER_ORDER = 100;

/** Labels a name may have (boulder policy/pa.go maxLabels). */
export const MAX_LABELS = 10;

/** Contact domains refused because examples copy them (boulder policy/pa.go forbiddenMailDomains, RFC 2606). */
export const FORBIDDEN_MAIL_DOMAINS = ["example.com", "example.net", "example.org"];

/**
 * The reserved TLD the shipped stacks' placeholder contact uses (RFC 2606: "invalid" is for names
 * that are sure to be invalid, obviously so). It has no public suffix, so Let's Encrypt refuses
 * it; the program lets it through so those stacks preview, and warns (stacks/certManager.ts).
 */
export const PLACEHOLDER_TLD = "invalid";

const LDH_LABEL = /^[a-z0-9-]+$/;

/**
 * Why Let's Encrypt would refuse `name` (lowercase) as a DNS identifier, or undefined: boulder's
 * validNonWildcardDomain (policy/pa.go). `publicSuffix: false` skips the public-suffix rules (the
 * placeholder contact domain).
 */
export function domainProblem(name: string, publicSuffix = true): string | undefined {
    if (name === "") return "an empty name";
    if (name.startsWith("*.")) return "a wildcard (HTTP-01 cannot validate one)";
    if (!/^[A-Za-z0-9.-]+$/.test(name)) return "characters other than letters, digits, '-' and '.'";
    if (name.length > 253) return "a name longer than 253 characters";
    if (isIpAddress(name)) return "an IP address: a DNS name is needed";
    if (name.endsWith(".")) return "a name ending in a dot";
    const labels = name.split(".");
    if (labels.length > MAX_LABELS) return `more than ${MAX_LABELS} labels (it has ${labels.length})`;
    if (labels.length < 2) return "a name without a dot: at least one is needed";
    for (const label of labels) {
        if (label === "") return "an empty label ('..')";
        if (label.length > 63) return `the label '${label}', longer than 63 characters`;
        if (!LDH_LABEL.test(label) || label.startsWith("-") || label.endsWith("-")) return `the label '${label}' (letters, digits and '-', not at either end)`;
        if (label.length >= 4 && label.slice(2, 4) === "--") {
            if (label.slice(0, 2) !== "xn") return `the label '${label}': '--' in the third and fourth characters is reserved for 'xn--' (Punycode) labels`;
            if (!validPunycode(label)) return `the label '${label}': an 'xn--' label must be valid Punycode of a name in Unicode normal form C`;
        }
    }
    if (!publicSuffix) return undefined;
    // The ICANN section of the Public Suffix List, without its private section (boulder's
    // iana.ExtractSuffix: IgnorePrivate, no default rule).
    const { publicSuffix: suffix, isIcann } = parse(name, { allowPrivateDomains: false, extractHostname: false });
    if (!isIcann || !suffix) return `a name under a public suffix (Public Suffix List, ICANN section): '.${labels[labels.length - 1]}' is none`;
    if (suffix === name) return `a public suffix itself ('${name}'): a name with a label before it is needed, such as 'echo.${name}'`;
    return undefined;
}

/**
 * Why Let's Encrypt would refuse `address` as the account's contact, or undefined. cert-manager
 * registers it as `mailto:<address, lowercased>` (pkg/issuer/acme/setup.go); boulder takes only
 * an ASCII mailto: contact with no '?' or '#' (wfe2/wfe.go contactsToEmails) whose address parses
 * and whose domain is a name it would issue for, not an example domain (policy/pa.go ValidEmail).
 */
export function contactProblem(address: string): string | undefined {
    if (![...address].every((c) => c.charCodeAt(0) < 0x80)) return "non-ASCII characters";
    if (/[?#]/.test(address)) return "a '?' or '#' (a mailto: contact carries neither)";
    const at = address.lastIndexOf("@");
    const [local, domain] = [address.slice(0, at), address.slice(at + 1).toLowerCase()];
    // A plain addr-spec: what goes after 'mailto:' (no display name, no <>, no quoting, no comments).
    if (at < 0 || !/^[A-Za-z0-9!$%&'*+/=^_`{|}~-]+(\.[A-Za-z0-9!$%&'*+/=^_`{|}~-]+)*$/.test(local)) {
        return "a plain address local@domain (no display name, no <>, no spaces, no quotes)";
    }
    if (domain.startsWith("[") || isIpAddress(domain)) return "an IP address as the domain";
    const placeholder = domain.endsWith(`.${PLACEHOLDER_TLD}`);
    const why = domainProblem(domain, !placeholder);
    if (why !== undefined) return `the domain '${domain}': ${why}`;
    if (FORBIDDEN_MAIL_DOMAINS.includes(domain)) return `the domain '${domain}'`;
    return undefined;
}

/** Whether a contact is the shipped placeholder kind (at the reserved .invalid TLD). */
export function isPlaceholderContact(address: string): boolean {
    return address.toLowerCase().endsWith(`.${PLACEHOLDER_TLD}`);
}

function isIpAddress(s: string): boolean {
    return s.includes(":") || /^\d+\.\d+\.\d+\.\d+$/.test(s);
}

/** An 'xn--' label that decodes to Unicode in normal form C and encodes back to itself. */
function validPunycode(label: string): boolean {
    const unicode = domainToUnicode(label);
    return unicode !== "" && unicode !== label && unicode.normalize("NFC") === unicode && domainToASCII(unicode) === label;
}
