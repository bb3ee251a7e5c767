/*
 * Services: in production, nothing is exposed beyond the cluster without an allow-list.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forType, isProduction, productionConfigSchema } from "./lib";

const SERVICE = "kubernetes:core/v1:Service";

const loadBalancerSourceRanges: ResourceValidationPolicy = {
    name: "service-loadbalancer-source-ranges",
    description: "In production stacks, LoadBalancer Services restrict who can reach them with loadBalancerSourceRanges.",
    enforcementLevel: "mandatory",
    configSchema: productionConfigSchema,
    validateResource: forType(SERVICE, (svc, args, report) => {
        if (svc.spec?.type !== "LoadBalancer") return args.notApplicable("not a LoadBalancer Service");
        if (!isProduction(args)) return args.notApplicable("not a production stack");
        if ((svc.spec?.loadBalancerSourceRanges ?? []).length === 0) {
            report(
                "LoadBalancer Service open to every address in a production stack: set spec.loadBalancerSourceRanges (config loadBalancer.sourceRanges) to the client CIDRs.",
            );
        }
    }),
};

const noNodePortInProduction: ResourceValidationPolicy = {
    name: "service-no-nodeport-in-production",
    description: "In production stacks, NodePort Services (a port open on every node) are avoided.",
    enforcementLevel: "advisory",
    configSchema: productionConfigSchema,
    validateResource: forType(SERVICE, (svc, args, report) => {
        if (svc.spec?.type !== "NodePort") return args.notApplicable("not a NodePort Service");
        if (!isProduction(args)) return args.notApplicable("not a production stack");
        report(
            "NodePort Service in a production stack opens the port on every node: expose the app through a LoadBalancer with source ranges, an Ingress or a Gateway instead.",
        );
    }),
};

export const servicePolicies: ResourceValidationPolicy[] = [loadBalancerSourceRanges, noNodePortInProduction];
