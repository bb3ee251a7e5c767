import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess, kubectlFor } from "./clientCommands";
import { firstAddress, httpUrl, pending } from "./urls";
import { SERVICE_SUFFIXES } from "./names";

/** The NodePort and LoadBalancer Services are named `<serviceName><suffix>`. */
export const NODE_PORT_SUFFIX = SERVICE_SUFFIXES.nodePort;
export const LOAD_BALANCER_SUFFIX = SERVICE_SUFFIXES.loadBalancer;

export interface ServiceExposuresArgs {
    /** The echo namespace: every Service lives beside the pods it selects. */
    namespace: pulumi.Input<string>;
    /** The pod labels to select: exactly the echo pods. */
    selector: Record<string, string>;
    /** The port the echo container listens on (every Service's targetPort). */
    containerPort: number;
    /** Name of the ClusterIP Service; the NodePort and LoadBalancer Services derive theirs from it. */
    serviceName: string;
    /** The port every Service listens on (stack default 80). */
    servicePort: number;
    /** Declare the ClusterIP Service (the Ingress and the HTTPRoutes need it as their backend). */
    clusterIP: boolean;
    /** A NodePort Service: a fixed node port (default: allocated) and the host clients reach a node at. */
    nodePort?: { port?: number; address: string };
    /** A LoadBalancer Service: who may reach it (default everyone), cloud annotations, and whether to wait for an address. */
    loadBalancer?: { sourceRanges: string[]; annotations: Record<string, string>; skipAwait: boolean };
    /** How the provider reaches the cluster (kubeconfig, context, cluster): the printed kubectl commands name the same. */
    cluster?: ClusterAccess;
}

export interface ServiceUrls {
    clusterIP?: string;
    nodePort?: string;
    loadBalancer?: string;
}

/**
 * One Service per chosen exposure type, each selecting the echo pods, and the URL a client uses
 * for each. Every Service has an explicit name: in-cluster DNS names and kubectl commands depend on
 * it, and a Pulumi auto-name (with its random suffix) would change on replacement.
 */
export class ServiceExposures extends pulumi.ComponentResource {
    public readonly clusterIP?: k8s.core.v1.Service;
    public readonly nodePort?: k8s.core.v1.Service;
    public readonly loadBalancer?: k8s.core.v1.Service;
    public readonly urls: pulumi.Output<ServiceUrls>;
    /** The Service that port-forwarding and the in-cluster check use: ClusterIP first, else any. */
    public readonly primary: k8s.core.v1.Service;

    constructor(name: string, args: ServiceExposuresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("echo-exposure:index:ServiceExposures", name, {}, opts);

        const service = (suffix: string, serviceName: string, spec: k8s.types.input.core.v1.ServiceSpec, annotations?: Record<string, string>) =>
            new k8s.core.v1.Service(
                `${name}-${suffix}`,
                {
                    metadata: {
                        name: serviceName,
                        namespace: args.namespace,
                        labels: { ...args.selector, "app.kubernetes.io/part-of": "echo-exposure" },
                        annotations,
                    },
                    spec: {
                        selector: { ...args.selector },
                        ...spec,
                    },
                },
                { parent: this },
            );
        const port = (nodePort?: number) => ({
            name: "http",
            port: args.servicePort,
            targetPort: args.containerPort,
            protocol: "TCP",
            nodePort,
        });

        const urls: Record<string, pulumi.Output<string>> = {};

        if (args.clusterIP) {
            const svc = service("clusterip", args.serviceName, { type: "ClusterIP", ports: [port()] });
            this.clusterIP = svc;
            urls.clusterIP = pulumi
                .all([svc.metadata.name, svc.metadata.namespace])
                .apply(([n, ns]) => httpUrl("http", `${n}.${ns}.svc.cluster.local`, args.servicePort));
        }

        if (args.nodePort) {
            const { address } = args.nodePort;
            const svc = service("nodeport", `${args.serviceName}${NODE_PORT_SUFFIX}`, { type: "NodePort", ports: [port(args.nodePort.port)] });
            this.nodePort = svc;
            // The API server allocates the node port when none is fixed: read it from the Service's state.
            urls.nodePort = pulumi.all([svc.spec.ports, svc.metadata.name, svc.metadata.namespace]).apply(([ports, n, ns]) => {
                const allocated = ports?.[0]?.nodePort;
                return allocated
                    ? httpUrl("http", address, allocated)
                    : pending("the node port is not allocated yet", `${kubectlFor(args.cluster)} get svc ${n} -n ${ns}`);
            });
        }

        if (args.loadBalancer) {
            const lb = args.loadBalancer;
            const annotations = { ...lb.annotations, ...(lb.skipAwait ? { "pulumi.com/skipAwait": "true" } : {}) };
            const svc = service(
                "loadbalancer",
                `${args.serviceName}${LOAD_BALANCER_SUFFIX}`,
                {
                    type: "LoadBalancer",
                    ports: [port()],
                    loadBalancerSourceRanges: lb.sourceRanges.length > 0 ? lb.sourceRanges : undefined,
                },
                Object.keys(annotations).length > 0 ? annotations : undefined,
            );
            this.loadBalancer = svc;
            urls.loadBalancer = pulumi.all([svc.status, svc.metadata.name, svc.metadata.namespace]).apply(([status, n, ns]) => {
                const address = firstAddress(status?.loadBalancer?.ingress);
                return address
                    ? httpUrl("http", address, args.servicePort)
                    : pending(
                          "the load balancer has reported no address yet" +
                              (lb.skipAwait ? " (loadBalancer.skipAwait is on, so Pulumi did not wait for one)" : ""),
                          `${kubectlFor(args.cluster)} get svc ${n} -n ${ns}`,
                      );
            });
        }

        const primary = this.clusterIP ?? this.nodePort ?? this.loadBalancer;
        if (!primary) {
            // stacks/ guarantees at least one Service-backed exposure; this guards a caller that doesn't.
            throw new Error("ServiceExposures: at least one of clusterIP, nodePort or loadBalancer must be enabled");
        }
        this.primary = primary;
        this.urls = pulumi.output(urls) as pulumi.Output<ServiceUrls>;
        this.registerOutputs({ urls: this.urls });
    }
}
