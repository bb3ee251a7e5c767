import { ChartSource } from "../components/controllerSettings";
import * as pulumi from "@pulumi/pulumi";
import { AcmeSolver, IssuerChoice } from "../components/tlsCertificates";
import { ConfigError } from "./errors";
import { optional } from "./optional";
import { RouteSettings } from "./routes";
import * as v from "./validate";
import { ARTIFACTS, chartSource, lockedVersion } from "./upstream";

/*
 * `certManager`: TLS Secrets issued by cert-manager instead of made by hand. Absent: the Secrets
 * named in ingress.tls must exist (today's behaviour).
 */

export type AcmeSolverKind = "ingress" | "gateway";

export type IssuerSettings =
    | { type: "selfSigned" }
    | { type: "letsEncrypt"; email: string; server: string; solver: AcmeSolverKind }
    | { type: "existing"; kind: "ClusterIssuer" | "Issuer"; name: string };

export interface CertManagerSettings {
    issuer: IssuerSettings;
    /** Install cert-manager (its chart, by a Helm release that runs its hooks, with its CRDs). */
    install: boolean;
    namespace: string;
    chartVersion: string;
    /** Where that chart comes from (a verified mirror folder, or its registry). */
    chart: ChartSource;
}

/** Let's Encrypt's ACME directories. */
export const ACME_SERVERS = {
    production: "https://acme-v02.api.letsencrypt.org/directory",
    staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

export const CERT_MANAGER_DEFAULTS = {
    install: true,
    namespace: "cert-manager",
    // cert-manager's newest stable release; its chart versions carry the tag's 'v'.
    chartVersion: "v1.21.1",
};

const KEYS = ["issuer", "acme", "install", "namespace", "chartVersion"];
const ISSUERS = ["selfSigned", "letsEncrypt"];
/** Let's Encrypt refuses ACME accounts whose contact is at these domains (boulder policy/pa.go forbiddenMailDomains). */
const REFUSED_CONTACT_DOMAINS = ["example.com", "example.net", "example.org"];

/** The exposures an ACME HTTP-01 solver can answer through. */
export interface Exposed {
    ingress: boolean;
    gateway: boolean;
    /** The proxies whose load balancer admits only some source ranges. */
    restricted: { ingress: boolean; gateway: boolean };
}

export function parseCertManager(raw: unknown, routing: RouteSettings, exposed: Exposed): CertManagerSettings | undefined {
    if (raw === undefined || raw === null) return undefined;
    const o = v.object("certManager", raw, KEYS);
    if (routing.tls.length === 0 || (!exposed.ingress && !exposed.gateway)) {
        throw new ConfigError(
            "certManager",
            raw,
            "certManager only with something to issue: ingress.tls entries, served through the ingress or gateway exposure (remove certManager, or add them)",
        );
    }
    const install = optional(o.install, (x) => v.boolean("certManager.install", x)) ?? CERT_MANAGER_DEFAULTS.install;
    const namespace = optional(o.namespace, (x) => v.dnsLabel("certManager.namespace", x)) ?? CERT_MANAGER_DEFAULTS.namespace;
    if (install) v.creatableNamespace("certManager.namespace", namespace, "cert-manager gets a namespace of its own");
    const issuer = parseIssuer(o.issuer, o.acme, exposed);
    if (issuer.type === "letsEncrypt") warnAboutPlaceholders(issuer.email, routing);
    const chartVersion = optional(o.chartVersion, (x) => taggedVersion("certManager.chartVersion", x)) ?? CERT_MANAGER_DEFAULTS.chartVersion;
    lockedVersion("certManager.chartVersion", ARTIFACTS.certManager, chartVersion);
    return { issuer, install, namespace, chartVersion, chart: chartSource(ARTIFACTS.certManager, chartVersion, install) };
}

function parseIssuer(raw: unknown, acmeRaw: unknown, exposed: Exposed): IssuerSettings {
    const allowed = `${ISSUERS.join(" or ")}, or { kind: ClusterIssuer | Issuer, name } for an issuer that already exists`;
    if (raw === undefined) throw new ConfigError("certManager.issuer", raw, allowed);
    if (acmeRaw !== undefined && raw !== "letsEncrypt") {
        throw new ConfigError("certManager.acme", acmeRaw, "no acme settings unless certManager.issuer is letsEncrypt");
    }
    if (raw === "selfSigned") return { type: "selfSigned" };
    if (raw === "letsEncrypt") return { type: "letsEncrypt", ...parseAcme(acmeRaw, exposed) };
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
        const e = v.object("certManager.issuer", raw, ["kind", "name"]);
        return {
            type: "existing",
            kind: v.oneOf("certManager.issuer.kind", e.kind, ["ClusterIssuer", "Issuer"] as const),
            name: v.dnsSubdomain("certManager.issuer.name", e.name),
        };
    }
    throw new ConfigError("certManager.issuer", raw, allowed);
}

