/*
 * The ingress-nginx controller: a helm.v3.Release of the ingress-nginx chart (how this program
 * installs it), or the @pulumi/kubernetes-ingress-nginx remote component (how it did before, and
 * how other programs may). Both send their inputs to the engine, so policies see the chart values.
 */
import { ReportViolation, ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { chartNameOf, isProduction, productionConfigSchema } from "./lib";

const COMPONENT = "kubernetes-ingress-nginx:index:IngressController";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** What the policies read of an ingress-nginx install, whichever way it is declared. */
interface IngressNginx {
    /** The pinned chart version, if any. */
    version?: string;
    /** The chart's `controller` values. */
    controller: Record<string, any>;
    /** Where the version is set, for the message. */
    versionKey: string;
}

function ingressNginxOf(type: string, props: any): IngressNginx | undefined {
    if (type === COMPONENT) return { version: props.helmOptions?.version, controller: props.controller ?? {}, versionKey: "helmOptions.version" };
    if (type === RELEASE && chartNameOf(props.chart) === "ingress-nginx")
        return { version: props.version, controller: props.values?.controller ?? {}, versionKey: "version" };
    return undefined;
}

/** A validation that runs for ingress-nginx installs only. */
function forIngressNginx(validate: (ic: IngressNginx, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
    return (args, report) => {
        const ic = ingressNginxOf(args.type, args.props);
        if (!ic) return args.notApplicable("Policy only applies to the ingress-nginx chart (a Helm release of it, or the IngressController component)");
        validate(ic, args, report);
    };
}

/**
 * The ingress-nginx chart versions fixed for CVE-2025-1974 ("IngressNightmare") and its siblings:
 * 4.11.5 (controller 1.11.5) on the 4.11 line, 4.12.1 (controller 1.12.1) and later otherwise.
 */
export function isPatchedChartVersion(version: string): boolean {
    const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
    if (!m) return false; // ranges, prereleases and garbage are not a pinned patched release
    const [major, minor, patch] = m.slice(1).map(Number);
    const at = (a: number, b: number, c: number) => major > a || (major === a && (minor > b || (minor === b && patch >= c)));
    if (major === 4 && minor === 11) return patch >= 5;
    return at(4, 12, 1);
}

const chartVersion: ResourceValidationPolicy = {
    name: "ingress-nginx-chart-patched",
    description: "The ingress-nginx chart version is pinned to a release patched for CVE-2025-1974.",
    enforcementLevel: "mandatory",
    validateResource: forIngressNginx((ic, args, report) => {
        const version = ic.version;
        if (!version) {
            report(
                `Set ${ic.versionKey}: without it the latest chart is installed, so the controller changes under you. Pin 4.12.1 or later (or 4.11.5+ on 4.11).`,
            );
        } else if (!isPatchedChartVersion(version)) {
            report(`Chart version '${version}' is not an exact release patched for CVE-2025-1974; use 4.12.1 or later (or 4.11.5+ on the 4.11 line).`);
        }
    }),
};

const admissionWebhook: ResourceValidationPolicy = {
    name: "ingress-nginx-admission-webhook",
    description: "The ingress-nginx validating admission webhook stays enabled.",
    enforcementLevel: "mandatory",
    validateResource: forIngressNginx((ic, args, report) => {
        if (ic.controller.admissionWebhooks?.enabled === false) {
            report(
                "Remove controller.admissionWebhooks.enabled: false: without the webhook one broken Ingress breaks the NGINX config for every Ingress. (Keep it reachable only from the API server.)",
            );
        }
    }),
};

const noSnippets: ResourceValidationPolicy = {
    name: "ingress-nginx-no-snippets",
    description: "The ingress-nginx controller does not allow *-snippet annotations.",
    enforcementLevel: "mandatory",
    validateResource: forIngressNginx((ic, args, report) => {
        const c = ic.controller;
        // Two switches do the same: the chart value and the controller ConfigMap key.
        if (c.allowSnippetAnnotations === true || String(c.config?.["allow-snippet-annotations"]) === "true") {
            report(
                "Do not set controller.allowSnippetAnnotations (or config allow-snippet-annotations) to true: snippets let any Ingress author run NGINX config in the controller.",
            );
        }
    }),
};

const resourceRequests: ResourceValidationPolicy = {
    name: "ingress-nginx-resource-requests",
    description: "The ingress-nginx controller requests cpu and memory.",
    enforcementLevel: "mandatory",
    validateResource: forIngressNginx((ic, args, report) => {
        const requests = ic.controller.resources?.requests ?? {};
        const missing = ["cpu", "memory"].filter((r) => requests[r] === undefined);
        if (missing.length > 0) {
            report(
                `Set controller.resources.requests.${missing.join(" and .")}: every request to the app passes through the controller, so it must not be the first pod starved or evicted.`,
            );
        }
    }),
};

const productionHa: ResourceValidationPolicy = {
    name: "ingress-nginx-production-ha",
    description: "In production stacks, the ingress-nginx controller runs more than one replica with a PodDisruptionBudget.",
    enforcementLevel: "mandatory",
    configSchema: productionConfigSchema,
    validateResource: forIngressNginx((ic, args, report) => {
        if (!isProduction(args)) return args.notApplicable("not a production stack");
        const c = ic.controller;
        if (!((c.replicaCount ?? 1) > 1)) {
            report(
                `Set controller.replicaCount to 2 or more (got ${c.replicaCount ?? "the default 1"}): one controller pod is a single point of failure for every Ingress.`,
            );
        }
        if (c.minAvailable === undefined) {
            report("Set controller.minAvailable (e.g. 1) so the chart's PodDisruptionBudget keeps a controller pod up during node drains.");
        }
    }),
};

/** The upstream images of the retired project, which will get no further release. */
const UPSTREAM_CONTROLLER_IMAGE = "registry.k8s.io/ingress-nginx/controller";

/**
 * ingress-nginx is retired: controller v1.15.1 (chart 4.15.1) is its last release, it bundles NGINX
 * 1.27.1 (README.md support table and images/nginx/rootfs/build.sh at controller-v1.15.1), and
 * NGINX advisories published since then are fixed only in maintained NGINX lines and in forks.
 * Advisory: running it is a choice, but it must be a conscious one.
 */
const retired: ResourceValidationPolicy = {
    name: "ingress-nginx-retired",
    description: "ingress-nginx is retired (last release controller v1.15.1, NGINX 1.27.1): plan the move to Gateway API, or run a maintained fork's image.",
    enforcementLevel: "advisory",
    validateResource: forIngressNginx((ic, args, report) => {
        const image = ic.controller.image ?? {};
        const repository: string = image.repository ?? `${image.registry ?? "registry.k8s.io"}/${image.image ?? "ingress-nginx/controller"}`;
        if (repository === UPSTREAM_CONTROLLER_IMAGE) {
            report(
                "This installs the retired upstream ingress-nginx controller, which gets no security fixes (its NGINX is 1.27.1). Move the routes to the gateway exposure (Gateway API), or set ingress.controller.image to a maintained fork's image, pinned by digest.",
            );
        }
    }),
};

export const ingressControllerPolicies: ResourceValidationPolicy[] = [chartVersion, admissionWebhook, noSnippets, resourceRequests, productionHa, retired];
