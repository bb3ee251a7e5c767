import { key, list } from "../../config/schemaKit";
import { cidr } from "../../config/validate";
import { annotationValue, exact, Feature, NO_GATEWAY_RENDER, unsupported } from "../feature";

/*
 * Only clients from these CIDRs (403 for the others). ingress-nginx: allowlist-source-range
 * (comma-separated CIDRs; whitelist-source-range is its older alias, read when it is empty). NGF 2.6.7 has no per-route allow-list (no such field in its CRDs; the
 * AccessPolicy is on NGF's main branch only, unreleased): the Gateway cannot express it.
 */

export const SOURCE_RANGE_ANNOTATION = "nginx.ingress.kubernetes.io/allowlist-source-range";
const OLD_ALIAS = "nginx.ingress.kubernetes.io/whitelist-source-range";

export const allowSourceRanges: Feature<string[]> = {
    key: "allowSourceRanges",
    description: "Only clients from these CIDRs reach the routes (403 for others). ingress-nginx only: refused with gateway unless parity: report.",
    schema: (description: string) =>
        list(key(cidr, { description: "A CIDR, such as 203.0.113.0/24.", json: { type: "string" }, required: true }), {
            description,
            allowed: "a list of CIDRs",
            json: { type: "array", minItems: 1 },
        }),
    annotations: [SOURCE_RANGE_ANNOTATION, OLD_ALIAS],
    ingress: (value) => ({ [SOURCE_RANGE_ANNOTATION]: value.join(",") }),
    gateway: () => NO_GATEWAY_RENDER,
    // ingress-nginx ignores an empty value: an empty list would silently allow everyone.
    refuses: (value) => (value.length === 0 ? "at least one CIDR (an empty list would allow every client)" : undefined),
    verdict: () => ({
        ingress: exact,
        gateway: unsupported(
            "NGINX Gateway Fabric 2.6.7 has no per-route source allow-list (its AccessPolicy is unreleased)",
            "gateway.controller.sourceRanges (the data plane's LoadBalancer loadBalancerSourceRanges, for every route of the Gateway), or a NetworkPolicy",
        ),
    }),
    // The alias is read only when allowlist-source-range is empty (ipallowlist/main.go).
    fromIngress: (a) => {
        const name = [SOURCE_RANGE_ANNOTATION, OLD_ALIAS].find((n) => annotationValue(a, n) !== undefined);
        if (name === undefined) return undefined;
        const read = [SOURCE_RANGE_ANNOTATION, OLD_ALIAS].filter((n) => a[n] !== undefined);
        const notes = read.length > 1 ? [`${OLD_ALIAS} is ignored beside ${SOURCE_RANGE_ANNOTATION}`] : [];
        return {
            value: annotationValue(a, name)!
                .split(",")
                .map((c) => c.trim())
                .filter((c) => c !== ""),
            read,
            notes,
        };
    },
};
