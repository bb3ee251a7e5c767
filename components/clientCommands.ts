import * as pulumi from "@pulumi/pulumi";

/*
 * Port-forwarding and the in-cluster check are things a user runs, not resources: these build the
 * exact commands, ready to paste, from the names the cluster actually has.
 */

/** A word for a POSIX shell: as it is when nothing in it needs quoting, else in single quotes. */
export function shellQuote(word: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * How the stack's kubernetes provider reaches its cluster (`kubernetes:context`, `kubernetes:cluster`,
 * `kubernetes:kubeconfig`), so that a printed kubectl command reaches the same one.
 */
export interface ClusterAccess {
    context?: string;
    cluster?: string;
    /** `kubernetes:kubeconfig`: a file's path (absolute), or a kubeconfig's contents, which the commands read from KUBECONFIG_FILE. */
    kubeconfig?: { path: string } | { contents: true };
}

/** Where the `writeKubeconfig` output writes a kubeconfig given as contents, and the kubectl commands read it. */
export const KUBECONFIG_FILE = "echo-exposure.kubeconfig";

/**
 * `kubectl` aimed at the stack's cluster as the provider reaches it: its kubeconfig, context and
 * cluster, so a pasted command reaches that cluster whatever is current. Without them, the provider
 * and kubectl both use KUBECONFIG or ~/.kube/config and its current context.
 */
export function kubectlFor(access: ClusterAccess | undefined): string {
    const kubeconfig = access?.kubeconfig && ("path" in access.kubeconfig ? access.kubeconfig.path : KUBECONFIG_FILE);
    return [
        "kubectl",
        ...(kubeconfig ? [`--kubeconfig ${shellQuote(kubeconfig)}`] : []),
        ...(access?.context ? [`--context ${shellQuote(access.context)}`] : []),
        ...(access?.cluster ? [`--cluster ${shellQuote(access.cluster)}`] : []),
    ].join(" ");
}

/** With kubeconfig contents in stack config: the command that writes them where the kubectl commands read them. */
export function writeKubeconfigCommand(access: ClusterAccess, stack: string): string | undefined {
    if (!access.kubeconfig || "path" in access.kubeconfig) return undefined;
    return `pulumi config get kubernetes:kubeconfig -s ${shellQuote(stack)} > ${KUBECONFIG_FILE}`;
}

export interface PortForward {
    command: string;
    url: string;
}

export function portForward(
    namespace: pulumi.Input<string>,
    service: pulumi.Input<string>,
    localPort: number,
    servicePort: number,
    cluster?: ClusterAccess,
): pulumi.Output<PortForward> {
    return pulumi.all([namespace, service]).apply(([ns, svc]) => ({
        command: `${kubectlFor(cluster)} port-forward -n ${shellQuote(ns)} ${shellQuote(`svc/${svc}`)} ${localPort}:${servicePort}`,
        url: `http://localhost:${localPort}`,
    }));
}

/**
 * The seed's busybox check (`kubectl run … wget -O- -q veri-service`), made to work in this
 * program's namespace: that namespace enforces the restricted Pod Security Standard, which rejects
 * a plain `kubectl run busybox` (root, no seccomp profile), so the pod gets a restricted security
 * context through --overrides (strategic merge keeps the generated container and adds to it). It
 * runs in the echo namespace because the NetworkPolicy admits ClusterIP traffic from there.
 */
export function inClusterCheck(
    namespace: pulumi.Input<string>,
    service: pulumi.Input<string>,
    servicePort: number,
    cluster?: ClusterAccess,
): pulumi.Output<string> {
    return pulumi.all([namespace, service]).apply(([ns, svc]) => {
        const overrides = JSON.stringify({
            spec: {
                securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                    {
                        name: "echo-check",
                        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                    },
                ],
            },
        });
        const target = servicePort === 80 ? svc : `${svc}:${servicePort}`;
        return (
            `${kubectlFor(cluster)} run echo-check -n ${shellQuote(ns)} --rm -i --restart=Never --image=busybox:1.37.0 ` +
            `--override-type=strategic --overrides=${shellQuote(overrides)} -- wget -O- -q -T 5 ${shellQuote(`http://${target}`)}`
        );
    });
}

