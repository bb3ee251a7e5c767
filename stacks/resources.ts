import { ComputeResources } from "../components/echoApp";
import * as kv from "./kubernetesValues";
import { optional } from "./optional";
import * as v from "./validate";

/** `{ requests: { cpu, memory }, limits: { cpu, memory } }`, each value a Kubernetes quantity; unset ones keep the default. */
/** CPU and memory requests and limits of a workload (the components' ComputeResources). */
export type ResourceSettings = ComputeResources;

const RESOURCES = ["cpu", "memory"] as const;

export function parseResources(key: string, raw: unknown, defaults: ComputeResources): ComputeResources {
    const o = v.object(key, raw, ["requests", "limits"]);
    const part = (name: "requests" | "limits") => {
        const p = optional(o[name], (x) => v.object(`${key}.${name}`, x, RESOURCES)) ?? {};
        const parsed = (r: (typeof RESOURCES)[number]) => kv.quantity(`${key}.${name}.${r}`, p[r] ?? defaults[name][r], r);
        return { cpu: parsed("cpu"), memory: parsed("memory") };
    };
    const requests = part("requests");
    const limits = part("limits");
    for (const r of RESOURCES) kv.requestWithinLimit(key, r, requests[r], limits[r]);
    return {
        requests: { cpu: requests.cpu.text, memory: requests.memory.text },
        limits: { cpu: limits.cpu.text, memory: limits.memory.text },
    };
}
