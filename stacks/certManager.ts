import { ChartSource } from "../components/controllerSettings";
import * as pulumi from "@pulumi/pulumi";
import { ACME_ACCOUNT_SECRET, AcmeSolver, IssuerChoice, ROOT_CA_SECRET } from "../components/tlsCertificates";
import { ServiceType } from "./controller";
import { ConfigError } from "../config/errors";
import { ParsedIngress } from "./ingress";
import { contactProblem, domainProblem, FORBIDDEN_MAIL_DOMAINS, isPlaceholderContact, MAX_NAMES_PER_ORDER } from "./letsEncrypt";
import { ParsedRoutes, routingPrefix } from "./routes";
import * as v from "../config/validate";
import type { Config } from "./schema";
import { ARTIFACTS, chartSource } from "./upstream";

type CertManagerConfig = NonNullable<Config["certManager"]>;

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

/**
 * The Secret holding the ACME account's private key, which the letsEncrypt Issuer names
 * (components/tlsCertificates.ts, privateKeySecretRef; test/stacks/certificates.test.ts checks
 * they agree).
 */
export { ACME_ACCOUNT_SECRET };
/** Secrets in the echo namespace that the program itself manages, with what each holds. */
const PROGRAM_SECRETS: Record<string, string> = {
    [ROOT_CA_SECRET]: "the self-signed root CA's",
    [ACME_ACCOUNT_SECRET]: "the ACME account key's",
};

/** The exposures an ACME HTTP-01 solver can answer through. */
export interface Exposed {
    ingress: boolean;
    gateway: boolean;
    /** The proxies whose load balancer admits only some source ranges. */
    restricted: { ingress: boolean; gateway: boolean };
}

/**
 * What the certManager rules need from the rest of the stack config: the echo namespace (where
 * the Certificates and an existing Issuer live) and how the Gateway's data plane is published
 * (GatewaySettings fits). loadSettings has validated these keys before certManager is read.
 */
export interface StackContext {
    namespace: string;
    createNamespace: boolean;
    gateway: { existing?: unknown; httpPort: number; controller: { install: boolean; serviceType: ServiceType } };
}

/** `written` is certManager as the user wrote it, for the errors (the parsed `o` has its defaults). */
export function parseCertManager(
    o: Config["certManager"],
    routing: ParsedIngress,
    exposed: Exposed,
    context: StackContext,
    written: unknown = o,
): CertManagerSettings | undefined {
    if (o === undefined) return undefined;
    if (routing.tls.length === 0 || (!exposed.ingress && !exposed.gateway)) {
        throw new ConfigError(
            "certManager",
            written,
            "certManager only with something to issue: ingress.tls entries, served through the ingress or gateway exposure (remove certManager, or add them)",
        );
    }
    const { install, namespace, chartVersion } = o;
    if (install) v.creatableNamespace("certManager.namespace", namespace, "cert-manager gets a namespace of its own");
    const writtenAcme = typeof written === "object" && written !== null ? (written as { acme?: unknown }).acme : undefined;
    const issuer = parseIssuer(o.issuer, o.acme, exposed, writtenAcme);
    oneSecretPerCertificate(routing);
    if (issuer.type === "existing") existingIssuerCanExist(issuer, install, context);
    if (issuer.type === "letsEncrypt") {
        letsEncryptIssues(routing);
        reachableOnPort80(issuer.solver, routing, context);
        warnAboutPlaceholders(issuer.email, routing);
    }
    return { issuer, install, namespace, chartVersion, chart: chartSource(ARTIFACTS.certManager, chartVersion, install) };
}

function parseIssuer(issuer: CertManagerConfig["issuer"], acme: CertManagerConfig["acme"], exposed: Exposed, writtenAcme: unknown): IssuerSettings {
    if (acme !== undefined && issuer !== "letsEncrypt") {
        throw new ConfigError("certManager.acme", writtenAcme ?? acme, "no acme settings unless certManager.issuer is letsEncrypt");
    }
    if (issuer === "selfSigned") return { type: "selfSigned" };
    if (issuer === "letsEncrypt") return { type: "letsEncrypt", ...parseAcme(acme, exposed) };
    return { type: "existing", kind: issuer.kind, name: issuer.name };
}