/** The file the trust command writes the dev CA to, and the curl commands read. */
export const CA_FILE = "echo-exposure-ca.crt";

/**
 * Writes the self-signed chain's root (the Secret's ca.crt) to CA_FILE, for curl --cacert or a
 * trust store: from the stack's cluster (its kube context, not the current one), decoded with
 * `base64 --decode`, which GNU and macOS both take.
 */
export function trustCaCommand(namespace: string, secret: string, cluster?: ClusterAccess): string {
    return `${kubectlFor(cluster)} get secret ${shellQuote(secret)} -n ${shellQuote(namespace)} -o jsonpath='{.data.ca\\.crt}' | base64 --decode > ${CA_FILE}`;
}

/**
 * A curl that reaches an https URL through the proxy at `via` (host:port), whatever DNS says about
 * the URL's host: --resolve for an IP on the URL's port (localhost: a kind mapping), else
 * --connect-to (a cloud load balancer's hostname, which --resolve cannot take). Without `via`,
 * DNS decides. Every word is quoted for a POSIX shell.
 */
export function httpsCheckCommand(url: string, via: string | undefined, caFile?: string): string {
    return `curl ${curlArgs(url, via, caFile)}`;
}

/**
 * curl's arguments for `url` through the proxy at `via` (see httpsCheckCommand), for any scheme.
 * A URL whose host is already an IP address needs neither option: curl before 8.13 refuses an IPv6
 * literal as --resolve's host (curl/curl#16357), while a bracketed IPv6 address after it works
 * since 7.57 (curl/curl#2091).
 */
function curlArgs(url: string, via: string | undefined, caFile?: string): string {
    const ca = caFile ? `--cacert ${shellQuote(caFile)} ` : "";
    const u = new URL(url);
    const defaultPort = u.protocol === "https:" ? "443" : "80";
    const urlPort = u.port || defaultPort;
    const m = via === undefined ? null : /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(via);
    if (!m || isIpLiteral(u.hostname)) return `${ca}${shellQuote(url)}`;
    const host = m[1] === "localhost" ? "127.0.0.1" : m[1];
    const port = m[2] ?? defaultPort;
    if ((isIpLiteral(host) || host.startsWith("[")) && port === urlPort) {
        return `${ca}--resolve ${shellQuote(`${u.hostname}:${urlPort}:${host}`)} ${shellQuote(url)}`;
    }
    return `${ca}--connect-to ${shellQuote(`${u.hostname}:${urlPort}:${host}:${port}`)} ${shellQuote(url)}`;
}

const isIpLiteral = (host: string) => /^[\d.]+$/.test(host) || host.startsWith("[");

/** A proxy's routes and where clients reach it, for the canary's checks. */
export interface RoutedProxy {
    urls: pulumi.Output<string[]>;
    address: pulumi.Output<string>;
    httpsAddress: pulumi.Output<string | undefined>;
}

/**
 * The canary output: its weight and header, and per proxy a command that sends 100 requests to
 * the proxy's first plain-http route and counts the answers by text (`uniq -c`), so the split can
 * be read off; with a header, one more that sends it and should count only the canary's text.
 */
export function canaryHelp(
    canary: { weight: number; header?: { name: string; value: string } },
    proxies: Record<string, RoutedProxy | undefined>,
    trust?: pulumi.Input<TrustStep>,
): pulumi.Output<{ weight: number; header?: { name: string; value: string }; checks: Record<string, string[]> }> {
    const entries = Object.entries(proxies).filter((e): e is [string, RoutedProxy] => e[1] !== undefined);
    const reached = pulumi.all(
        entries.map(([proxy, p]) =>
            pulumi.all([p.urls, p.address, p.httpsAddress]).apply(([urls, address, httpsAddress]) => ({ proxy, urls, address, httpsAddress })),
        ),
    );
    return pulumi.all([reached, pulumi.output(trust)]).apply(([reached, step]) => {
        const checks: Record<string, string[]> = {};
        for (const { proxy, urls, address, httpsAddress } of reached) {
            const url = urls.find((u) => u.startsWith("http://")) ?? urls.find((u) => u.startsWith("https://"));
            if (!url || url.startsWith("pending:")) {
                checks[proxy] = [url ?? `pending: ${proxy} has no routed URL yet`];
                continue;
            }
            // An https route (the hosts redirect, or all are TLS) goes through the https address and
            // trusts what the tls checks trust; `-s` would hide each certificate error.
            const https = url.startsWith("https://");
            const reachedAt = https ? httpsAddress : address;
            const via = reachedAt === undefined || reachedAt.startsWith("pending:") ? undefined : reachedAt;
            const args = curlArgs(url, via, https ? step?.caFile : undefined);
            const count = (extra: string) => `for i in $(seq 100); do curl -sS ${extra}${args}; echo; done | sort | uniq -c`;
            checks[proxy] = [count(""), ...(canary.header ? [count(`-H ${shellQuote(`${canary.header.name}: ${canary.header.value}`)} `)] : [])];
        }
        return { weight: canary.weight, ...(canary.header ? { header: canary.header } : {}), checks };
    });
}

