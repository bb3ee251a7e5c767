import { NGF_JOB_SUFFIX, ngfReleaseName } from "./chartNames";
import { z } from "zod";
import { PATH_TYPES } from "../components/routing";
import { SERVICE_TYPES } from "../components/controllerSettings";
import { headerValue } from "./canary";
import { ACME_SERVERS, acmeServer, taggedVersion } from "./certManager";
import { helmReleaseName } from "./controller";
import { ConfigError } from "../config/errors";
import { controllerImage, ingressAnnotations } from "./ingress";
import * as kv from "./kubernetesValues";
import { either, JSON_TYPES as J, key, list, section, shared } from "../config/schemaKit";
import { FEATURES } from "../routing/features";
import { PARITY_MODES } from "../routing/parity";
import { ARTIFACTS, lockedVersion } from "./upstream";
import * as v from "../config/validate";

/*
 * Every key of the stack config, declared once: its type, default, allowed values (the check that
 * reads it) and a one-line description. config.schema.json, the `config:` block of Pulumi.yaml
 * and the tables of docs/configuration.md are generated from or checked against this file
 * (npm run schema:write; test/stacks/schema.test.ts fails when one is stale). Rules that involve
 * more than one key are code, in one place: stacks/settings.ts and the parsers it calls.
 */

/** Every way this program can expose the echo app. */
export const EXPOSURES = ["clusterIP", "nodePort", "loadBalancer", "ingress", "gateway"] as const;
export type Exposure = (typeof EXPOSURES)[number];

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

// The validators' own patterns, so the editor and the program agree.
const DNS_LABEL = { type: "string", maxLength: 63, pattern: v.RFC1123_LABEL.source };
const DNS_1035_LABEL = { type: "string", maxLength: 63, pattern: v.RFC1035_LABEL.source };
const DNS_SUBDOMAIN = { type: "string", maxLength: 253, pattern: v.RFC1123_SUBDOMAIN.source };
const EXACT_VERSION = { type: "string", pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$" };

const integer = (min: number, max: number, what: string) => (k: string, x: unknown) => v.integer(k, x, min, max, what);
const replicas = (max: number, def: number, description: string) =>
    key(integer(1, max, "a whole number of replicas"), { description, json: J.integer(1, max), default: def });
const boolean = (description: string, def: boolean) => key(v.boolean, { description, json: J.boolean, default: def });
const port = (description: string, def: number) => key(v.port, { description, json: J.integer(1, 65535), default: def });
const nodePort = (description: string) => key(v.nodePort, { description, json: J.integer(30000, 32767), defaultText: "allocated by the cluster" });
const annotations = (description: string) => key(kv.annotations, { description, json: J.stringMap, default: {} as Record<string, string> });
const cidrs = (description: string, defaultText = "none") =>
    list(key(v.cidr, { description: "A CIDR, such as 203.0.113.0/24.", json: { type: "string" }, required: true }), {
        description,
        allowed: "a list of strings",
        json: { type: "array" },
        default: [] as string[],
        defaultText,
    });
const address = (description: string, defaultText: string) => key(v.hostAndPort, { description, json: { type: "string", minLength: 1 }, defaultText });

/** CPU and memory requests and limits of one workload, each a Kubernetes quantity. */
function resources(description: string, d: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }) {
    const part = (name: "requests" | "limits") =>
        section(
            {
                cpu: key((k, x) => kv.quantity(k, x, "cpu").text, {
                    description: `CPU ${name}, such as 100m.`,
                    json: { type: ["string", "number"] },
                    default: d[name].cpu,
                }),
                memory: key((k, x) => kv.quantity(k, x, "memory").text, {
                    description: `Memory ${name}, such as 64Mi.`,
                    json: { type: ["string", "number"] },
                    default: d[name].memory,
                }),
            },
            { description: `The ${name}; unset ones keep the default.` },
        );
    return section({ requests: part("requests"), limits: part("limits") }, { description });
}

/** An exact chart version that upstream.lock.json holds (and, where given, not one known to fail). */
function chartVersion(artifact: string, def: string, refused: Record<string, string> = {}) {
    return key(
        (k, x) => {
            const version = v.exactVersion(k, x, def);
            if (refused[version]) throw new ConfigError(k, version, refused[version]);
            return lockedVersion(k, artifact, version);
        },
        { description: "The chart version, exact, one in upstream.lock.json.", json: EXACT_VERSION, default: def },
    );
}

