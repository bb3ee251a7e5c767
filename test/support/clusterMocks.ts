import * as pulumi from "@pulumi/pulumi";
import { createHash, randomBytes } from "crypto";

/**
 * Pulumi mocks that answer the way a Kubernetes cluster and pulumi-kubernetes do, so tests catch
 * the mistakes a real cluster would expose:
 * - objects without metadata.name get Pulumi's auto-name (`<resource name>-<random suffix>`),
 *   so code that assumes the Pulumi resource name is the object name fails;
 * - Services get a clusterIP, and a nodePort per port where none was fixed, from the API server's
 *   range, so URLs must read the allocated port from state rather than from config;
 * - LoadBalancer Services report an IP or (as on AWS) only a hostname, or nothing (kind, or
 *   `pulumi.com/skipAwait`, where Pulumi returns before any address exists);
 * - an Ingress reports what ingress-nginx publishes: the controller Service's load-balancer
 *   address, or for a NodePort controller its ClusterIP (unreachable from outside);
 * - a Gateway reports status.addresses the same way.
 */
export type LoadBalancerReport = "ip" | "hostname" | "none";

export interface ClusterOptions {
    /** How LoadBalancer Services (and the controllers behind them) report their address. */
    loadBalancer?: LoadBalancerReport;
    /** Same names, ports and IPs on every run (for `npm run render`, whose output is diffed in PRs). */
    deterministic?: boolean;
}

export const MOCK_LB_IP = "203.0.113.10";
export const MOCK_LB_HOSTNAME = "a1b2c3d4e5-1234567890.eu-west-1.elb.amazonaws.com";

export interface RegisteredResource {
    type: string;
    name: string;
    custom: boolean;
    inputs: any;
    state: any;
}

export class ClusterMocks implements pulumi.runtime.Mocks {
    public readonly resources: RegisteredResource[] = [];
    private nextNodePort: number;
    private nextClusterIp: number;

    constructor(private readonly options: ClusterOptions = {}) {
        this.nextNodePort = options.deterministic ? 31000 : 30000 + Math.floor(Math.random() * 2000);
        this.nextClusterIp = options.deterministic ? 10 : 10 + Math.floor(Math.random() * 200);
    }

    private random(bytes: number, seed: string): string {
        return this.options.deterministic
            ? createHash("sha256")
                  .update(seed)
                  .digest("hex")
                  .slice(0, bytes * 2)
            : randomBytes(bytes).toString("hex");
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        const state: any = structuredClone(args.inputs ?? {});
        if (args.type.startsWith("kubernetes:") && args.custom) {
            this.asApiServer(args, state);
        }
        this.resources.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs: args.inputs, state });
        return { id: args.custom ? `${args.name}_id` : undefined, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        return args.inputs;
    }

    /** The resources of one type token, e.g. `kubernetes:core/v1:Service`. */
    ofType(type: string): RegisteredResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    private asApiServer(args: pulumi.runtime.MockResourceArgs, state: any): void {
        if (args.type.startsWith("kubernetes:helm.sh") || args.type.startsWith("kubernetes:yaml") || args.type.includes(":kustomize")) {
            return; // remote components: one registration, their children are not modelled
        }
        state.metadata = state.metadata ?? {};
        if (!state.metadata.name) {
            // pulumi-kubernetes auto-naming: the resource name plus a random suffix.
            state.metadata.name = `${args.name}-${this.random(4, args.name)}`;
        }
        const clusterScoped = ["kubernetes:core/v1:Namespace", "kubernetes:gateway.networking.k8s.io/v1:GatewayClass"];
        if (!clusterScoped.includes(args.type) && !state.metadata.namespace) {
            state.metadata.namespace = "default";
        }
        switch (args.type) {
            case "kubernetes:core/v1:Service":
                this.allocateService(state);
                break;
            case "kubernetes:networking.k8s.io/v1:Ingress":
                state.status = { loadBalancer: { ingress: this.ingressAddresses() } };
                break;
            case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
                state.status = { addresses: this.gatewayAddresses() };
                break;
        }
    }

    private allocateService(state: any): void {
        const spec = (state.spec = state.spec ?? {});
        const type = spec.type ?? "ClusterIP";
        spec.type = type;
        spec.clusterIP = spec.clusterIP ?? `10.96.${this.nextClusterIp++ % 250}.${1 + (parseInt(this.random(1, String(this.nextClusterIp)), 16) % 250)}`;
        if (type === "NodePort" || type === "LoadBalancer") {
            for (const p of spec.ports ?? []) {
                p.nodePort = p.nodePort ?? this.nextNodePort++;
            }
        }
        const skipAwait = state.metadata?.annotations?.["pulumi.com/skipAwait"] === "true";
        state.status = { loadBalancer: type === "LoadBalancer" && !skipAwait ? { ingress: this.lbIngress() } : {} };
    }

    private lbIngress(): { ip?: string; hostname?: string }[] | undefined {
        switch (this.options.loadBalancer ?? "ip") {
            case "ip":
                return [{ ip: MOCK_LB_IP }];
            case "hostname":
                return [{ hostname: MOCK_LB_HOSTNAME }];
            case "none":
                return undefined;
        }
    }

    /**
     * ingress-nginx publishes its Service's status into each Ingress: the load balancer's address
     * for a LoadBalancer Service, the ClusterIP for a NodePort one (statusAddressFromService).
     */
    private ingressAddresses(): { ip?: string; hostname?: string }[] | undefined {
        const controller = this.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs?.chart).includes("ingress-nginx"));
        const serviceType = controller?.inputs?.values?.controller?.service?.type ?? "LoadBalancer";
        if (controller && serviceType !== "LoadBalancer") {
            return [{ ip: "10.96.200.17" }];
        }
        return this.lbIngress();
    }

    /**
     * A Gateway reports its data plane's address. Modelled on NGINX Gateway Fabric: a LoadBalancer
     * data plane reports the load balancer's IP or hostname; a NodePort or ClusterIP one only an
     * in-cluster IP, which clients outside the cluster cannot use.
     */
    private gatewayAddresses(): { type: string; value: string }[] | undefined {
        const chart = this.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs?.chart).includes("nginx-gateway-fabric"));
        const serviceType = chart?.inputs?.values?.nginx?.service?.type ?? "LoadBalancer";
        if (chart && serviceType !== "LoadBalancer") {
            return [{ type: "IPAddress", value: "10.96.201.23" }];
        }
        const lb = this.lbIngress()?.[0];
        if (!lb) return undefined;
        return lb.ip ? [{ type: "IPAddress", value: lb.ip }] : [{ type: "Hostname", value: lb.hostname! }];
    }
}
