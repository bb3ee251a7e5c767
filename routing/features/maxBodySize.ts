import { ConfigError } from "../../config/errors";
import { key } from "../../config/schemaKit";
import { annotationValue, exact, Feature } from "../feature";

/*
 * The largest request body the proxy accepts (413 above it). ingress-nginx: proxy-body-size
 * (NGINX size; default 1m). NGF 2.6.7: ClientSettingsPolicy spec.body.maxSize, pattern
 * `^\d{1,4}(k|m|g)?$`, `0` for no limit. Both default to NGINX's 1m.
 */

export const BODY_SIZE_ANNOTATION = "nginx.ingress.kubernetes.io/proxy-body-size";
/** What both proxies and the CRD take: 1 to 4 digits and an optional lower-case k, m or g; 0 = no limit. */
export const BODY_SIZE = /^(0|[1-9][0-9]{0,3}[kmg]?)$/;

function bodySize(key: string, raw: unknown): string {
    if (typeof raw !== "string" || !BODY_SIZE.test(raw)) {
        throw new ConfigError(key, raw, "a size of 1 to 4 digits and an optional unit k, m or g in lower case, such as '8m' or '1g'; '0' for no limit");
    }
    return raw;
}

export const maxBodySize: Feature<string> = {
    key: "maxBodySize",
    description: "The largest request body ('8m', '1g'; '0': no limit); larger ones get 413 (default 1m on both proxies).",
    schema: (description: string) => key(bodySize, { description, json: { type: "string", pattern: BODY_SIZE.source } }),
    annotations: [BODY_SIZE_ANNOTATION],
    ingress: (value) => ({ [BODY_SIZE_ANNOTATION]: value }),
    gateway: (value) => ({ filters: [], policies: [{ kind: "ClientSettingsPolicy", target: "targetRef", spec: { body: { maxSize: value } } }] }),
    verdict: () => ({ ingress: exact, gateway: exact }),
    // ingress-nginx takes `^(?i)\d+[bkmg]?$`; NGINX reads a size's unit in either case, the CRD lower case only.
    fromIngress: (a) => {
        const raw = annotationValue(a, BODY_SIZE_ANNOTATION);
        if (raw === undefined) return undefined;
        const value = raw.toLowerCase().replace(/b$/, "");
        return {
            value,
            read: [BODY_SIZE_ANNOTATION],
            notes: value === raw ? [] : [`'${raw}' is written '${value}' (the same size; the CRD takes lower case)`],
        };
    },
};
