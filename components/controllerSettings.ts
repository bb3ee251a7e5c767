import { ComputeResources } from "./echoApp";

/*
 * What the two installed proxies (ingress-nginx, NGINX Gateway Fabric) have in common: whether to
 * install them, where, which pinned chart, how their Service is exposed, and their resources.
 */

export const SERVICE_TYPES = ["LoadBalancer", "NodePort", "ClusterIP"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/**
 * Where Helm takes a chart from: a local folder (an air-gapped mirror's, verified against the
 * project's lock before this is built), or its registry.
 */
export interface ChartSource {
    /** An absolute chart folder, an `oci://` reference, or a chart name in `repo`. */
    chart: string;
    /** The chart repository URL, for a chart name. */
    repo?: string;
    /** `chart` is a local folder: no repository may be named, so Helm never goes to the network. */
    local: boolean;
}

export interface ControllerSettings {
    /** Install it, or use one that already runs in the cluster. */
    install: boolean;
    /** Its own namespace, created by the program. */
    namespace: string;
    /** Helm release name. */
    releaseName: string;
    /** The Helm chart version: pinned, so every `pulumi up` installs the same thing. */
    chartVersion: string;
    /** Where that chart version comes from. */
    chart: ChartSource;
    /** The type of the Service clients reach it through. */
    serviceType: ServiceType;
    /** Requests and limits of its pods (stack default: requests 100m/128Mi, limits 1/512Mi). */
    resources: ComputeResources;
    /** loadBalancerSourceRanges of its LoadBalancer Service. */
    sourceRanges: string[];
    /** Annotations for its Service (cloud load-balancer options). */
    serviceAnnotations: Record<string, string>;
}

/**
 * A helm.v3.Release's chart inputs. A local folder goes with no repositoryOpts: pulumi-kubernetes
 * takes a chart as a local path only when no repository URL is set (helm_release.go locateChart,
 * v4.25.0 to v4.32.0), and then ignores `version` for Chart.yaml's.
 */
export function helmChart(source: ChartSource): { chart: string; repositoryOpts?: { repo: string } } {
    return source.local || source.repo === undefined ? { chart: source.chart } : { chart: source.chart, repositoryOpts: { repo: source.repo } };
}