/** Where Let's Encrypt's staging roots are written, for curl --cacert. */
export const STAGING_ROOTS_FILE = "letsencrypt-staging-roots.pem";

/**
 * Let's Encrypt's staging environment issues from two roots that no trust store holds, "(STAGING)
 * Pretend Pear X1" (RSA) and "(STAGING) Bogus Broccoli X2" (ECDSA), published at these URLs
 * (letsencrypt/website content/en/docs/staging-environment.md). Both, so either chain verifies.
 */
export const STAGING_ROOT_URLS = [
    "https://letsencrypt.org/certs/staging/letsencrypt-stg-root-x1.pem",
    "https://letsencrypt.org/certs/staging/letsencrypt-stg-root-x2.pem",
];

/** Fetches the staging roots into STAGING_ROOTS_FILE (curl writes both bodies, one after the other). */
export function stagingRootsCommand(): string {
    return `curl -fsS ${STAGING_ROOT_URLS.join(" ")} > ${STAGING_ROOTS_FILE}`;
}

/** What a client must trust before the https checks: the command that writes it, and the file. */
export interface TrustStep {
    command: string;
    caFile: string;
}

/**
 * The trust step for the stack's issuer: the self-signed chain's root from the cluster, or
 * Let's Encrypt's staging roots; none for a publicly trusted issuer.
 */
export function trustStep(
    caSecret: { name: string; namespace: pulumi.Output<string> } | undefined,
    acmeStaging: boolean,
    cluster: ClusterAccess | undefined,
): pulumi.Output<TrustStep> | TrustStep | undefined {
    if (caSecret) return caSecret.namespace.apply((ns) => ({ command: trustCaCommand(ns, caSecret.name, cluster), caFile: CA_FILE }));
    return acmeStaging ? { command: stagingRootsCommand(), caFile: STAGING_ROOTS_FILE } : undefined;
}

/** A proxy the https URLs go through: its URLs and where clients reach its https. */
export interface HttpsProxy {
    urls: pulumi.Output<string[]>;
    httpsAddress: pulumi.Output<string | undefined>;
}

/**
 * The tls output: the issuer in words; for an issuer no trust store holds (the self-signed chain,
 * Let's Encrypt staging) the command that writes what to trust (`trustCa`); and for each https URL
 * of each proxy a curl that reaches it through that proxy, trusting that file.
 */
export function tlsHelp(
    issuer: string,
    trust: pulumi.Input<TrustStep> | undefined,
    proxies: (HttpsProxy | undefined)[],
): pulumi.Output<{ issuer: string; trustCa?: string; checks: string[] }> {
    const reached = proxies
        .filter((p): p is HttpsProxy => p !== undefined)
        .map((p) => pulumi.all([p.urls, p.httpsAddress]).apply(([urls, via]) => ({ urls, via })));
    return pulumi.all([pulumi.output(trust), pulumi.all(reached)]).apply(([step, lists]) => {
        const checks = lists.flatMap(({ urls, via }) => urls.filter((u) => u.startsWith("https://")).map((u) => httpsCheckCommand(u, via, step?.caFile)));
        return { issuer, ...(step ? { trustCa: step.command } : {}), checks };
    });
}
