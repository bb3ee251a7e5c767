import { ConfigError } from "../config/errors";
import { ControllerSettings, ServiceType } from "../components/controllerSettings";
import { checkResources } from "./resources";
import { chartSource } from "./upstream";
import * as v from "../config/validate";

/* Reads what the two installed proxies have in common (components/controllerSettings.ts). */

export type { ControllerSettings, ServiceType } from "../components/controllerSettings";
export { SERVICE_TYPES } from "../components/controllerSettings";

/** The common keys of a controller, as stacks/schema.ts declares and reads them. */
export interface ControllerConfig {
    install: boolean;
    namespace: string;
    releaseName: string;
    chartVersion: string;
    serviceType: ServiceType;
    resources: ControllerSettings["resources"];
    sourceRanges: string[];
    serviceAnnotations: Record<string, string>;
}

/**
 * The rules of `<key>`'s common keys that involve more than one of them, and where its chart comes
 * from. `chart` is the chart's artifact in upstream.lock.json; `unused` when another setting means
 * the chart is not installed even with `install` true (an existing Gateway).
 */
export function parseControllerCommon(key: string, o: ControllerConfig, chart: { artifact: string; unused?: boolean }): ControllerSettings {
    // An installed controller's namespace is created by the program; an existing one's is only named.
    if (o.install) v.creatableNamespace(`${key}.namespace`, o.namespace, "the installed controller gets a namespace of its own");
    if (o.sourceRanges.length > 0 && o.serviceType !== "LoadBalancer") {
        // The API server rejects spec.loadBalancerSourceRanges on any other Service type.
        throw new ConfigError(`${key}.sourceRanges`, o.sourceRanges, `no source ranges unless ${key}.serviceType is LoadBalancer (it is ${o.serviceType})`);
    }
    return {
        install: o.install,
        namespace: o.namespace,
        releaseName: o.releaseName,
        chartVersion: o.chartVersion,
        serviceType: o.serviceType,
        sourceRanges: o.sourceRanges,
        serviceAnnotations: o.serviceAnnotations,
        resources: checkResources(`${key}.resources`, o.resources),
        // Resolved (and, from a mirror, verified) only when it is installed.
        chart: chartSource(chart.artifact, o.chartVersion, o.install && !chart.unused),
    };
}

const HELM_RELEASE_NAME_MAX = 53;

export function helmReleaseName(key: string, raw: unknown, serviceSuffixes: readonly string[]): string {
    const name = v.serviceName(key, raw, serviceSuffixes);
    if (name.length > HELM_RELEASE_NAME_MAX) {
        throw new ConfigError(key, raw, `a Helm release name of at most ${HELM_RELEASE_NAME_MAX} characters`);
    }
    return name;
}
