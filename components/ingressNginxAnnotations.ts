/*
 * ingress-nginx's annotations the program writes or reads by name (kubernetes/ingress-nginx
 * controller-v1.15.1 docs/user-guide/nginx-configuration/annotations.md): one place for each name.
 * The traffic policies' own annotations live with their feature (routing/features/).
 */

/** The prefix of every ingress-nginx annotation (its default --annotations-prefix). */
export const INGRESS_NGINX = "nginx.ingress.kubernetes.io/";

/** Redirect http to https on a TLS host (on by default): the program sets "false" when routing.sslRedirect is false. */
export const SSL_REDIRECT = `${INGRESS_NGINX}ssl-redirect`;

/** A canary Ingress's annotations (internal/ingress/annotations/canary/main.go). */
export const CANARY = {
    canary: `${INGRESS_NGINX}canary`,
    weight: `${INGRESS_NGINX}canary-weight`,
    weightTotal: `${INGRESS_NGINX}canary-weight-total`,
    byHeader: `${INGRESS_NGINX}canary-by-header`,
    byHeaderValue: `${INGRESS_NGINX}canary-by-header-value`,
    byHeaderPattern: `${INGRESS_NGINX}canary-by-header-pattern`,
    byCookie: `${INGRESS_NGINX}canary-by-cookie`,
} as const;
