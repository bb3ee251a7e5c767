import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartSource, helmChart } from "./controllerSettings";
import { LONG_HELM_WAIT_SECONDS } from "./ingressExposure";
import { NAMES } from "./names";

/** How the certificates are issued. */
export type IssuerChoice =
    /** A root CA made in the cluster: a SelfSigned Issuer signs an isCA Certificate, a CA Issuer signs the rest. */
    | { selfSigned: true }
    /** ACME (Let's Encrypt) with HTTP-01, answered through the ingress controller or the Gateway. */
    | { acme: { email: pulumi.Input<string>; server: string; solver: AcmeSolver } }
    /** An issuer that already exists. */
    | { existing: { kind: "ClusterIssuer" | "Issuer"; name: string } };

export type AcmeSolver =
    /** cert-manager's solver Ingress, of this class. */
    | { ingressClassName: string }
    /** cert-manager's solver HTTPRoute, attached to this Gateway (listener). */
    | { gateway: { name: pulumi.Input<string>; namespace: pulumi.Input<string>; sectionName?: string } };

export interface TlsCertificatesArgs {
    /** The echo namespace: the Certificates (and so their Secrets) and the issuers live there. */
    namespace: pulumi.Input<string>;
    /** One Certificate per entry, writing exactly `secretName` for exactly `hosts`. */
    certificates: { secretName: string; hosts: string[] }[];
    /** Who signs the Certificates: a root CA made in the cluster, ACME (Let's Encrypt), or an existing issuer. */
    issuer: IssuerChoice;
    /** Install cert-manager (with its CRDs); undefined where the cluster already runs it. */
    install?: { namespace: string; chartVersion: string; chart: ChartSource; gatewayApi: boolean };
    /** What HTTP-01 answers through (the ingress controller, the Gateway): issuance waits for it. */
    solverDependsOn?: pulumi.Resource[];
}

