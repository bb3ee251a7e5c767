import { ComputeResources } from "./echoApp";

/*
 * What the two installed proxies (ingress-nginx, NGINX Gateway Fabric) have in common: whether to
 * install them, where, which pinned chart, how their Service is exposed, and their resources.
 */

export const SERVICE_TYPES = ["LoadBalancer", "NodePort", "ClusterIP"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface ControllerSettings {
    /** Install it, or use one that already runs in the cluster. */
    install: boolean;
    /** Its own namespace, created by the program. */
    namespace: string;
    /** Helm release name. */
    releaseName: string;
    /** The Helm chart version: pinned, so every `pulumi up` installs the same thing. */
    chartVersion: string;
    /** The type of the Service clients reach it through. */
    serviceType: ServiceType;
    resources: ComputeResources;
    /** loadBalancerSourceRanges of its LoadBalancer Service. */
    sourceRanges: string[];
    /** Annotations for its Service (cloud load-balancer options). */
    serviceAnnotations: Record<string, string>;
}
