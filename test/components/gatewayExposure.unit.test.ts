import * as assert from "assert";
import { GatewayExposure, GatewayExposureArgs, GatewaySettings } from "../../components/gatewayExposure";
import { declareAlone, EXISTING_CONTROLLER } from "../support/unit";

/* GatewayExposure on its own, with hand-built Args (no implementation installed: install false). */

const settings = (extra: Partial<GatewaySettings> = {}): GatewaySettings => ({
    name: "edge",
    className: "nginx",
    httpPort: 80,
    httpsPort: 443,
    nodePorts: {},
    address: "localhost:8082",
    controller: {
        ...EXISTING_CONTROLLER,
        namespace: "nginx-gateway",
        releaseName: "ngf",
        chartVersion: "2.6.7",
        chart: { chart: "/mirror/ngf", local: true },
        serviceType: "LoadBalancer",
        crdsVersion: "1.5.1",
        installCrds: false,
    },
    ...extra,
});

const args = (extra: Partial<GatewayExposureArgs> = {}): GatewayExposureArgs => ({
    namespace: "team-a",
    echoNamespace: "team-a",
    service: { name: "echo", port: 8080 },
    routing: { routes: [{ host: "a.example.com", path: "/vericonf", pathType: "Prefix" }], tls: [] },
    sslRedirect: true,
    tlsSecretsProvided: false,
    settings: settings(),
    ...extra,
});

const HTTPROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";

describe("GatewayExposure (hand-built args)", () => {
    it("declares the Gateway of the class it is given and an HTTPRoute per host to the Service", async () => {
        const { ofType } = await declareAlone(() => new GatewayExposure("g", args()).urls);
        const [gateway] = ofType("kubernetes:gateway.networking.k8s.io/v1:Gateway");
        assert.strictEqual(gateway.inputs.metadata.name, "edge");
        assert.strictEqual(gateway.inputs.spec.gatewayClassName, "nginx");
        const [route] = ofType(HTTPROUTE);
        assert.deepStrictEqual(route.inputs.spec.hostnames, ["a.example.com"]);
        assert.deepStrictEqual(route.inputs.spec.rules[0].backendRefs, [{ name: "echo", port: 8080 }]);
        assert.deepStrictEqual(ofType("kubernetes:helm.sh/v3:Release"), [], "install false: nothing installed");
    });

    it("attaches to an existing Gateway instead of declaring one", async () => {
        const { ofType } = await declareAlone(
            () => new GatewayExposure("g", args({ settings: settings({ existing: { name: "shared", namespace: "infra", proxyNamespace: "infra" } }) })).urls,
        );
        assert.deepStrictEqual(ofType("kubernetes:gateway.networking.k8s.io/v1:Gateway"), []);
        assert.deepStrictEqual(ofType(HTTPROUTE)[0].inputs.spec.parentRefs, [{ name: "shared", namespace: "infra" }]);
    });

    it("with a canary, splits each routed rule 100-w / w and sends the header's requests to the canary only, first", async () => {
        const canary = { service: { name: "echo-canary", port: 8080 }, weight: 10, header: { name: "X-Canary", value: "always" } };
        const { ofType } = await declareAlone(() => new GatewayExposure("g", args({ canary })).urls);
        const rules = ofType(HTTPROUTE)[0].inputs.spec.rules;
        assert.deepStrictEqual(rules[0].matches[0].headers, [{ type: "Exact", name: "X-Canary", value: "always" }]);
        assert.deepStrictEqual(rules[0].backendRefs, [{ name: "echo-canary", port: 8080 }]);
        assert.deepStrictEqual(rules[1].backendRefs, [
            { name: "echo", port: 8080, weight: 90 },
            { name: "echo-canary", port: 8080, weight: 10 },
        ]);
    });
});
