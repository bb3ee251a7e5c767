import { ComputeResources } from "../components/echoApp";
import { ConfigError } from "./errors";
import { optional } from "./optional";
import * as v from "./validate";

/** `{ requests: { cpu, memory }, limits: { cpu, memory } }`, each value a Kubernetes quantity; unset ones keep the default. */
/** CPU and memory requests and limits of a workload (the components' ComputeResources). */
export type ResourceSettings = ComputeResources;

export function parseResources(key: string, raw: unknown, defaults: ComputeResources): ComputeResources {
    const o = v.object(key, raw, ["requests", "limits"]);
    const part = (name: "requests" | "limits") => {
        const p = optional(o[name], (x) => v.object(`${key}.${name}`, x, ["cpu", "memory"])) ?? {};
        return {
            cpu: optional(p.cpu, (x) => quantity(`${key}.${name}.cpu`, x)) ?? defaults[name].cpu,
            memory: optional(p.memory, (x) => quantity(`${key}.${name}.memory`, x)) ?? defaults[name].memory,
        };
    };
    const result = { requests: part("requests"), limits: part("limits") };
    for (const r of ["cpu", "memory"] as const) {
        if (toNumber(result.requests[r]) > toNumber(result.limits[r])) {
            // The API server rejects a pod whose request exceeds its limit.
            throw new ConfigError(`${key}.requests.${r}`, result.requests[r], `at most the limit ${key}.limits.${r} (${result.limits[r]})`);
        }
    }
    return result;
}

const UNITS: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

function toNumber(quantity: string): number {
    const m = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity)!;
    return Number(m[1]) * UNITS[m[2]];
}

function quantity(key: string, raw: unknown): string {
    const s = typeof raw === "number" ? String(raw) : raw;
    if (typeof s !== "string" || !/^\d+(\.\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.test(s)) {
        throw new ConfigError(key, raw, "a Kubernetes quantity such as '100m', '0.5', '128Mi' or '1Gi'");
    }
    return s;
}
