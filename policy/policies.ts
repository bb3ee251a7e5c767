/*
 * Every policy of the pack, importable without starting the policy server (index.ts does that),
 * so tests can call the policies directly.
 */
import { Policies } from "@pulumi/policy";
import { deploymentPolicies } from "./deployment";
import { gatewayApiPolicies } from "./gatewayApi";
import { ingressPolicies } from "./ingress";
import { ingressControllerPolicies } from "./ingressController";
import { namespacePolicies } from "./namespace";
import { servicePolicies } from "./service";
import { stackPolicies } from "./stack";

export { stackOf, DEFAULT_PRODUCTION_STACKS } from "./lib";

export const policies: Policies = [
    ...deploymentPolicies,
    ...servicePolicies,
    ...ingressPolicies,
    ...ingressControllerPolicies,
    ...namespacePolicies,
    ...gatewayApiPolicies,
    ...stackPolicies,
];
