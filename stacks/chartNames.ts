import { ConfigError } from "../config/errors";
import { helmReleaseName } from "./controller";

/*
 * The names the three charts derive from their release names, at the pinned versions and with the
 * values the program gives them (docs/verification.md "Chart names"): the one the API server holds
 * to 63 characters that a release name can push over, and the cluster-scoped objects two charts of
 * one stack could both claim. Read in the charts' templates in the mirror
 * (ingress-nginx 4.15.1, nginx-gateway-fabric 2.6.7, cert-manager v1.21.1).
 */

const NGF_CHART = "nginx-gateway-fabric";
/** A chart's `trunc 63 | trimSuffix "-"`. */
const trunc63 = (s: string) => s.slice(0, 63).replace(/-+$/, "");

/** NGF's fullname without fullnameOverride (templates/_helpers.tpl L17-27): the release name if it holds the chart's, else `<release>-nginx-gateway-fabric`, cut at 63. */
export function ngfFullname(release: string): string {
    return release.includes(NGF_CHART) ? trunc63(release) : trunc63(`${release}-${NGF_CHART}`);
}

/** NGF's pre-install Job (templates/certs-job.yaml L108): the fullname, cut at 63, then this; its pods' job-name label holds the whole name. */
export const NGF_JOB_SUFFIX = "-cert-generator";
const LABEL_MAX = 63;

/** `gateway.controller.releaseName`: a Helm release name whose derived Job name fits in a label value. */
export function ngfReleaseName(key: string, raw: unknown): string {
    const name = helmReleaseName(key, raw, []);
    const job = `${ngfFullname(name)}${NGF_JOB_SUFFIX}`;
    if (job.length > LABEL_MAX) {
        throw new ConfigError(
            key,
            raw,
            `a release name of at most ${LABEL_MAX - NGF_JOB_SUFFIX.length - NGF_CHART.length - 1} characters, or ${LABEL_MAX - NGF_JOB_SUFFIX.length} when it contains '${NGF_CHART}': NGINX Gateway Fabric 2.6.7's chart names its pre-install Job '${job}' (${job.length} characters), and the API server takes at most ${LABEL_MAX} in its pods' job-name label`,
        );
    }
    return name;
}

/** A cluster-scoped object a chart makes; a hook object is replaced without Helm's ownership check. */
export interface ClusterObject {
    kind: string;
    name: string;
    hook?: boolean;
}

/** ingress-nginx 4.15.1 with fullnameOverride = the release (clusterrole.yaml, clusterrolebinding.yaml, admission-webhooks/). */
export function ingressNginxClusterObjects(release: string, className: string): ClusterObject[] {
    const admission = trunc63(`${release}-admission`);
    return [
        { kind: "ClusterRole", name: release },
        { kind: "ClusterRoleBinding", name: release },
        { kind: "ClusterRole", name: admission, hook: true },
        { kind: "ClusterRoleBinding", name: admission, hook: true },
        { kind: "ValidatingWebhookConfiguration", name: admission },
        { kind: "IngressClass", name: className },
    ];
}

/** NGINX Gateway Fabric 2.6.7 (templates/rbac.yaml, gatewayclass.yaml). */
export function ngfClusterObjects(release: string, className: string): ClusterObject[] {
    const fullname = ngfFullname(release);
    return [
        { kind: "ClusterRole", name: fullname },
        { kind: "ClusterRoleBinding", name: fullname },
        { kind: "GatewayClass", name: className },
    ];
}

/** cert-manager v1.21.1 released as `cert-manager` (templates/rbac.yaml, cainjector-rbac.yaml, webhook-rbac.yaml, webhook-*-webhook.yaml). */
const CM = "cert-manager";
const CM_BOUND = [
    ...["issuers", "clusterissuers", "certificates", "orders", "challenges", "ingress-shim", "certificatesigningrequests"].map((n) => `${CM}-controller-${n}`),
    `${CM}-controller-approve:cert-manager-io`,
    `${CM}-cainjector`,
    `${CM}-webhook:subjectaccessreviews`,
];
export const CERT_MANAGER_CLUSTER_OBJECTS: ClusterObject[] = [
    ...[...CM_BOUND, `${CM}-cluster-view`, `${CM}-view`, `${CM}-edit`].map((name) => ({ kind: "ClusterRole", name })),
    ...CM_BOUND.map((name) => ({ kind: "ClusterRoleBinding", name })),
    { kind: "MutatingWebhookConfiguration", name: `${CM}-webhook` },
    { kind: "ValidatingWebhookConfiguration", name: `${CM}-webhook` },
];

/** One installed chart: the config key that names its release, and its cluster-scoped objects. */
export interface InstalledChart {
    chart: string;
    key: string;
    value: string;
    objects: ClusterObject[];
}

/**
 * The first object two installed charts would both make: Helm refuses the second release ("exists
 * and cannot be imported into the current release"), or, for a hook object, deletes the other
 * chart's and puts its own in its place. Refused at the later chart's release name.
 */
export function clusterObjectClash(charts: InstalledChart[]): ConfigError | undefined {
    for (let i = 0; i < charts.length; i++) {
        for (let j = i + 1; j < charts.length; j++) {
            for (const a of charts[i].objects) {
                const b = charts[j].objects.find((o) => o.kind === a.kind && o.name === a.name);
                if (!b) continue;
                const hook = a.hook || b.hook;
                return new ConfigError(
                    charts[j].key,
                    charts[j].value,
                    `a name whose cluster-scoped objects no other chart of the stack makes: ${charts[j].chart} and ${charts[i].chart} would both make the ${a.kind} '${a.name}', and ${hook ? "ingress-nginx's admission hook would delete the other chart's and put its own in its place" : "Helm refuses the second release"}${charts[i].key !== charts[j].key ? ` (see ${charts[i].key})` : ""}`,
                );
            }
        }
    }
    return undefined;
}
