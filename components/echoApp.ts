import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface EchoAppArgs {
    namespace: string;
    /** Create the namespace (labelled for the restricted Pod Security Standard), or use an existing one. */
    createNamespace: boolean;
    text: string;
    image: string;
    replicas: number;
    containerPort: number;
}

/** The labels every Service selects on: the seed's `app: http-echo`, and nothing else. */
export const ECHO_SELECTOR = { app: "http-echo" } as const;
/** The named container port; Services and probes refer to the port through it. */
export const ECHO_PORT_NAME = "http";

/**
 * The http-echo app: its namespace (optionally) and its Deployment.
 */
export class EchoApp extends pulumi.ComponentResource {
    /** The namespace name, resolved only once the namespace exists (so dependents wait for it). */
    public readonly namespace: pulumi.Output<string>;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly selector: Record<string, string> = { ...ECHO_SELECTOR };
    public readonly containerPort: number;

    constructor(name: string, args: EchoAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:EchoApp", name, {}, opts);
        this.containerPort = args.containerPort;

        const ns = args.createNamespace
            ? new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  {
                      // Explicit name: every in-cluster DNS name and kubectl command depends on it.
                      metadata: {
                          name: args.namespace,
                          labels: {
                              "pod-security.kubernetes.io/enforce": "restricted",
                              "pod-security.kubernetes.io/enforce-version": "latest",
                          },
                      },
                  },
                  { parent: this },
              )
            : undefined;
        this.namespace = ns ? ns.metadata.name : pulumi.output(args.namespace);

        const labels = {
            ...ECHO_SELECTOR,
            "app.kubernetes.io/name": "http-echo",
            "app.kubernetes.io/instance": name,
            "app.kubernetes.io/part-of": "echo-exposure",
            "app.kubernetes.io/managed-by": "pulumi",
        };

        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: "http-echo", namespace: this.namespace, labels },
                spec: {
                    replicas: args.replicas,
                    selector: { matchLabels: { ...ECHO_SELECTOR } },
                    template: {
                        metadata: { labels },
                        spec: {
                            containers: [
                                {
                                    name: "http-echo",
                                    image: args.image,
                                    args: [`-text=${args.text}`, `-listen=:${args.containerPort}`],
                                    ports: [{ name: ECHO_PORT_NAME, containerPort: args.containerPort, protocol: "TCP" }],
                                },
                            ],
                        },
                    },
                },
            },
            { parent: this },
        );

        this.registerOutputs({ namespace: this.namespace, deploymentName: this.deployment.metadata.name });
    }
}
