/*
 * Runs the policy pack's policies in-process, without the Pulumi CLI or the policy gRPC server,
 * building the same argument objects @pulumi/policy's server (server.js) builds for
 * validateResource and validateStack. Differences from a real run, on purpose:
 * - props are given as plain values (the server wraps them in a proxy that throws on unknown
 *   values during preview; here nothing is unknown);
 * - stack policies get the same props as resource policies (the engine gives them outputs, which
 *   for Kubernetes objects repeat the inputs plus fields the cluster fills in);
 * - opts, provider, parent and dependencies are empty.
 */
import type {
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
    StackValidationPolicy,
    ResourceValidationPolicy,
} from "@pulumi/policy";
import { policies } from "../../policy/policies";

export const PROJECT = "echo-exposure";

export interface ResourceUnderTest {
    type: string;
    name: string;
    /** Defaults to urnFor(stack, type, name). */
    urn?: string;
    /** The resource's inputs as plain values. */
    props: Record<string, any>;
}

export interface Violation {
    policy: string;
    enforcement: string;
    urn: string;
    message: string;
}

/** Policy config as a policy config file holds it: per policy name, its properties. */
export type PackConfig = Record<string, Record<string, unknown>>;

/** A URN as the engine builds it (without parent types, which no policy reads). */
export function urnFor(stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
}

/** Resources the program registered under mocks (test/support RegisteredResource), as policy input. */
export function fromMocks(registered: { type: string; name: string; inputs: any }[], stack: string): ResourceUnderTest[] {
    return registered.map((r) => ({ type: r.type, name: r.name, urn: urnFor(stack, r.type, r.name), props: r.inputs ?? {} }));
}

class NotApplicable extends Error {}

const emptyOpts = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};
const noTags: ReadonlyMap<string, string> = new Map();
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};
/** The server's isType: compares the class's `__pulumiType` with the resource's type token. */
const isTypeOf = (type: string) => (cls: any) => cls?.__pulumiType === type;

function enforcementOf(policy: Policy, config: PackConfig): EnforcementLevel {
    // Same precedence as the server: config, then the policy, then the pack default (advisory).
    return (config[policy.name]?.enforcementLevel as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? "advisory";
}

/** Calls fn, treating notApplicable() as "no violations" and refusing async policies (this harness is synchronous). */
function call(policyName: string, fn: () => unknown): void {
    try {
        const result = fn();
        if (result && typeof (result as Promise<void>).then === "function") {
            throw new Error(`policy ${policyName} returned a promise; the test harness only runs synchronous policies`);
        }
    } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
    }
}

/** Runs one policy (resource or stack) over the resources and returns its violations. */
export function runPolicy(policy: Policy, resources: ResourceUnderTest[], stack = "dev", config: PackConfig = {}): Violation[] {
    const enforcement = enforcementOf(policy, config);
    if (enforcement === "disabled") return [];
    const found: Violation[] = [];
    const getConfig = <T extends object>() => (config[policy.name] ?? {}) as T;
    const withUrns = resources.map((r) => ({ ...r, urn: r.urn ?? urnFor(stack, r.type, r.name) }));

    const resourcePolicy = policy as ResourceValidationPolicy;
    if (resourcePolicy.validateResource) {
        const validations = Array.isArray(resourcePolicy.validateResource) ? resourcePolicy.validateResource : [resourcePolicy.validateResource];
        for (const r of withUrns) {
            // For resource policies the server ignores the urn argument and uses the resource's.
            const report: ReportViolation = (message) => found.push({ policy: policy.name, enforcement, urn: r.urn, message });
            const args: ResourceValidationArgs = {
                type: r.type,
                props: r.props,
                urn: r.urn,
                name: r.name,
                opts: emptyOpts,
                stackTags: noTags,
                isType: isTypeOf(r.type),
                asType: ((cls: any) => (isTypeOf(r.type)(cls) ? r.props : undefined)) as ResourceValidationArgs["asType"],
                getConfig,
                notApplicable,
            };
            for (const validate of validations) call(policy.name, () => validate(args, report));
        }
    }

    const stackPolicy = policy as StackValidationPolicy;
    if (typeof stackPolicy.validateStack === "function") {
        const stackResources: PolicyResource[] = withUrns.map((r) => ({
            type: r.type,
            props: r.props,
            urn: r.urn,
            name: r.name,
            opts: emptyOpts,
            dependencies: [],
            propertyDependencies: {},
            isType: isTypeOf(r.type),
            asType: ((cls: any) => (isTypeOf(r.type)(cls) ? r.props : undefined)) as PolicyResource["asType"],
        }));
        // A stack violation without a urn is against the whole stack.
        const report: ReportViolation = (message, urn) =>
            found.push({ policy: policy.name, enforcement, urn: urn ?? `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`, message });
        const args: StackValidationArgs = { resources: stackResources, stackTags: noTags, getConfig, notApplicable };
        call(policy.name, () => stackPolicy.validateStack(args, report));
    }
    return found;
}

/** Runs every policy of the pack (resource-level and stack-level) over the resources. */
export function checkResources(resources: ResourceUnderTest[], stack: string, config: PackConfig = {}): Violation[] {
    return policies.flatMap((p) => runPolicy(p, resources, stack, config));
}

/** The pack's policy by name (throws for an unknown name, so a renamed policy fails its tests). */
export function policyNamed(name: string): Policy {
    const p = policies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy named ${name} in policy/policies.ts`);
    return p;
}
