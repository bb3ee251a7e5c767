import { NetworkAccess } from "../components/echoApp";
import { Settings } from "./settings";

/**
 * Who may open connections to the echo pods, derived from the chosen exposures:
 * - ClusterIP (declared for clusterIP, and as the backend of ingress and gateway): pods in the
 *   echo namespace, which is also where the in-cluster check runs;
 * - ingress: the ingress controller's namespace (its pods proxy to the echo pods directly; with
 *   ingress.controller.install false, ingress.controller.namespace must name where it runs);
 * - gateway: NGINX Gateway Fabric 2.x runs each Gateway's NGINX data plane in the Gateway's
 *   namespace, which is the echo namespace for the Gateway this program declares; for an
 *   existing Gateway, gateway.existing.proxyNamespace; for a Gateway of an implementation the
 *   program does not install (gateway.controller.install false), gateway.controller.namespace
 *   names where that implementation's proxies run (Envoy Gateway: envoy-gateway-system), as
 *   ingress.controller.namespace does for an existing ingress controller;
 * - nodePort and loadBalancer: anywhere. kube-proxy forwards node and load-balancer traffic with
 *   the client's or a node's source address (externalTrafficPolicy Cluster SNATs to a node IP),
 *   so no narrower peer would keep these exposures working. That is the trade-off: a NetworkPolicy
 *   cannot restrict who reaches a NodePort/LoadBalancer; use loadBalancer.sourceRanges for that.
 */
export function networkAccess(settings: Settings): NetworkAccess | undefined {
    if (!settings.networkPolicy) return undefined;
    const on = new Set(settings.exposures);
    const namespaces: string[] = [];
    if (on.has("ingress")) namespaces.push(settings.ingress.controller.namespace);
    const existingGateway = settings.gateway.existing;
    if (on.has("gateway") && existingGateway) namespaces.push(existingGateway.proxyNamespace);
    if (on.has("gateway") && !existingGateway && !settings.gateway.controller.install) namespaces.push(settings.gateway.controller.namespace);
    return {
        sameNamespace: on.has("clusterIP") || on.has("ingress") || on.has("gateway"),
        namespaces,
        anywhere: on.has("nodePort") || on.has("loadBalancer"),
    };
}
