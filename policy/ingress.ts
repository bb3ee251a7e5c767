/*
 * Ingresses, as ingress-nginx 1.x reads them.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forType } from "./lib";

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

const className: ResourceValidationPolicy = {
    name: "ingress-class-name",
    description: "Ingresses name their controller with spec.ingressClassName.",
    enforcementLevel: "mandatory",
    validateResource: forType(INGRESS, (ing, args, report) => {
        if (!ing.spec?.ingressClassName) {
            // ingress-nginx 1.x ignores class-less Ingresses unless --watch-ingress-without-class is set.
            report("Set spec.ingressClassName (e.g. nginx): ingress-nginx 1.x ignores Ingresses without a class, so this one would never route traffic.");
        }
    }),
};

const noLegacyAnnotations: ResourceValidationPolicy = {
    name: "ingress-no-legacy-annotations",
    description: "Ingresses do not use ingress.kubernetes.io/* annotations, which ingress-nginx ignores.",
    enforcementLevel: "advisory",
    validateResource: forType(INGRESS, (ing, args, report) => {
        for (const key of Object.keys(ing.metadata?.annotations ?? {})) {
            if (key.startsWith("ingress.kubernetes.io/")) {
                report(`Annotation '${key}' does nothing on ingress-nginx; use 'nginx.${key}' if the setting exists there, or remove it.`);
            }
        }
    }),
};

const noSnippets: ResourceValidationPolicy = {
    name: "ingress-no-snippet-annotations",
    description: "Ingresses do not inject raw NGINX configuration through *-snippet annotations.",
    enforcementLevel: "mandatory",
    validateResource: forType(INGRESS, (ing, args, report) => {
        for (const key of Object.keys(ing.metadata?.annotations ?? {})) {
            // Snippets run arbitrary NGINX config in the controller, which can read every Secret
            // it can see (CVE-2021-25742, CVE-2025-1974 family).
            if (/^nginx\.ingress\.kubernetes\.io\/[a-z-]*-snippet$/.test(key)) {
                report(
                    `Remove annotation '${key}': snippet annotations inject raw NGINX config into the shared controller; use the dedicated nginx.ingress.kubernetes.io annotations instead.`,
                );
            }
        }
    }),
};

export const ingressPolicies: ResourceValidationPolicy[] = [className, noLegacyAnnotations, noSnippets];