function parseAcme(raw: unknown, exposed: Exposed): { email: string; server: string; solver: AcmeSolverKind } {
    const o = raw === undefined ? {} : v.object("certManager.acme", raw, ["email", "server", "solver"]);
    const email = v.string("certManager.acme.email", o.email);
    const domain = /^[^@\s]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$/.exec(email)?.[1]?.toLowerCase();
    if (!domain) throw new ConfigError("certManager.acme.email", o.email, "the e-mail address of the ACME account, such as 'platform-team@your-company.com'");
    if (REFUSED_CONTACT_DOMAINS.includes(domain)) {
        throw new ConfigError(
            "certManager.acme.email",
            email,
            `an address Let's Encrypt accepts as a contact (it refuses ${REFUSED_CONTACT_DOMAINS.join(", ")})`,
        );
    }
    const server = optional(o.server, (x) => acmeServer("certManager.acme.server", x)) ?? ACME_SERVERS.production;
    const solver =
        optional(o.solver, (x) => v.oneOf("certManager.acme.solver", x, ["ingress", "gateway"] as const)) ?? (exposed.ingress ? "ingress" : "gateway");
    if (!exposed[solver]) {
        throw new ConfigError(
            "certManager.acme.solver",
            solver,
            `an exposure the stack has: HTTP-01 answers through ${solver} only when '${solver}' is in exposures`,
        );
    }
    if (exposed.restricted[solver]) {
        // Let's Encrypt validates from addresses it does not publish, so a source-restricted
        // load balancer fails every HTTP-01 challenge (and retries eat the rate limits).
        throw new ConfigError(
            "certManager.acme.solver",
            solver,
            `a proxy Let's Encrypt can reach from anywhere: ${solver}.controller.sourceRanges restricts it (remove them, or use an existing DNS-01 issuer: certManager.issuer { kind, name })`,
        );
    }
    return { email, server, solver };
}

/** Reserved names (RFC 2606, 6761): placeholders that no ACME server accepts. */
const PLACEHOLDER = /(^|\.)(example\.(com|net|org)|[^.]+\.(invalid|test|example|localhost|local))$|\.(invalid|test|example|localhost|local)$/;

/**
 * The shipped stacks carry placeholders (an `.invalid` contact, example.com hosts) that keep the
 * program evaluable; Let's Encrypt refuses them only after cert-manager is installed, as an
 * Issuer or a Certificate that never gets Ready (10 minutes later). Say so in the preview.
 */
function warnAboutPlaceholders(email: string, routing: RouteSettings): void {
    const domain = email.split("@").pop()!.toLowerCase();
    const hosts = routing.tls.flatMap((t) => t.hosts).filter((h) => PLACEHOLDER.test(h));
    if (PLACEHOLDER.test(domain)) {
        void pulumi.log.warn(`certManager.acme.email '${email}' is a placeholder Let's Encrypt refuses: set your team's address before 'pulumi up'.`);
    }
    if (hosts.length > 0) {
        void pulumi.log.warn(`ingress.tls hosts ${hosts.join(", ")} are placeholders Let's Encrypt will not issue for: set your own hosts before 'pulumi up'.`);
    }
}

function acmeServer(key: string, raw: unknown): string {
    if (raw === "production" || raw === "staging") return ACME_SERVERS[raw];
    if (typeof raw === "string" && /^https:\/\/[^\s/]+(\/\S*)?$/.test(raw)) return raw;
    throw new ConfigError(key, raw, "production, staging, or the https URL of an ACME directory");
}

/** cert-manager's chart versions are its release tags: 'v' and an exact version. */
function taggedVersion(key: string, raw: unknown): string {
    if (typeof raw !== "string" || !/^v\d+\.\d+\.\d+$/.test(raw)) {
        throw new ConfigError(key, raw, `an exact chart version with its 'v', such as '${CERT_MANAGER_DEFAULTS.chartVersion}' (no ranges, no 'latest')`);
    }
    return raw;
}

/** The component's issuer for these settings; the solver targets are the stack's own exposures. */
export function issuerChoice(issuer: IssuerSettings, ingressSolver: AcmeSolver, gatewaySolver: AcmeSolver | undefined): IssuerChoice {
    switch (issuer.type) {
        case "selfSigned":
            return { selfSigned: true };
        case "existing":
            return { existing: { kind: issuer.kind, name: issuer.name } };
        case "letsEncrypt":
            // parseCertManager only picks the gateway solver when gateway is an exposure.
            return { acme: { email: issuer.email, server: issuer.server, solver: issuer.solver === "ingress" ? ingressSolver : gatewaySolver! } };
    }
}

/** The issuer in a few words, for the tls output. */
export function describeIssuer(issuer: IssuerSettings): string {
    switch (issuer.type) {
        case "selfSigned":
            return "selfSigned: a root CA made in the cluster (trust it with trustCa)";
        case "letsEncrypt":
            return (
                `letsEncrypt: ACME ${issuer.server}, HTTP-01 through ${issuer.solver}` +
                (issuer.server === ACME_SERVERS.staging ? " (the staging server's certificates are not publicly trusted: curl needs -k or its roots)" : "")
            );
        case "existing":
            return `${issuer.kind} ${issuer.name}`;
    }
}
