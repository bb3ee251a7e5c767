import { ComputeResources } from "../components/echoApp";
import * as kv from "./kubernetesValues";

/** CPU and memory requests and limits of a workload (the components' ComputeResources). */
export type ResourceSettings = ComputeResources;

/**
 * Each request at most its limit (the API server refuses the pod otherwise), compared exactly.
 * The quantities themselves, and the defaults of unset ones, are read by stacks/schema.ts.
 */
export function checkResources(key: string, r: ComputeResources): ComputeResources {
    for (const name of ["cpu", "memory"] as const) {
        kv.requestWithinLimit(
            key,
            name,
            kv.quantity(`${key}.requests.${name}`, r.requests[name], name),
            kv.quantity(`${key}.limits.${name}`, r.limits[name], name),
        );
    }
    return r;
}
