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

export const stackPolicies: StackValidationPolicy[] = [disruptionBudget, networkPolicy];
