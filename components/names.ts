/*
 * Every object name the program gives, and every suffix it derives names with, in one place, with
 * the Kubernetes rules those names must meet. stacks/ validates user-given bases through these, so
 * a derived name that would not fit is refused before anything is declared.
 */

/** Object names in the echo namespace (explicit: DNS names, kubectl commands and docs depend on them). */
export const NAMES = {
    /** The echo Deployment, its PDB and NetworkPolicy (the stable track). */
    app: "http-echo",
    /** The canary track's Deployment and PDB. */
    canaryApp: "http-echo-canary",
    /** The Ingress, and the canary's beside it. */
    ingress: "veri-ingress",
    canaryIngress: "veri-ingress-canary",
    /** HTTPRoutes: `veri-route[-<i>][-http]`. */
    routePrefix: "veri-route",
    /** The ReferenceGrant that lets an existing Gateway elsewhere read the TLS Secrets. */
    tlsReferenceGrant: "echo-tls-for-gateway",
    /** cert-manager: the self-signed root CA's Certificate and Secret, and the ACME account key. */
    rootCaSecret: "echo-root-ca",
    acmeAccountSecret: "echo-acme-account",
} as const;

/** What the program appends to `serviceName` for its other Services (each must stay a DNS-1035 label). */
export const SERVICE_SUFFIXES = {
    nodePort: "-nodeport",
    loadBalancer: "-lb",
    canary: "-canary",
} as const;

/** DNS-1035 labels (Service names) and DNS-1123 labels/subdomains (most other names): the API server's limits. */
export const NAME_LIMITS = { dns1035Label: 63, dns1123Label: 63, dns1123Subdomain: 253 } as const;

/** The Service names the program declares from `base` for the exposures and tracks in use. */
export function serviceNames(base: string, use: { nodePort: boolean; loadBalancer: boolean; canary: boolean }): string[] {
    return [
        base,
        ...(use.nodePort ? [`${base}${SERVICE_SUFFIXES.nodePort}`] : []),
        ...(use.loadBalancer ? [`${base}${SERVICE_SUFFIXES.loadBalancer}`] : []),
        ...(use.canary ? [`${base}${SERVICE_SUFFIXES.canary}`] : []),
    ];
}

/** The suffixes of `serviceNames` in use: the longest decides how long `serviceName` may be. */
export function serviceSuffixes(use: { nodePort: boolean; loadBalancer: boolean; canary: boolean }): string[] {
    return serviceNames("", use).filter((s) => s !== "");
}