/** The chart's Services are <release>-controller and <release>-controller-admission (fullnameOverride is the release name). */
const INGRESS_NGINX_SERVICE_SUFFIXES = ["-controller", "-controller-admission"];

/** What the two installed proxies have in common (components/controllerSettings.ts). */
function controllerKeys(d: {
    namespace: string;
    releaseName: string;
    /** The release name's rule and its longest length (what the chart derives from it must fit). */
    releaseRule: { check: (key: string, raw: unknown) => string; maxLength: number };
    chart: ReturnType<typeof chartVersion>;
    resources: Parameters<typeof resources>[1];
}) {
    return {
        install: boolean("Install the controller (false: use one already in the cluster).", true),
        namespace: key(v.dnsLabel, {
            description: "The controller's namespace (created by the program when it installs the controller).",
            json: DNS_LABEL,
            default: d.namespace,
        }),
        releaseName: key(d.releaseRule.check, {
            description: "The Helm release name; the chart names its Services after it.",
            json: { ...DNS_1035_LABEL, maxLength: d.releaseRule.maxLength },
            default: d.releaseName,
        }),
        chartVersion: d.chart,
        serviceType: key((k, x) => v.oneOf(k, x, SERVICE_TYPES), {
            description: "The proxy's Service type: LoadBalancer (cloud), NodePort (kind/k3d) or ClusterIP.",
            json: J.oneOf(SERVICE_TYPES),
            default: "LoadBalancer" as (typeof SERVICE_TYPES)[number],
        }),
        resources: resources("The controller's CPU and memory requests and limits.", d.resources),
        sourceRanges: cidrs("CIDRs allowed to reach the controller's LoadBalancer (only with serviceType LoadBalancer)."),
        serviceAnnotations: annotations("Annotations for the controller's Service."),
    };
}

const nodePorts = (description: string) =>
    section({ http: nodePort("The http node port (30000-32767)."), https: nodePort("The https node port (30000-32767).") }, { description });

/** The routing keys: under the top-level `routing`, or (deprecated) under `ingress`, where they have no defaults. */
function routingKeys(deprecated: boolean) {
    // A top-level routing key (`name`) under `ingress` is deprecated; the keys inside its entries are not marked again.
    const meta = (description: string, name?: string) => ({ description, ...(deprecated && name ? { deprecated: true, movedTo: `routing.${name}` } : {}) });
    const pathType = (description: string, def?: (typeof PATH_TYPES)[number], name?: string) =>
        key((k, x) => v.oneOf(k, x, PATH_TYPES), { ...meta(description, name), json: J.oneOf(PATH_TYPES), ...(def ? { default: def } : {}) });
    // Which characters a path may have depends on its pathType and the exposures: stacks/routes.ts checks.
    const path = (description: string, def?: string, name?: string) =>
        key(v.string, { ...meta(description, name), json: { type: "string", pattern: "^/" }, ...(def ? { default: def } : {}) });
    const hostEntry = either<string | { host?: string; path?: string; pathType?: (typeof PATH_TYPES)[number] }>(
        [
            { when: (x) => typeof x === "string", then: key(v.hostName, { description: "A host name.", json: { type: "string" }, required: true }) },
            {
                when: (x) => typeof x === "object" && x !== null && !Array.isArray(x),
                then: section(
                    {
                        host: key(v.hostName, { description: "The host (none: any host).", json: { type: "string" } }),
                        path: path("This host's path (default: routing.path)."),
                        pathType: pathType("This host's path type (default: routing.pathType)."),
                        // A host's own traffic policies, over routing's (not under the deprecated place).
                        ...(deprecated ? {} : policyKeys("This host's")),
                    },
                    { description: "A host with its own path.", required: true },
                ),
            },
        ],
        (k, x) => {
            throw new ConfigError(k, x, "a host name, or a { host, path, pathType } object");
        },
        { description: "A host name, or { host, path, pathType }.", json: {} },
    );
    const tlsEntry = section(
        {
            hosts: list(key(v.string, { description: "A routed host.", json: { type: "string" }, required: true }), {
                description: "The routed hosts this certificate serves.",
                allowed: "a list of strings",
                json: { type: "array", minItems: 1 },
                default: [] as string[],
            }),
            secretName: key(
                (k, x) => {
                    if (x === undefined) {
                        throw new ConfigError(k, x, "the name of a kubernetes.io/tls Secret holding the certificate for these hosts (TLS needs a secret)");
                    }
                    return v.dnsSubdomain(k, x);
                },
                {
                    description: "The kubernetes.io/tls Secret with the certificate (cert-manager issues it when certManager is set).",
                    json: DNS_SUBDOMAIN,
                    required: true,
                },
            ),
        },
        { description: "One certificate.", required: true },
    );
    return {
        hosts: list(hostEntry, {
            ...meta("The hosts routed to the echo app: host names, or { host, path, pathType } (none: any host, as the tutorial).", "hosts"),
            allowed: "a list of host names, or of { host, path, pathType } objects",
            json: { type: "array" },
            defaultText: "none: any host, as in the tutorial",
        }),
        path: path("The path routed to the echo app.", deprecated ? undefined : "/vericonf", "path"),
        pathType: pathType("Prefix, Exact or ImplementationSpecific (not with gateway).", deprecated ? undefined : "Prefix", "pathType"),
        tls: list(tlsEntry, {
            ...meta("TLS per host: [{ hosts, secretName }].", "tls"),
            allowed: "a list of { hosts, secretName }",
            json: { type: "array" },
            defaultText: "none",
        }),
        sslRedirect: key(v.boolean, { ...meta("With TLS, redirect http to https.", "sslRedirect"), json: J.boolean, ...(deprecated ? {} : { default: true }) }),
        // The traffic policies are new keys: only under `routing`, never under `ingress`.
        ...(deprecated
            ? {}
            : {
                  ...policyKeys(),
                  parity: key((k, x) => v.oneOf(k, x, PARITY_MODES), {
                      description:
                          "strict: a policy an enabled proxy cannot express is refused; report: it is allowed, and the parity output says what differs.",
                      json: J.oneOf(PARITY_MODES),
                      default: "strict" as (typeof PARITY_MODES)[number],
                  }),
              }),
    };
}

