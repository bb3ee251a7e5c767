import { ConfigError } from "./errors";
import * as kv from "./kubernetesValues";
import { optional } from "./optional";
import { ControllerSettings, SERVICE_TYPES } from "../components/controllerSettings";
import { parseResources } from "./resources";
import { chartSource, lockedVersion } from "./upstream";
import * as v from "./validate";

/* Reads what the two installed proxies have in common (components/controllerSettings.ts). */

export type { ControllerSettings, ServiceType } from "../components/controllerSettings";
export { SERVICE_TYPES } from "../components/controllerSettings";

export const COMMON_CONTROLLER_KEYS = ["install", "namespace", "releaseName", "chartVersion", "serviceType", "resources", "sourceRanges", "serviceAnnotations"];

/**
 * Reads the common keys of `<key>` (an already-read object), falling back to `defaults`.
 * `releaseSuffixes` are what the chart appends to the release name to name its Services.
 * `chart` is the chart's artifact in upstream.lock.json, with the versions refused for a known
 * reason (said instead of the generic "not locked"); `unused` when another setting means the
 * chart is not installed even with `install` true (an existing Gateway).
 */
export function parseControllerCommon(
    key: string,
    o: Record<string, unknown>,
    defaults: Omit<ControllerSettings, "sourceRanges" | "serviceAnnotations" | "chart">,
    releaseSuffixes: readonly string[],
    chart: { artifact: string; refused?: Record<string, string>; unused?: boolean },
): ControllerSettings {
    const install = optional(o.install, (x) => v.boolean(`${key}.install`, x)) ?? defaults.install;
    const namespace = optional(o.namespace, (x) => v.dnsLabel(`${key}.namespace`, x)) ?? defaults.namespace;
    // An installed controller's namespace is created by the program; an existing one's is only named.
    if (install) v.creatableNamespace(`${key}.namespace`, namespace, "the installed controller gets a namespace of its own");
    const serviceType = optional(o.serviceType, (x) => v.oneOf(`${key}.serviceType`, x, SERVICE_TYPES)) ?? defaults.serviceType;
    const sourceRanges = optional(o.sourceRanges, (x) => v.stringList(`${key}.sourceRanges`, x)) ?? [];
    if (sourceRanges.length > 0 && serviceType !== "LoadBalancer") {
        // The API server rejects spec.loadBalancerSourceRanges on any other Service type.
        throw new ConfigError(`${key}.sourceRanges`, sourceRanges, `no source ranges unless ${key}.serviceType is LoadBalancer (it is ${serviceType})`);
    }
    const chartVersion = optional(o.chartVersion, (x) => v.exactVersion(`${key}.chartVersion`, x, defaults.chartVersion)) ?? defaults.chartVersion;
    if (chart.refused?.[chartVersion]) throw new ConfigError(`${key}.chartVersion`, chartVersion, chart.refused[chartVersion]);
    lockedVersion(`${key}.chartVersion`, chart.artifact, chartVersion);
    return {
        install,
        namespace,
        // Helm limits release names to 53 characters; the chart names Services after it.
        releaseName: optional(o.releaseName, (x) => helmReleaseName(`${key}.releaseName`, x, releaseSuffixes)) ?? defaults.releaseName,
        chartVersion,
        // Resolved (and, from a mirror, verified) only when it is installed.
        chart: chartSource(chart.artifact, chartVersion, install && !chart.unused),
        serviceType,
        resources: optional(o.resources, (x) => parseResources(`${key}.resources`, x, defaults.resources)) ?? defaults.resources,
        sourceRanges: sourceRanges.map((r, i) => v.cidr(`${key}.sourceRanges[${i}]`, r)),
        serviceAnnotations: optional(o.serviceAnnotations, (x) => kv.annotations(`${key}.serviceAnnotations`, x)) ?? {},
    };
}

const HELM_RELEASE_NAME_MAX = 53;

function helmReleaseName(key: string, raw: unknown, serviceSuffixes: readonly string[]): string {
    const name = v.serviceName(key, raw, serviceSuffixes);
    if (name.length > HELM_RELEASE_NAME_MAX) {
        throw new ConfigError(key, raw, `a Helm release name of at most ${HELM_RELEASE_NAME_MAX} characters`);
    }
    return name;
}

/** `{ http, https }` fixed node ports (kind/k3d port mappings point at them); unset ones are allocated. */
export function parseNodePorts(key: string, raw: unknown): { http?: number; https?: number } {
    const o = optional(raw, (x) => v.object(key, x, ["http", "https"])) ?? {};
    return {
        http: optional(o.http, (x) => v.nodePort(`${key}.http`, x)),
        https: optional(o.https, (x) => v.nodePort(`${key}.https`, x)),
    };
}