function parseAcme(acme: CertManagerConfig["acme"], exposed: Exposed): { email: string; server: string; solver: AcmeSolverKind } {
    // Required only with letsEncrypt (the schema cannot say so: acme with another issuer is refused above instead).
    const email = acme?.email;
    if (email === undefined) throw new ConfigError("certManager.acme.email", undefined, "a non-empty string");
    const server = acme!.server;
    const problem = contactProblem(email);
    if (problem !== undefined) {
        throw new ConfigError(
            "certManager.acme.email",
            email,
            "the e-mail address of the ACME account, such as 'platform-team@your-company.com', as Let's Encrypt accepts a contact: " +
                `a plain ASCII address whose domain is a name under a public suffix (it refuses ${FORBIDDEN_MAIL_DOMAINS.join(", ")}); not ${problem}`,
        );
    }
    const solver = acme!.solver ?? (exposed.ingress ? "ingress" : "gateway");
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
function warnAboutPlaceholders(email: string, routing: ParsedRoutes): void {
    const hosts = routing.tls.flatMap((t) => t.hosts).filter((h) => PLACEHOLDER.test(h));
    // The only placeholder contact that gets here (stacks/letsEncrypt.ts, PLACEHOLDER_TLD).
    if (isPlaceholderContact(email)) {
        void pulumi.log.warn(`certManager.acme.email '${email}' is a placeholder Let's Encrypt refuses: set your team's address before 'pulumi up'.`);
    }
    if (hosts.length > 0) {
        void pulumi.log.warn(
            `${routingPrefix(routing)}.tls hosts ${hosts.join(", ")} are placeholders Let's Encrypt will not issue for: set your own hosts before 'pulumi up'.`,
        );
    }
}

/**
 * An ACME server is its directory URL (RFC 8555 section 7.1.1; cert-manager's ACMEIssuer.server
 * is "the URL used to access the ACME server's 'directory' endpoint"): https, with the path the
 * server publishes the directory at. A bare host answers no directory, and the Issuer never gets
 * Ready.
 */
export function acmeServer(key: string, raw: unknown): string {
    if (raw === "production" || raw === "staging") return ACME_SERVERS[raw];
    const allowed = "production, staging, or the https URL of an ACME directory, such as 'https://acme.corp.dev/directory'";
    const url = typeof raw === "string" && /^https:\/\/[^\s/]+(\/\S*)?$/.test(raw) ? parsedUrl(raw) : undefined;
    if (url === undefined || url.protocol !== "https:") throw new ConfigError(key, raw, allowed);
    if (url.username !== "" || url.password !== "") throw new ConfigError(key, raw, `${allowed}; not one with a user or password`);
    if (url.hash !== "") throw new ConfigError(key, raw, `${allowed}; not one with a '#' fragment`);
    if (url.pathname === "/") {
        throw new ConfigError(key, raw, `${allowed}; not a bare host: the directory's path is needed (the ACME server's documentation gives it)`);
    }
    return raw as string;
}

function parsedUrl(s: string): URL | undefined {
    try {
        return new URL(s);
    } catch {
        return undefined;
    }
}

/**
 * Each ingress.tls entry is one Certificate named after, and writing, its secretName (components/
 * tlsCertificates.ts): two entries with one Secret are two Certificates overwriting each other's
 * Secret (and one Kubernetes name twice), and a Secret the program manages itself would be
 * overwritten too. For every issuer, so that changing the issuer never breaks the stack.
 */
function oneSecretPerCertificate(routing: ParsedRoutes): void {
    const first = new Map<string, number>();
    routing.tls.forEach((t, i) => {
        const key = `${routingPrefix(routing)}.tls[${i}].secretName`;
        const managed = PROGRAM_SECRETS[t.secretName];
        if (managed !== undefined) {
            throw new ConfigError(
                key,
                t.secretName,
                `a Secret the program does not manage itself: with certManager, '${t.secretName}' is ${managed} Secret ` +
                    `(it also names ${Object.keys(PROGRAM_SECRETS).join(" and ")}); choose another name`,
            );
        }
        const earlier = first.get(t.secretName);
        if (earlier !== undefined) {
            throw new ConfigError(
                key,
                t.secretName,
                `a Secret no other ingress.tls entry writes: with certManager each entry is a Certificate writing its own Secret, and ` +
                    `${routingPrefix(routing)}.tls[${earlier}] already writes '${t.secretName}' (put the hosts in one entry, or name another Secret)`,
            );
        }
        first.set(t.secretName, i);
    });
}

/**
 * An existing issuer must exist when the Certificates are declared. When the program installs
 * cert-manager, its CRDs come with that release, so no Issuer or ClusterIssuer can exist yet; and
 * a namespaced Issuer must be in the Certificates' namespace (cert-manager's IssuerRef), which
 * cannot hold one when the program is about to create it.
 */
function existingIssuerCanExist(issuer: Extract<IssuerSettings, { type: "existing" }>, install: boolean, context: StackContext): void {
    const programMade = "or a program-made issuer (certManager.issuer: selfSigned or letsEncrypt)";
    if (install) {
        throw new ConfigError(
            "certManager.issuer.kind",
            issuer.kind,
            `an issuer the program makes while it installs cert-manager (certManager.install true, the default): no ${issuer.kind} can exist ` +
                `before the cert-manager the stack is about to install; set certManager.install: false where the cluster already runs ` +
                `cert-manager with ${issuer.kind} '${issuer.name}', ${programMade}`,
        );
    }
    if (issuer.kind === "Issuer" && context.createNamespace) {
        throw new ConfigError(
            "certManager.issuer.kind",
            issuer.kind,
            `ClusterIssuer, or an Issuer in a namespace that already exists: a namespaced Issuer must be in the Certificates' namespace ` +
                `('${context.namespace}'), which the program is about to create (createNamespace true, the default); set createNamespace: false ` +
                `and create '${context.namespace}' with Issuer '${issuer.name}' first, use a ClusterIssuer, ${programMade}`,
        );
    }
}

/**
 * Let's Encrypt's identifier rules (boulder policy/pa.go validNonWildcardDomain) for each TLS
 * host, and its limit of names per order (ra/ra.go maxNames): one Certificate, one order.
 */
function letsEncryptIssues(routing: ParsedRoutes): void {
    routing.tls.forEach((t, i) => {
        const seen = new Set<string>();
        t.hosts.forEach((h, j) => {
            const key = `${routingPrefix(routing)}.tls[${i}].hosts[${j}]`;
            const why = domainProblem(h);
            if (why !== undefined)
                throw new ConfigError(key, h, `a name Let's Encrypt issues certificates for (certManager.issuer is letsEncrypt); not ${why}`);
            seen.add(h);
            if (seen.size > MAX_NAMES_PER_ORDER) {
                throw new ConfigError(
                    key,
                    h,
                    `at most ${MAX_NAMES_PER_ORDER} names in one ingress.tls entry: it is one Certificate, one Let's Encrypt order, which takes at most ` +
                        `${MAX_NAMES_PER_ORDER} (split the hosts into several entries, each with its own secretName)`,
                );
            }
        });
    });
}

/**
 * HTTP-01 is answered on port 80 of the host, from outside the cluster (RFC 8555 section 8.3;
 * boulder's VA connects to port 80): the solver's proxy must be reachable there. A NodePort proxy
 * is, once something forwards port 80 to its node port (a cloud load balancer, kind's
 * extraPortMappings); a ClusterIP one is not, nor a load balancer on another port.
 */
function reachableOnPort80(solver: AcmeSolverKind, routing: ParsedIngress, context: StackContext): void {
    const nodePortNeeds =
        "NodePort (with something forwarding port 80 of the host's address to its http node port, such as a cloud load balancer or kind's extraPortMappings)";
    const why = "Let's Encrypt fetches http://<host>/.well-known/acme-challenge/ on port 80 from the internet (certManager.acme.solver is";
    if (solver === "ingress") {
        const c = routing.controller;
        if (c.install && c.serviceType === "ClusterIP" && !c.hostPort) {
            throw new ConfigError(
                "ingress.controller.serviceType",
                c.serviceType,
                `LoadBalancer, ${nodePortNeeds}, or ClusterIP with ingress.controller.hostPort: true: ${why} ingress), ` +
                    `and nothing outside the cluster reaches a ClusterIP Service`,
            );
        }
        return;
    }
    const g = context.gateway;
    // An existing Gateway's listeners and addresses are not this program's to know.
    if (g.existing !== undefined && g.existing !== null) return;
    const installed = g.controller.install;
    if (installed && g.controller.serviceType === "ClusterIP") {
        throw new ConfigError(
            "gateway.controller.serviceType",
            g.controller.serviceType,
            `LoadBalancer, or ${nodePortNeeds}: ${why} gateway), and nothing outside the cluster reaches a ClusterIP data plane`,
        );
    }
    if (g.httpPort !== 80 && !(installed && g.controller.serviceType === "NodePort")) {
        throw new ConfigError(
            "gateway.httpPort",
            g.httpPort,
            `80 when HTTP-01 answers through the Gateway: ${why} gateway), and the data plane's load balancer listens on the http ` +
                `listener's port (or a ${nodePortNeeds})`,
        );
    }
}

/** cert-manager's chart versions are its release tags: 'v' and an exact version. */
export function taggedVersion(key: string, raw: unknown): string {
    if (typeof raw !== "string" || !/^v\d+\.\d+\.\d+$/.test(raw)) {
        throw new ConfigError(key, raw, "an exact chart version with its 'v', such as 'v1.21.1' (no ranges, no 'latest')");
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
                (issuer.server === ACME_SERVERS.staging ? " (the staging server's roots are in no trust store: trustCa fetches them for the checks)" : "")
            );
        case "existing":
            return `${issuer.kind} ${issuer.name}`;
    }
}

/** Let's Encrypt's staging server: its certificates chain to roots no trust store holds. */
export function isAcmeStaging(issuer: IssuerSettings): boolean {
    return issuer.type === "letsEncrypt" && issuer.server === ACME_SERVERS.staging;
}
