import { KubeObject } from "./program";

/**
 * Validates a Kubernetes object against the official OpenAPI schemas (kubernetes-models 4.x for
 * the core APIs, @kubernetes-models/gateway-api for Gateway API). An object whose apiVersion has
 * no schema here fails: every declared object must be checked.
 */
export function validateAgainstSchema(obj: KubeObject): void {
    const models = modelsFor(obj.apiVersion);
    const Model = models[obj.kind];
    if (typeof Model !== "function") {
        throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
    }
    try {
        new Model(obj).validate();
    } catch (e) {
        throw new Error(`${obj.kind} ${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}: ${(e as Error).message}`);
    }
}

function modelsFor(apiVersion: string): Record<string, any> {
    if (apiVersion.startsWith("gateway.networking.k8s.io/")) {
        return require(`@kubernetes-models/gateway-api/${apiVersion}`);
    }
    return require(`kubernetes-models/${apiVersion}`);
}
