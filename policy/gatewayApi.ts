/*
 * Gateway API: the CRDs and a controller are installed from a pinned chart / a versioned
 * manifest URL, and routes attach to a Gateway.
 */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { forType } from "./lib";

const pinnedChart = (chart: any, args: ResourceValidationArgs, report: ReportViolation) => {
    // A chart in a local directory is versioned with this repo.
    if (typeof chart.chart === "string" && /^(\.{1,2}\/|\/)/.test(chart.chart)) return args.notApplicable("local chart");
    if (!chart.version) {
        report(`Set version on chart '${chart.chart ?? args.name}': without it every deployment may install a newer chart.`);
    }
};

const chartVersion: ResourceValidationPolicy = {
    name: "helm-chart-version-pinned",
    description: "Helm charts (kubernetes:helm.sh/v3:Release, kubernetes:helm.sh/v4:Chart) pin their chart version.",
    enforcementLevel: "mandatory",
    validateResource: [forType("kubernetes:helm.sh/v3:Release", pinnedChart), forType("kubernetes:helm.sh/v4:Chart", pinnedChart)],
};

/** A manifest URL names a version when one path segment looks like v1.5.1 / 1.5.1, and none is `latest`. */
export function isVersionedUrl(url: string): boolean {
    const segments = url.replace(/^[a-z]+:\/\/[^/]+/i, "").split(/[/?#]/);
    if (segments.some((s) => s === "latest")) return false;
    return segments.some((s) => /^v?\d+\.\d+(\.\d+)?([-.+][\w.-]*)?$/.test(s));
}

const manifestUrlVersioned: ResourceValidationPolicy = {
    name: "yaml-manifest-url-versioned",
    description: "Manifests applied from a URL (kubernetes:yaml/v2:ConfigFile) come from a versioned URL, not `latest` or a branch.",
    enforcementLevel: "mandatory",
    validateResource: forType("kubernetes:yaml/v2:ConfigFile", (cf, args, report) => {
        const file = cf.file;
        if (typeof file !== "string" || !/^https?:\/\//i.test(file)) return args.notApplicable("not a URL");
        if (!isVersionedUrl(file)) {
            report(
                `Manifest URL '${file}' names no release: use a versioned URL such as https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml.`,
            );
        }
    }),
};

const httpRouteParentRefs: ResourceValidationPolicy = {
    name: "httproute-parent-refs",
    description: "HTTPRoutes name the Gateway they attach to (spec.parentRefs).",
    enforcementLevel: "mandatory",
    validateResource: forType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", (route, args, report) => {
        if ((route.spec?.parentRefs ?? []).length === 0) {
            report("Set spec.parentRefs to the Gateway (and listener sectionName): a route without parents is attached to nothing and serves no traffic.");
        }
    }),
};

const httpsListenerCertificate: ResourceValidationPolicy = {
    name: "gateway-https-listener-certificate",
    description: "Gateway HTTPS listeners terminate TLS with a certificate (tls.mode Terminate and certificateRefs).",
    enforcementLevel: "mandatory",
    validateResource: forType("kubernetes:gateway.networking.k8s.io/v1:Gateway", (gateway, _args, report) => {
        for (const listener of gateway.spec?.listeners ?? []) {
            if (listener.protocol !== "HTTPS") continue;
            const tls = listener.tls ?? {};
            if ((tls.mode ?? "Terminate") !== "Terminate" || (tls.certificateRefs ?? []).length === 0) {
                report(
                    `Listener '${listener.name}' is HTTPS without a certificate: set tls.mode Terminate and tls.certificateRefs to the host's kubernetes.io/tls Secret.`,
                );
            }
        }
    }),
};

export const gatewayApiPolicies: ResourceValidationPolicy[] = [chartVersion, manifestUrlVersioned, httpRouteParentRefs, httpsListenerCertificate];
