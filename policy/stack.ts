/*
 * Stack-level rules: relations between resources. These run after the program has registered
 * everything and see each resource's *outputs*; for Kubernetes objects those repeat the inputs
 * (during preview, fields computed by the cluster are unknown and the policy reports that it
 * could not run, as an advisory).
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { DEPLOYMENT, replicasOf } from "./deployment";
import { describe, namespaceOf, selects } from "./lib";

const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const ofType = (resources: PolicyResource[], type: string) => resources.filter((r) => r.type === type);
const podLabels = (d: any): Record<string, string> | undefined => d.spec?.template?.metadata?.labels;

const disruptionBudget: StackValidationPolicy = {
    name: "deployment-pod-disruption-budget",
    description: "Deployments with more than one replica have a PodDisruptionBudget (with unhealthyPodEvictionPolicy) selecting their pods.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const deployments = ofType(args.resources, DEPLOYMENT).filter((d) => replicasOf(d.props) > 1);
        if (deployments.length === 0) return args.notApplicable("no Deployment with more than one replica");
        const pdbs = ofType(args.resources, PDB).map((r) => r.props);
        for (const d of deployments) {
            const covering = pdbs.filter((p) => namespaceOf(p) === namespaceOf(d.props) && selects(p.spec?.selector, podLabels(d.props)));
            if (covering.length === 0) {
                report(
                    `Deployment ${describe(d.props, d.name)} runs ${replicasOf(d.props)} replicas but no PodDisruptionBudget selects its pods: add one (e.g. maxUnavailable: 1) in its namespace.`,
                    d.urn,
                );
            } else if (!covering.some((p) => p.spec?.unhealthyPodEvictionPolicy)) {
                // Without it, a crash-looping pod counts against the budget and blocks node drains.
                report(
                    `The PodDisruptionBudget of Deployment ${describe(d.props, d.name)} does not set spec.unhealthyPodEvictionPolicy: set AlwaysAllow so unhealthy pods never block a drain.`,
                    d.urn,
                );
            }
        }
    },
};

const networkPolicy: StackValidationPolicy = {
    name: "deployment-network-policy",
    description: "Every Deployment's pods (the echo pods: app=http-echo) are selected by a NetworkPolicy.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const deployments = ofType(args.resources, DEPLOYMENT);
        if (deployments.length === 0) return args.notApplicable("no Deployment");
        const policies = ofType(args.resources, NETWORK_POLICY).map((r) => r.props);
        for (const d of deployments) {
            // An empty podSelector ({}) selects every pod of the namespace.
            if (!policies.some((p) => namespaceOf(p) === namespaceOf(d.props) && selects(p.spec?.podSelector ?? {}, podLabels(d.props)))) {
                report(
                    `No NetworkPolicy selects the pods of Deployment ${describe(d.props, d.name)}: add one (podSelector matchLabels app: http-echo) admitting only the traffic each exposure needs.`,
                    d.urn,
                );
            }
        }
    },
};

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
/** Names the TLS Secrets of an Ingress or Gateway that something outside the stack provides (comma-separated). */
export const PROVIDED_TLS_SECRETS = "echo-exposure/tls-secrets-provided";

/** The TLS Secrets an Ingress or a Gateway's HTTPS listeners name. */
function tlsSecretsOf(r: PolicyResource): string[] {
    if (r.type === INGRESS) return (r.props.spec?.tls ?? []).map((t: any) => t.secretName).filter(Boolean);
    return (r.props.spec?.listeners ?? []).flatMap((l: any) =>
        (l.tls?.certificateRefs ?? []).filter((c: any) => !c.kind || c.kind === "Secret").map((c: any) => c.name),
    );
}

const tlsSecretsIssued: StackValidationPolicy = {
    name: "tls-secret-issued-or-provided",
    description: "Every TLS Secret an Ingress or Gateway names is issued by a cert-manager Certificate of the stack, or declared provided from outside.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const routes = args.resources.filter((r) => r.type === INGRESS || r.type === GATEWAY).filter((r) => tlsSecretsOf(r).length > 0);
        if (routes.length === 0) return args.notApplicable("no Ingress or Gateway with TLS");
        const issued = new Set(ofType(args.resources, CERTIFICATE).map((c) => `${namespaceOf(c.props)}/${c.props.spec?.secretName}`));
        for (const r of routes) {
            const provided = String(r.props.metadata?.annotations?.[PROVIDED_TLS_SECRETS] ?? "").split(",");
            for (const secret of tlsSecretsOf(r)) {
                if (!issued.has(`${namespaceOf(r.props)}/${secret}`) && !provided.includes(secret)) {
                    report(
                        `${describe(r.props, r.name)} serves TLS from Secret '${secret}', which no Certificate of this stack issues and nothing declares provided: set certManager, or annotate ${PROVIDED_TLS_SECRETS} with the Secrets you provide.`,
                        r.urn,
                    );
                }
            }
        }
    },
};

export const stackPolicies: StackValidationPolicy[] = [disruptionBudget, networkPolicy, tlsSecretsIssued];
