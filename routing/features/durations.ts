import { ConfigError } from "../../config/errors";

/**
 * A duration both proxies take: whole seconds, minutes or hours, 1 to 4 digits (`5s`, `2m`, `1h`).
 * ingress-nginx's proxy-*-timeout annotations are whole seconds; NGF's ProxySettingsPolicy
 * durations match `^[0-9]{1,4}(ms|s|m|h)?$` (its CRD, chart 2.6.7).
 */
export const DURATION = /^[1-9][0-9]{0,3}(s|m|h)$/;

export function duration(key: string, raw: unknown): string {
    if (typeof raw !== "string" || !DURATION.test(raw)) {
        throw new ConfigError(key, raw, "a duration of 1 to 4 digits and a unit s, m or h, such as '5s' or '2m' (whole seconds: ingress-nginx takes no less)");
    }
    return raw;
}

/** The duration in whole seconds, as ingress-nginx's annotations take it. */
export function seconds(d: string): number {
    const n = Number(d.slice(0, -1));
    return n * { s: 1, m: 60, h: 3600 }[d.slice(-1) as "s" | "m" | "h"];
}
