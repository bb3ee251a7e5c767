/*
 * Helpers shared by the policies. Policies match resources by Pulumi type token (a string) rather
 * than by resource class, so the pack does not load @pulumi/kubernetes: it starts faster and
 * needs only @pulumi/policy.
 */
import { PolicyConfigSchema, ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/** Stacks treated as production unless the policy config says otherwise. */
export const DEFAULT_PRODUCTION_STACKS = ["prod", "production"];

/** Config schema of every policy whose rule depends on the stack being production. */
export const productionConfigSchema: PolicyConfigSchema = {
    properties: {
        productionStacks: {
            type: "array",
            items: { type: "string" },
            default: DEFAULT_PRODUCTION_STACKS,
            description: "Stack names treated as production.",
        },
    },
};

/** The stack name in a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOf(urn: string): string {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn);
    if (!m) throw new Error(`not a Pulumi URN: ${urn}`);
    return m[1];
}

/** True when the resource's stack is one of the configured production stacks. */
export function isProduction(args: ResourceValidationArgs): boolean {
    // getConfig returns {} when the user passes no policy config; the CLI fills schema defaults
    // only when it sends config, so fall back here too.
    const stacks = args.getConfig<{ productionStacks?: string[] }>().productionStacks ?? DEFAULT_PRODUCTION_STACKS;
    return stacks.includes(stackOf(args.urn));
}

/**
 * A resource validation that runs only for one type token. Like @pulumi/policy's
 * validateResourceOfType, it tags the function with `__pulumiType` (the field that helper sets,
 * read by the policy server) so the server skips other types without calling it.
 */
export function forType(type: string, validate: (props: any, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
    const fn: ResourceValidation = (args, report) => {
        if (args.type !== type) {
            args.notApplicable(`Policy only applies to resources of type '${type}'`);
        }
        validate(args.props, args, report);
    };
    (fn as any).__pulumiType = type;
    return fn;
}

/**
 * The chart a helm.v3.Release installs, by name: the last part of a registry reference or a chart
 * name, or the artifact of a mirror's chart folder (`<mirror>/<name>/<version>/chart`).
 */
export function chartNameOf(chart: unknown): string {
    const parts = String(chart).split("/");
    return parts[parts.length - 1] === "chart" && parts.length >= 3 ? parts[parts.length - 3] : parts[parts.length - 1];
}

/** Kubernetes label-selector semantics: does `selector` (matchLabels/matchExpressions) select `labels`? */
export function selects(selector: any, labels: Record<string, string> | undefined): boolean {
    if (!selector) return false;
    const l = labels ?? {};
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
        if (l[k] !== v) return false;
    }
    for (const e of selector.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(l, e.key);
        const values: string[] = e.values ?? [];
        switch (e.operator) {
            case "In":
                if (!has || !values.includes(l[e.key])) return false;
                break;
            case "NotIn":
                if (has && values.includes(l[e.key])) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
            default:
                return false;
        }
    }
    return true;
}

/** Namespace of a namespaced object as declared (unset means the provider's default, usually "default"). */
export function namespaceOf(obj: any): string {
    return obj?.metadata?.namespace ?? "default";
}

/** A short `kind namespace/name` for messages. */
export function describe(obj: any, fallbackName: string): string {
    const name = obj?.metadata?.name ?? fallbackName;
    return obj?.metadata?.namespace ? `${obj.metadata.namespace}/${name}` : name;
}
