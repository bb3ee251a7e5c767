import Ajv from "ajv";
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { chartName, runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";
import { upstreamFile } from "../support/upstreamFiles";

/*
 * The values the program gives each chart, against that chart's own contract at the pinned
 * version (read through the resolver, as upstream.lock.json pins it): a misspelt or moved key fails here
 * instead of being dropped on the way to Helm, which renders a chart with unknown values silently.
 */

/** Every chart is installed by a Helm release (NGF, ingress-nginx, cert-manager). */
const RELEASE = "kubernetes:helm.sh/v3:Release";

const readYaml = (name: string, version: string, file: string) =>
    yaml.load(fs.readFileSync(upstreamFile(name, version, file), "utf8")) as Record<string, unknown>;
const readJson = (name: string, version: string, file: string) => JSON.parse(fs.readFileSync(upstreamFile(name, version, file), "utf8"));

/** Every config that switches a chart value on: the shipped stacks and the variants tests use. */
const configs: Record<string, Record<string, unknown>> = {
    ...Object.fromEntries(shippedStacks().map((s) => [s, stackConfig(s)])),
    "ingress: second class, NodePort, hostPort, replicas": {
        exposures: "ingress",
        ingress: {
            className: "internal",
            controller: { serviceType: "NodePort", nodePorts: { http: 30081, https: 30443 }, hostPort: true, replicas: 3 },
        },
    },
    "ingress: LoadBalancer with ranges and annotations": {
        exposures: "ingress",
        ingress: {
            controller: { sourceRanges: ["203.0.113.0/24"], serviceAnnotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } },
        },
    },
    "gateway: NodePort with both node ports": {
        exposures: "gateway",
        gateway: { nodePorts: { http: 30082, https: 30444 }, httpsPort: 8443, controller: { serviceType: "NodePort" } },
    },
    "cert-manager: selfSigned": {
        exposures: "ingress",
        ingress: { hosts: ["echo.corp.dev"], tls: [{ hosts: ["echo.corp.dev"], secretName: "t" }] },
        certManager: { issuer: "selfSigned" },
    },
    "cert-manager: letsEncrypt through the Gateway (Gateway API support on)": {
        exposures: "gateway",
        ingress: { hosts: ["echo.corp.dev"], tls: [{ hosts: ["echo.corp.dev"], secretName: "t" }] },
        certManager: { issuer: "letsEncrypt", acme: { email: "platform@corp.dev", solver: "gateway" } },
    },
    "gateway: LoadBalancer with ranges and annotations": {
        exposures: "gateway",
        gateway: { className: "edge", controller: { sourceRanges: ["203.0.113.0/24"], serviceAnnotations: { "example.com/lb": "internal" } } },
    },
};

/** Helm's coalescing of user values over the chart's: maps merge key by key, anything else replaces. */
export function helmMerge(defaults: unknown, values: unknown): unknown {
    if (!isMap(defaults) || !isMap(values)) return values === undefined ? defaults : values;
    const merged: Record<string, unknown> = { ...defaults };
    for (const [k, v] of Object.entries(values)) {
        if (v === null) delete merged[k];
        else if (v !== undefined) merged[k] = helmMerge(defaults[k], v);
    }
    return merged;
}

/**
 * The value paths of `values` that the chart's values.yaml does not have. A path stops being
 * checked where the chart's default is a free-form map or list ({} / [], e.g. annotations,
 * extraArgs) or a key is a whole Kubernetes type the chart passes through (`opaque`).
 */
export function unknownValuePaths(values: unknown, chart: unknown, opaque: readonly string[], at = ""): string[] {
    if (!isMap(values)) return [];
    return Object.entries(values).flatMap(([k, v]) => {
        const p = at ? `${at}.${k}` : k;
        if (v === undefined) return [];
        if (!isMap(chart) || !(k in chart)) return [p];
        const known = chart[k];
        if (opaque.includes(k) || (isMap(known) && Object.keys(known).length === 0) || Array.isArray(known)) return [];
        return unknownValuePaths(v, known, opaque, p);
    });
}

/** The configs that install a chart: those with its exposure (static, so no test is generated only to be skipped). */
const installing = (exposure: string) =>
    Object.entries(configs).filter(([, c]) => (Array.isArray(c.exposures) ? c.exposures : String(c.exposures).split(",")).includes(exposure));

function isMap(x: unknown): x is Record<string, unknown> {
    return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Values as Helm receives them (Outputs resolved, undefined keys dropped, as the provider serialises them). */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x ?? {}));

