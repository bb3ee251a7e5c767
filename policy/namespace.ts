import { ResourceValidationPolicy } from "@pulumi/policy";
import { forType } from "./lib";

const restrictedPodSecurity: ResourceValidationPolicy = {
    name: "namespace-restricted-pod-security",
    description: "Namespaces enforce the restricted Pod Security Standard.",
    enforcementLevel: "advisory",
    validateResource: forType("kubernetes:core/v1:Namespace", (ns, args, report) => {
        const level = ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
        if (level !== "restricted") {
            report(
                `Label the namespace pod-security.kubernetes.io/enforce: restricted (got ${level ?? "no label"}), so the API server rejects pods that run as root or escalate privileges.`,
            );
        }
    }),
};

export const namespacePolicies: ResourceValidationPolicy[] = [restrictedPodSecurity];
