import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface EchoNamespaceArgs {
    /** The namespace's name: every in-cluster DNS name and kubectl command depends on it. */
    name: string;
    /**
     * Create it, labelled for the restricted Pod Security Standard (default true); false uses an
     * existing namespace of that name, which the program then only names.
     */
    create?: boolean;
}

/** The type of the component the namespace was a child of before it was its own step (issue 18). */
const FORMER_PARENT_TYPE = "echo-exposure:index:EchoApp";

/**
 * The echo app's namespace, as its own step: every track of the app (components/echoApp.ts,
 * components/canary.ts) and every exposure lives in it, so it is made once, before any of them.
 */
export class EchoNamespace extends pulumi.ComponentResource {
    /** The namespace name, resolved only once the namespace exists (so dependents wait for it). */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: EchoNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:EchoNamespace", name, {}, opts);
        if (args.create ?? true) {
            const ns = new k8s.core.v1.Namespace(
                `${name}-namespace`,
                {
                    metadata: {
                        name: args.name,
                        labels: {
                            "pod-security.kubernetes.io/enforce": "restricted",
                            "pod-security.kubernetes.io/enforce-version": "latest",
                        },
                    },
                },
                {
                    parent: this,
                    // It was the child of the EchoApp of the same name: the alias keeps its URN,
                    // so an existing stack updates in place. Without it Pulumi would delete the
                    // namespace, and with it everything in it.
                    aliases: [{ name: `${name}-namespace`, parent: pulumi.createUrn(name, FORMER_PARENT_TYPE, opts?.parent) }],
                },
            );
            this.name = ns.metadata.name;
        } else {
            this.name = pulumi.output(args.name);
        }
        this.registerOutputs({ name: this.name });
    }
}