describe("chart values against the charts' own contracts (locked at the pinned versions)", () => {
    describe("NGINX Gateway Fabric 2.6.7: values.schema.json and values.yaml", () => {
        const defaults = readYaml("nginx-gateway-fabric", "2.6.7", "chart/values.yaml");
        const schema = readJson("nginx-gateway-fabric", "2.6.7", "chart/values.schema.json");
        const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

        for (const [name, config] of installing("gateway")) {
            it(`${name}: merged over the chart's defaults, the values pass the chart's schema, and every key exists in values.yaml`, async () => {
                const run = await runProgram(config, {}, name);
                const releases = run.ofType(RELEASE).filter((r) => chartName(r.inputs.chart) === "nginx-gateway-fabric");
                assert.strictEqual(releases.length, 1);
                for (const release of releases) {
                    assert.strictEqual(release.inputs.version, "2.6.7", "the locked contract is the pinned version's");
                    const values = plain(release.inputs.values);
                    const ok = validate(helmMerge(defaults, values));
                    assert.ok(ok, JSON.stringify(validate.errors, null, 1));
                    assert.deepStrictEqual(unknownValuePaths(values, defaults, ["resources"]), []);
                }
            });
        }

        it("the checks fail on values the chart does not take", () => {
            assert.strictEqual(validate(helmMerge(defaults, { nginx: { service: { type: "External" } } })), false, "an enum the schema refuses");
            assert.deepStrictEqual(unknownValuePaths({ nginx: { serivce: { type: "NodePort" } } }, defaults, ["resources"]), ["nginx.serivce"]);
        });
    });

    describe("ingress-nginx 4.15.1: values.yaml", () => {
        const defaults = readYaml("ingress-nginx", "4.15.1", "chart/values.yaml");
        // Kubernetes types the chart passes through whole; values.yaml shows only part of them.
        const opaque = ["resources", "topologySpreadConstraints"];
        // Keys values.yaml only mentions in a comment ("# fullnameOverride:", line 12) that the
        // templates read (templates/_helpers.tpl line 21 at helm-chart-4.15.1).
        const commentedInValues = { fullnameOverride: "" };

        for (const [name, config] of installing("ingress")) {
            it(`${name}: every value the program passes exists in the chart's values.yaml`, async () => {
                const run = await runProgram(config, {}, name);
                const controllers = run.ofType(RELEASE).filter((r) => chartName(r.inputs.chart) === "ingress-nginx");
                assert.strictEqual(controllers.length, 1);
                for (const c of controllers) {
                    assert.strictEqual(c.inputs.version, "4.15.1", "the locked contract is the pinned version's");
                    assert.deepStrictEqual(unknownValuePaths(plain(c.inputs.values), { ...defaults, ...commentedInValues }, opaque), []);
                }
            });
        }

        it("the check fails on a misspelt or moved key", () => {
            assert.deepStrictEqual(unknownValuePaths({ controller: { admissionWebhook: { enabled: true } } }, defaults, opaque), [
                "controller.admissionWebhook",
            ]);
            assert.deepStrictEqual(unknownValuePaths({ controller: { service: { nodePort: { http: "30081" } } } }, defaults, opaque), [
                "controller.service.nodePort",
            ]);
        });

        it("the chart's own --ingress-class comes from controller.ingressClass (templates/_params.tpl), which the program sets", () => {
            const controller = defaults.controller as Record<string, unknown>;
            assert.strictEqual(controller.ingressClass, "nginx");
            assert.match(
                fs.readFileSync(upstreamFile("ingress-nginx", "4.15.1", "chart/templates/_params.tpl"), "utf8"),
                /--ingress-class=\{\{ \.Values\.controller\.ingressClass \}\}/,
            );
        });
    });

    describe("cert-manager v1.21.1: values.schema.json and values.yaml", () => {
        const defaults = readYaml("cert-manager", "v1.21.1", "chart/values.yaml");
        const schema = readJson("cert-manager", "v1.21.1", "chart/values.schema.json");
        const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
        const withCertManager = Object.entries(configs).filter(([, c]) => c.certManager !== undefined && (c.certManager as any).install !== false);

        for (const [name, config] of withCertManager) {
            it(`${name}: merged over the chart's defaults, the values pass the chart's schema, and every key exists in values.yaml`, async () => {
                const run = await runProgram(config, {}, name);
                const releases = run.ofType(RELEASE).filter((r) => chartName(r.inputs.chart) === "cert-manager");
                assert.strictEqual(releases.length, 1);
                assert.strictEqual(releases[0].inputs.version, "v1.21.1", "the locked contract is the pinned version's");
                const values = plain(releases[0].inputs.values);
                assert.ok(validate(helmMerge(defaults, values)), JSON.stringify(validate.errors, null, 1));
                assert.deepStrictEqual(unknownValuePaths(values, defaults, ["resources"]), []);
            });
        }

        it("the checks fail on values the chart does not take", () => {
            assert.strictEqual(validate(helmMerge(defaults, { crds: { enabled: "yes" } })), false);
            assert.deepStrictEqual(unknownValuePaths({ crd: { enabled: true } }, defaults, ["resources"]), ["crd"]);
        });
    });
});