/** The traffic policies' keys (routing/features/: one file each), at the top level or for one host. */
function policyKeys(owner?: string): Record<string, z.ZodType<unknown, unknown>> {
    // Each policy's schema is the same at routing.<key> and routing.hosts[i].<key>: written once in config.schema.json.
    return Object.fromEntries(
        FEATURES.map((f) => [f.key, shared(f.schema(owner ? `${owner} ${f.key} (over routing.${f.key}).` : f.description), `routing.${f.key}`)]),
    );
}

const CONTROLLER_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } };

/**
 * Chart versions known not to work here. NGINX Gateway Fabric runs each Gateway's data plane in the
 * Gateway's namespace, which this program labels for the restricted Pod Security Standard.
 */
const BROKEN_GATEWAY_CHARTS: Record<string, string> = {
    "2.6.0":
        "not 2.6.0: its data-plane nginx and init containers lack allowPrivilegeEscalation: false, so the restricted echo namespace rejects them (nginx-gateway-fabric#5276, fixed by #5279 in 2.6.1); use 2.6.7",
};

/** The keys of the project's config namespace (`echo-exposure:<key>`). */
export const CONFIG_SHAPE = {
    exposures: key(parseExposures, {
        description: "How the echo app is exposed: clusterIP, nodePort, loadBalancer, ingress, gateway (a list, or a comma-separated string).",
        json: {
            anyOf: [
                { type: "array", minItems: 1, items: { enum: [...EXPOSURES] } },
                { type: "string", minLength: 1 },
            ],
        },
        default: ["clusterIP"] as Exposure[],
    }),
    namespace: key(v.dnsLabel, {
        description: "Namespace of the echo app (created by the program unless createNamespace is false).",
        json: DNS_LABEL,
        default: "echo",
    }),
    createNamespace: boolean("Create the namespace (labelled for the restricted Pod Security Standard).", true),
    text: key(v.string, { description: "The text http-echo answers with.", json: J.string, default: "hello from http-echo" }),
    // A release tag, never `latest`: http-echo 1.0.0 is built on distroless `nonroot` (UID 65532).
    image: key(kv.pinnedImage, {
        description: "The http-echo image, pinned to a tag or digest (never latest).",
        json: J.string,
        default: "hashicorp/http-echo:1.0.0",
    }),
    // Always re-checks the tag's digest on every pull (Checkov CKV_K8S_15, Polaris).
    imagePullPolicy: key((k, x) => v.oneOf(k, x, PULL_POLICIES), {
        description: "Always (re-check the tag on every pull), IfNotPresent (images loaded with `kind load docker-image`, offline clusters) or Never.",
        json: J.oneOf(PULL_POLICIES),
        default: "Always" as PullPolicy,
    }),
    replicas: replicas(100, 1, "Number of echo pods (at least 1)."),
    // http-echo is a tiny Go server: these leave headroom while keeping the pod's footprint small.
    resources: resources("The echo pods' CPU and memory requests and limits.", {
        requests: { cpu: "10m", memory: "16Mi" },
        limits: { cpu: "100m", memory: "64Mi" },
    }),
    networkPolicy: boolean("Declare a NetworkPolicy that admits traffic to the echo pods only where a chosen exposure needs it.", true),
    // How long it may be depends on the Services derived from it (components/names.ts): settings.ts checks.
    serviceName: key(v.serviceName, {
        description: "Name of the ClusterIP Service (its in-cluster DNS name); NodePort/LoadBalancer Services add -nodeport/-lb.",
        json: DNS_1035_LABEL,
        default: "veri-service",
    }),
    servicePort: port("Port every echo Service listens on.", 80),
    // The container runs as non-root with every capability dropped: it cannot bind below 1024.
    containerPort: key(integer(1024, 65535, "a port the non-root echo container can bind (it has no NET_BIND_SERVICE capability)"), {
        description: "Port http-echo listens on in its container (every Service's targetPort).",
        json: J.integer(1024, 65535),
        default: 5678,
    }),
    nodePort: nodePort("A fixed node port for the NodePort Service (30000-32767)."),
    nodeAddress: key(v.host, { description: "Host a client uses to reach a node, for the nodePort URL.", json: J.string, default: "localhost" }),
    localPort: port("Local port for the port-forward command in the portForward output.", 8080),
    loadBalancer: section(
        {
            sourceRanges: cidrs("CIDRs allowed to reach the LoadBalancer Service.", "none (everyone)"),
            annotations: annotations("Annotations for the cloud's load-balancer controller."),
            skipAwait: boolean("Do not wait for an address (clusters without a load-balancer implementation).", false),
        },
        { description: "The LoadBalancer Service." },
    ),
    ingress: section(
        {
            className: key(v.dnsSubdomain, {
                description: "The IngressClass the Ingress names (and the installed controller creates).",
                json: DNS_SUBDOMAIN,
                default: "nginx",
            }),
            ...routingKeys(true),
            address: address("host[:port] clients use to reach the controller.", "none"),
            httpsAddress: address("host[:port] clients use to reach the controller's https.", "the load balancer's address"),
            annotations: key(ingressAnnotations, {
                description: "Extra annotations of the Ingress.",
                json: J.stringMap,
                default: {} as Record<string, string>,
            }),
            controller: section(
                {
                    ...controllerKeys({
                        namespace: "ingress-nginx",
                        // fullnameOverride is the release name: the chart's Services are <name>-controller and -controller-admission.
                        releaseName: "ingress-nginx",
                        releaseRule: {
                            check: (k, x) => helmReleaseName(k, x, INGRESS_NGINX_SERVICE_SUFFIXES),
                            maxLength: 63 - Math.max(...INGRESS_NGINX_SERVICE_SUFFIXES.map((x) => x.length)),
                        },
                        // The project's final release. Charts before 4.11.5 / 4.12.1 are open to
                        // CVE-2025-1974 (unauthenticated RCE through the admission webhook).
                        chart: chartVersion(ARTIFACTS.ingressNginx, "4.15.1"),
                        resources: CONTROLLER_RESOURCES,
                    }),
                    nodePorts: nodePorts("Fixed node ports of a NodePort controller."),
                    hostPort: boolean("Bind 80/443 on the node (kind's upstream recipe).", false),
                    replicas: replicas(20, 1, "Controller replicas (above 1: a PDB and spreading)."),
                    image: key(controllerImage, {
                        description: "A maintained fork's controller image, with a tag and a digest.",
                        json: J.string,
                        defaultText: "the chart's",
                    }),
                },
                { description: "The ingress-nginx controller." },
            ),
        },
        { description: "The Ingress and its ingress-nginx controller." },
    ),
    gateway: section(
        {
            existing: section(
                {
                    name: key(v.dnsSubdomain, { description: "The Gateway's name.", json: DNS_SUBDOMAIN, required: true }),
                    namespace: key(v.dnsLabel, { description: "The Gateway's namespace.", json: DNS_LABEL, required: true }),
                    proxyNamespace: key(v.dnsLabel, { description: "Where its proxies run (default: namespace).", json: DNS_LABEL, defaultText: "namespace" }),
                },
                { description: "Attach the routes to this Gateway instead of declaring one (and install nothing).", optional: true },
            ),
            // NGINX Gateway Fabric names the data-plane Service `<name>-<className>`: a DNS-1035 label.
            name: key(v.serviceName, { description: "The Gateway the program declares.", json: DNS_1035_LABEL, default: "echo-gateway" }),
            className: key(v.dnsSubdomain, {
                description: "gatewayClassName (the installed NGINX Gateway Fabric creates it).",
                json: DNS_SUBDOMAIN,
                default: "nginx",
            }),
            httpPort: port("The http listener's port.", 80),
            httpsPort: port("The https listeners' port.", 443),
            nodePorts: nodePorts("Fixed node ports of a NodePort data plane."),
            address: address("host[:port] clients use to reach the Gateway.", "none"),
            httpsAddress: address("host[:port] clients use to reach its HTTPS listeners.", "the load balancer's address with `httpsPort`"),
            controller: section(
                {
                    ...controllerKeys({
                        namespace: "nginx-gateway",
                        releaseName: "ngf",
                        // Its pre-install Job is <fullname>-cert-generator (stacks/chartNames.ts).
                        releaseRule: { check: ngfReleaseName, maxLength: 63 - NGF_JOB_SUFFIX.length },
                        // NGINX Gateway Fabric 2.6.7 (NGINX 1.31.3) supports Gateway API 1.5.1 and
                        // carries #5279, so its data-plane pods meet the restricted Pod Security
                        // Standard. Its chart declares kubeVersion >= 1.31.0-0.
                        chart: chartVersion(ARTIFACTS.gatewayFabric, "2.6.7", BROKEN_GATEWAY_CHARTS),
                        resources: CONTROLLER_RESOURCES,
                    }),
                    crdsVersion: key((k, x) => lockedVersion(k, ARTIFACTS.gatewayApi, v.exactVersion(k, x, "1.5.1"), "v"), {
                        description: "The Gateway API release whose standard-channel CRDs are installed.",
                        json: EXACT_VERSION,
                        default: "1.5.1",
                    }),
                    installCrds: boolean("Install the Gateway API CRDs (false: the cluster has them).", true),
                    replicas: replicas(20, 1, "Control-plane replicas."),
                },
                { description: "NGINX Gateway Fabric." },
            ),
        },
        { description: "The Gateway, its HTTPRoutes and NGINX Gateway Fabric." },
    ),
    certManager: section(
        {
            issuer: either<"selfSigned" | "letsEncrypt" | { kind: "ClusterIssuer" | "Issuer"; name: string }>(
                [
                    {
                        when: (x) => typeof x === "object" && x !== null && !Array.isArray(x),
                        then: section(
                            {
                                kind: key((k, x) => v.oneOf(k, x, ["ClusterIssuer", "Issuer"] as const), {
                                    description: "ClusterIssuer or Issuer.",
                                    json: J.oneOf(["ClusterIssuer", "Issuer"]),
                                    required: true,
                                }),
                                name: key(v.dnsSubdomain, { description: "The issuer's name.", json: DNS_SUBDOMAIN, required: true }),
                            },
                            { description: "An issuer that already exists.", required: true },
                        ),
                    },
                ],
                (k, x) => {
                    if (x === "selfSigned" || x === "letsEncrypt") return x as never;
                    throw new ConfigError(k, x, "selfSigned or letsEncrypt, or { kind: ClusterIssuer | Issuer, name } for an issuer that already exists");
                },
                {
                    description: "selfSigned, letsEncrypt, or { kind, name } of an existing issuer.",
                    json: { anyOf: [{ enum: ["selfSigned", "letsEncrypt"] }] },
                    required: true,
                },
            ),
            acme: section(
                {
                    // Required with letsEncrypt: stacks/certManager.ts says so (acme with another issuer is refused first).
                    email: key(v.string, { description: "The ACME account's e-mail address (required with letsEncrypt).", json: J.string }),
                    server: key(acmeServer, {
                        description: "production, staging, or an ACME directory URL.",
                        json: { type: "string" },
                        default: ACME_SERVERS.production as string,
                        defaultText: "`production`",
                    }),
                    solver: key((k, x) => v.oneOf(k, x, ["ingress", "gateway"] as const), {
                        description: "Answer HTTP-01 through ingress or gateway.",
                        json: J.oneOf(["ingress", "gateway"]),
                        defaultText: "`ingress` when it is an exposure, else `gateway`",
                    }),
                },
                { description: "Let's Encrypt (only with issuer letsEncrypt).", optional: true },
            ),
            install: boolean("Install cert-manager (its chart and CRDs).", true),
            namespace: key(v.dnsLabel, { description: "cert-manager's namespace.", json: DNS_LABEL, default: "cert-manager" }),
            // cert-manager's newest stable release; its chart versions carry the tag's 'v'.
            chartVersion: key((k, x) => lockedVersion(k, ARTIFACTS.certManager, taggedVersion(k, x)), {
                description: "The cert-manager chart version, with its 'v'.",
                json: { type: "string", pattern: "^v[0-9]+\\.[0-9]+\\.[0-9]+$" },
                default: "v1.21.1",
            }),
        },
        { description: "TLS Secrets issued by cert-manager (absent: they are provided).", optional: true },
    ),
    canary: section(
        {
            text: key(v.string, { description: "What the canary answers, so answers can be told apart.", json: J.string, required: true }),
            image: key(kv.pinnedImage, { description: "The canary's image.", json: J.string, defaultText: "the stable `image`" }),
            replicas: replicas(20, 1, "Canary pods."),
            weight: key(integer(0, 100, "a whole percentage of requests for the canary"), {
                description: "Percent of requests to the canary, 0-100.",
                json: J.integer(0, 100),
                default: 0,
            }),
            header: section(
                {
                    name: key(v.httpHeaderName, {
                        description: "The header's name, an HTTP token.",
                        json: { type: "string", maxLength: 256, pattern: v.HTTP_HEADER_NAME.source },
                        required: true,
                    }),
                    value: key(headerValue, {
                        description: "The value that sends a request to the canary.",
                        json: { type: "string", minLength: 1, maxLength: 4096 },
                        default: "always",
                    }),
                },
                { description: "Requests with this header always go to the canary.", optional: true },
            ),
        },
        { description: "A canary track beside the stable one, with a share of the routed requests.", optional: true },
    ),
    routing: section(routingKeys(false), { description: "The hosts, paths and TLS both the Ingress and the Gateway serve." }),
};

/** `exposures` is a YAML/JSON list or a comma-separated string; names are case-sensitive. */
export function parseExposures(_key: string, raw: unknown): Exposure[] {
    const allowed = `a non-empty list (or comma-separated string) of ${EXPOSURES.join(", ")}`;
    const items = typeof raw === "string" ? raw.split(",").map((s) => s.trim()) : raw;
    if (!Array.isArray(items) || items.length === 0 || items.every((s) => s === "")) {
        throw new ConfigError("exposures", raw, allowed);
    }
    for (const item of items) {
        if (!(EXPOSURES as readonly unknown[]).includes(item)) {
            throw new ConfigError("exposures", raw, `${allowed} (${JSON.stringify(item)} is not one of them)`);
        }
    }
    return [...new Set(items as Exposure[])];
}

/** Every key of the project's config namespace; any other is a typo that would be ignored. */
export const CONFIG_KEYS = Object.keys(CONFIG_SHAPE) as (keyof typeof CONFIG_SHAPE)[];

export const configSchema = section(CONFIG_SHAPE, { description: "The echo-exposure keys of a stack's config." });

/** The stack config as the schema reads it: every key checked on its own, defaults applied. */
export type Config = z.output<z.ZodObject<typeof CONFIG_SHAPE>>;
