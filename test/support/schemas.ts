import { CrdCatalog } from "./crdValidation";
import { KubeObject } from "./program";
import { upstreamFile, upstreamFiles } from "./upstreamFiles";

/**
 * Validates a Kubernetes object against its official schema: the OpenAPI schemas of
 * kubernetes-models 4.x for the core APIs and @kubernetes-models/gateway-api for Gateway API, and
 * for cert-manager's API the CRDs of the pinned release, read through the resolver (with their CEL rules). An
 * object whose apiVersion has no schema here fails: every declared object must be checked.
 */
export function validateAgainstSchema(obj: KubeObject): void {
    if (obj.apiVersion.startsWith("cert-manager.io/")) return validateAgainstCrds(obj, certManagerCrds());
    if (obj.apiVersion.startsWith("gateway.nginx.org/")) return validateAgainstCrds(obj, ngfCrds());
    const models = modelsFor(obj.apiVersion);
    const Model = models[obj.kind];
    if (obj.apiVersion.startsWith("gateway.networking.k8s.io/")) {
        // The pinned CRDs are what the API server checks. @kubernetes-models/gateway-api 0.5 models an
        // older release: it lacks some kinds at v1 (ReferenceGrant) and refuses the redirect code 308
        // that v1.5.1 allows; so both must accept an object, except where the CRDs are newer.
        validateAgainstCrds(obj, gatewayApiCrds());
        if (typeof Model !== "function") return;
        return validateModel(Model, olderModelView(obj));
    }
    if (typeof Model !== "function") {
        throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
    }
    validateModel(Model, obj);
}

function validateModel(Model: any, obj: KubeObject): void {
    try {
        new Model(obj).validate();
    } catch (e) {
        throw new Error(`${obj.kind} ${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}: ${(e as Error).message}`);
    }
}

/** The object with what only the pinned CRDs know (redirect code 308) put in the older model's terms. */
function olderModelView(obj: KubeObject): KubeObject {
    return JSON.parse(JSON.stringify(obj), (k, v) => (k === "statusCode" && v === 308 ? 301 : v));
}

let ngf: CrdCatalog | undefined;
/** NGINX Gateway Fabric's CRDs, as its pinned chart installs them (upstream.lock.json, through the resolver). */
export function ngfCrds(): CrdCatalog {
    ngf ??= CrdCatalog.fromFiles(upstreamFiles("nginx-gateway-fabric", "2.6.7", "chart/crds/"));
    return ngf;
}

function validateAgainstCrds(obj: KubeObject, catalog: CrdCatalog): void {
    const sent: Record<string, unknown> = { ...obj };
    delete sent.status; // the cluster's to write
    const { violations } = catalog.validate(sent as KubeObject);
    if (violations.length > 0) {
        throw new Error(`${obj.kind} ${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}: ${violations.map((v) => `${v.path}: ${v.message}`).join("; ")}`);
    }
}

let gatewayApi: CrdCatalog | undefined;
/** The Gateway API CRDs of the pinned release (upstream.lock.json, through the resolver). */
export function gatewayApiCrds(): CrdCatalog {
    gatewayApi ??= CrdCatalog.fromFiles([upstreamFile("gateway-api", "v1.5.1", "standard-install.yaml")]);
    return gatewayApi;
}

let certManager: CrdCatalog | undefined;
/** The cert-manager CRDs of the pinned release (upstream.lock.json, through the resolver). */
export function certManagerCrds(): CrdCatalog {
    certManager ??= CrdCatalog.fromFiles(upstreamFiles("cert-manager", "v1.21.1", "crds/"));
    return certManager;
}

function modelsFor(apiVersion: string): Record<string, any> {
    if (apiVersion.startsWith("gateway.networking.k8s.io/")) {
        return require(`@kubernetes-models/gateway-api/${apiVersion}`);
    }
    return require(`kubernetes-models/${apiVersion}`);
}
