import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ComputeResources, EchoApp } from "./echoApp";
import { trackName } from "./labels";
import { SERVICE_SUFFIXES } from "./names";

/** The canary track: what it answers, how many pods, and which requests go to it. */
export interface CanarySettings {
    /** What the canary answers, so its answers can be told from the stable ones. */
    text: string;
    /** Its image; default: the stable image (a config change only). */
    image: string;
    /** Canary pods (stack default 1); above 1 the canary gets its own PodDisruptionBudget. */
    replicas: number;
    /** Percent of requests (0-100) routed to the canary. */
    weight: number;
    /** Requests with this header and value always go to the canary. */
    header?: { name: string; value: string };
}

export interface EchoCanaryArgs {
    /** The echo namespace (the stable app's, created by it). */
    namespace: pulumi.Input<string>;
    /** What the canary answers, its image and replicas, its weight and header. */
    settings: CanarySettings;
    /** The canary's text as a secret, when it was set as one (default: settings.text). */
    text?: pulumi.Input<string>;
    /** The stable app's container settings the canary shares. */
    app: { imagePullPolicy: "Always" | "IfNotPresent" | "Never"; containerPort: number; resources: ComputeResources };
    /** The stable ClusterIP Service's name and port: the canary's Service is `<name>-canary` on the same port. */
    service: { name: string; port: number };
}

/** The canary Service's name beside the stable one. */
export const CANARY_SERVICE_SUFFIX = SERVICE_SUFFIXES.canary;

/**
 * The canary track: its Deployment (an EchoApp of track canary: pods no stable selector matches,
 * with its own PDB above one replica, covered by the stable app's NetworkPolicy) and a ClusterIP
 * Service that selects the canary pods only, which the routes send the canary's share to.
 */
export class EchoCanary extends pulumi.ComponentResource {
    public readonly app: EchoApp;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: EchoCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:EchoCanary", name, {}, opts);
        const s = args.settings;
        this.app = new EchoApp(
            `${name}-app`,
            {
                namespace: args.namespace,
                track: "canary",
                text: args.text ?? s.text,
                image: s.image,
                imagePullPolicy: args.app.imagePullPolicy,
                replicas: s.replicas,
                containerPort: args.app.containerPort,
                resources: args.app.resources,
            },
            { parent: this },
        );
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: {
                    name: `${args.service.name}${CANARY_SERVICE_SUFFIX}`,
                    namespace: args.namespace,
                    labels: { ...this.app.selector, "app.kubernetes.io/part-of": "echo-exposure" },
                },
                spec: {
                    type: "ClusterIP",
                    selector: { ...this.app.selector },
                    ports: [{ name: "http", port: args.service.port, targetPort: args.app.containerPort, protocol: "TCP" }],
                },
            },
            { parent: this, dependsOn: [this.app] },
        );
        this.registerOutputs({ service: this.service.metadata.name, deployment: trackName("canary") });
    }
}
