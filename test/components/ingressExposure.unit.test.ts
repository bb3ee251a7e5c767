import * as assert from "assert";
import { IngressExposure, IngressExposureArgs, IngressSettings } from "../../components/ingressExposure";
import { declareAlone, EXISTING_CONTROLLER } from "../support/unit";

/* IngressExposure on its own, with hand-built Args. */

const settings = (controller: Partial<IngressSettings["controller"]> = {}): IngressSettings => ({
    routes: [
        { host: "a.example.com", path: "/vericonf", pathType: "Prefix" },
        { host: "b.example.com", path: "/b", pathType: "Exact" },
    ],
    tls: [{ hosts: ["a.example.com"], secretName: "a-tls" }],
    className: "team-nginx",
    address: "localhost:8081",
    sslRedirect: true,
    annotations: {},
    controller: {
        ...EXISTING_CONTROLLER,
        namespace: "ingress-nginx",
        releaseName: "ingress-nginx",
        chartVersion: "4.15.1",
        chart: { chart: "/mirror/ingress-nginx", local: true },
        serviceType: "NodePort",
        nodePorts: { http: 30081 },
        hostPort: false,
        ...controller,
    },
});

const args = (extra: Partial<IngressExposureArgs> = {}): IngressExposureArgs => ({
    namespace: "team-a",
    service: { name: "echo", port: 8080 },
    settings: settings(),
    tlsSecretsProvided: false,
    ...extra,
});

describe("IngressExposure (hand-built args)", () => {
    it("routes each host and path to the Service with its class, TLS for its hosts, and a URL per route", async () => {
        const { ofType, value } = await declareAlone(() => new IngressExposure("i", args()).urls);
        const [ingress] = ofType("kubernetes:networking.k8s.io/v1:Ingress");
        assert.strictEqual(ingress.inputs.spec.ingressClassName, "team-nginx");
        assert.deepStrictEqual(
            ingress.inputs.spec.rules.map((r: any) => [r.host, r.http.paths[0].path, r.http.paths[0].pathType, r.http.paths[0].backend.service]),
            [
                ["a.example.com", "/vericonf", "Prefix", { name: "echo", port: { number: 8080 } }],
                ["b.example.com", "/b", "Exact", { name: "echo", port: { number: 8080 } }],
            ],
        );
        assert.deepStrictEqual(ingress.inputs.spec.tls, [{ hosts: ["a.example.com"], secretName: "a-tls" }]);
        assert.deepStrictEqual(ofType("kubernetes:helm.sh/v3:Release"), [], "install false: the cluster's controller");
        for (const url of value) assert.doesNotThrow(() => new URL(url), url);
        assert.ok(value.includes("http://b.example.com:8081/b"), JSON.stringify(value));
    });

    it("installs the controller from the chart source it is given, by a Helm release that runs the chart's hooks", async () => {
        const { ofType } = await declareAlone(() => new IngressExposure("i", args({ settings: settings({ install: true }) })).urls);
        const [release] = ofType("kubernetes:helm.sh/v3:Release");
        assert.strictEqual(release.inputs.chart, "/mirror/ingress-nginx");
        assert.strictEqual(release.inputs.repositoryOpts, undefined, "a local chart names no repository");
        assert.strictEqual(release.inputs.values.controller.ingressClassResource.name, "team-nginx");
    });

    it("with a canary, mirrors every host and path to the canary Service in a canary Ingress, with its weight and header", async () => {
        const canary = { service: { name: "echo-canary", port: 8080 }, weight: 30, header: { name: "X-Canary", value: "always" } };
        const { ofType } = await declareAlone(() => new IngressExposure("i", args({ canary })).urls);
        const [main, twin] = ofType("kubernetes:networking.k8s.io/v1:Ingress");
        const shape = (i: any) => i.inputs.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => [p.path, p.pathType])]);
        assert.deepStrictEqual(shape(twin), shape(main));
        assert.ok(twin.inputs.spec.rules.every((r: any) => r.http.paths.every((p: any) => p.backend.service.name === "echo-canary")));
        const a = twin.inputs.metadata.annotations;
        assert.deepStrictEqual(
            [
                a["nginx.ingress.kubernetes.io/canary"],
                a["nginx.ingress.kubernetes.io/canary-weight"],
                a["nginx.ingress.kubernetes.io/canary-by-header"],
                a["nginx.ingress.kubernetes.io/canary-by-header-value"],
            ],
            ["true", "30", "X-Canary", "always"],
        );
    });
});