const CERT_MANAGER = "cert-manager.io/v1";
/** cert-manager sets condition Ready on issuers and certificates (pkg/apis/certmanager/v1). */
const READY = { "pulumi.com/waitFor": "condition=Ready" };
/** Requests and limits for each cert-manager pod: small controllers, with room for a burst of issuance. */
const CERT_MANAGER_RESOURCES = { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
/** The Helm release's name: the `app.kubernetes.io/instance` label of cert-manager's pods. */
const CERT_MANAGER_RELEASE = "cert-manager";
/**
 * The webhook's configurations fail closed (failurePolicy: Fail, chart v1.21.1), so while its one
 * pod is evicted the API server refuses every cert-manager object. Two replicas, the chart's
 * PodDisruptionBudget (its default minAvailable: 1) and a spread across nodes keep one answering
 * through a node drain. In every stack, dev included: two small pods, and a drain there blocks as much.
 */
const WEBHOOK_AVAILABILITY = {
    replicaCount: 2,
    podDisruptionBudget: { enabled: true },
    topologySpreadConstraints: [
        {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            // A one-node cluster (kind) still runs both.
            whenUnsatisfiable: "ScheduleAnyway",
            // The labels the chart gives the webhook pods (templates/webhook-deployment.yaml).
            labelSelector: {
                matchLabels: {
                    "app.kubernetes.io/name": "webhook",
                    "app.kubernetes.io/instance": CERT_MANAGER_RELEASE,
                    "app.kubernetes.io/component": "webhook",
                },
            },
        },
    ] satisfies k8s.types.input.core.v1.TopologySpreadConstraint[],
};
/** The Secret cert-manager keeps the ACME account's private key in (the Issuer's privateKeySecretRef). */
export const ACME_ACCOUNT_SECRET = NAMES.acmeAccountSecret;
/** The self-signed root CA's Certificate and Secret (its ca.crt is what clients trust). */
export const ROOT_CA_SECRET = NAMES.rootCaSecret;

/**
 * cert-manager (optionally installed), an issuer, and a Certificate per TLS entry, each waiting
 * until Ready: so the https URLs answer when `pulumi up` ends, and the Ingress and the Gateway's
 * HTTPS listeners use the Secrets unchanged.
 */
export class TlsCertificates extends pulumi.ComponentResource {
    public readonly certificates: k8s.apiextensions.CustomResource[];
    /** The Secret whose ca.crt clients trust, for a self-signed chain. */
    public readonly caSecret?: { name: string; namespace: pulumi.Output<string> };

    constructor(name: string, args: TlsCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:TlsCertificates", name, {}, opts);
        const installed = args.install ? [this.installCertManager(name, args.install, args.solverDependsOn ?? [])] : [];
        const labels = { "app.kubernetes.io/part-of": "echo-exposure" };
        const resource = (suffix: string, kind: string, objectName: string, spec: Record<string, unknown>, dependsOn: pulumi.Resource[]) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${suffix}`,
                { apiVersion: CERT_MANAGER, kind, metadata: { name: objectName, namespace: args.namespace, labels, annotations: READY }, spec },
                { parent: this, dependsOn },
            );

        let issuerRef: { name: string; kind: string; group: string };
        let issued: pulumi.Resource[] = [];
        const issuer = args.issuer;
        if ("selfSigned" in issuer) {
            const selfSigned = resource("selfsigned-issuer", "Issuer", "echo-selfsigned", { selfSigned: {} }, installed);
            const rootCa = resource(
                "root-ca",
                "Certificate",
                ROOT_CA_SECRET,
                {
                    isCA: true,
                    commonName: "echo-exposure root CA",
                    secretName: ROOT_CA_SECRET,
                    privateKey: { algorithm: "ECDSA", size: 256 },
                    // A root that a user adds to a trust store signs only these hosts (cert-manager's
                    // NameConstraints, on by default in v1.21), and lives long: renewed with a new
                    // key, it would stop validating the CA file users saved.
                    nameConstraints: { critical: true, permitted: { dnsDomains: [...new Set(args.certificates.flatMap((c) => c.hosts))] } },
                    duration: "87600h",
                    issuerRef: { name: "echo-selfsigned", kind: "Issuer", group: "cert-manager.io" },
                },
                [selfSigned],
            );
            // A namespaced CA Issuer reads its Secret from its own namespace.
            issued = [resource("ca-issuer", "Issuer", "echo-ca", { ca: { secretName: ROOT_CA_SECRET } }, [rootCa])];
            issuerRef = { name: "echo-ca", kind: "Issuer", group: "cert-manager.io" };
            this.caSecret = { name: ROOT_CA_SECRET, namespace: pulumi.output(args.namespace) };
        } else if ("acme" in issuer) {
            const { email, server, solver } = issuer.acme;
            // The solver's Service defaults to NodePort; both proxies reach its pod through a
            // ClusterIP, so no node port is opened for a challenge.
            const http01 =
                "ingressClassName" in solver
                    ? { ingress: { ingressClassName: solver.ingressClassName, serviceType: "ClusterIP" } }
                    : { gatewayHTTPRoute: { parentRefs: [{ kind: "Gateway", ...solver.gateway }], serviceType: "ClusterIP" } };
            issued = [
                resource(
                    "acme-issuer",
                    "Issuer",
                    "echo-acme",
                    { acme: { email, server, privateKeySecretRef: { name: ACME_ACCOUNT_SECRET }, solvers: [{ http01 }] } },
                    installed,
                ),
            ];
            issuerRef = { name: "echo-acme", kind: "Issuer", group: "cert-manager.io" };
        } else {
            issued = installed;
            issuerRef = { ...issuer.existing, group: "cert-manager.io" };
        }

        this.certificates = args.certificates.map((c, i) =>
            resource(
                `certificate${args.certificates.length > 1 ? `-${i}` : ""}`,
                "Certificate",
                c.secretName,
                { secretName: c.secretName, dnsNames: c.hosts, issuerRef, privateKey: { rotationPolicy: "Always" } },
                // HTTP-01 needs the proxy that answers the challenge to be up.
                [...issued, ...(args.solverDependsOn ?? [])],
            ),
        );
        this.registerOutputs({ certificates: this.certificates.map((c) => c.metadata.name) });
    }

    /** cert-manager by a Helm release: the chart's startupapicheck Job is a post-install hook. */
    private installCertManager(name: string, install: NonNullable<TlsCertificatesArgs["install"]>, after: pulumi.Resource[]): pulumi.Resource {
        const ns = new k8s.core.v1.Namespace(
            `${name}-cert-manager-namespace`,
            {
                metadata: {
                    name: install.namespace,
                    // Its controller, webhook, cainjector and startupapicheck pods run non-root,
                    // RuntimeDefault, drop ALL, no escalation (chart v1.21.1 values.yaml).
                    labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
                },
            },
            { parent: this },
        );
        return new k8s.helm.v3.Release(
            `${name}-cert-manager`,
            {
                name: CERT_MANAGER_RELEASE,
                ...helmChart(install.chart),
                version: install.chartVersion,
                namespace: ns.metadata.name,
                atomic: true,
                // startupapicheck waits for the webhook; give a slow cluster room.
                timeout: LONG_HELM_WAIT_SECONDS,
                values: {
                    // The CRDs come with the release; kept if it is uninstalled (they hold every
                    // Certificate in the cluster).
                    crds: { enabled: true, keep: true },
                    // The controller's and cainjector's leader-election Leases, Roles and
                    // RoleBindings go to global.leaderElection.namespace, kube-system by default:
                    // keep them in cert-manager's own namespace.
                    global: { leaderElection: { namespace: install.namespace } },
                    // The chart sets no requests or limits (values.yaml `resources: {}` for each).
                    resources: CERT_MANAGER_RESOURCES,
                    webhook: { resources: CERT_MANAGER_RESOURCES, ...WEBHOOK_AVAILABILITY },
                    cainjector: { resources: CERT_MANAGER_RESOURCES },
                    startupapicheck: { resources: CERT_MANAGER_RESOURCES },
                    // HTTP-01 through a Gateway needs cert-manager's Gateway API support, which
                    // also needs the Gateway API CRDs installed before it starts.
                    ...(install.gatewayApi ? { config: { gatewayAPI: { enabled: true } } } : {}),
                },
            },
            { parent: this, dependsOn: [ns, ...after] },
        );
    }
}
