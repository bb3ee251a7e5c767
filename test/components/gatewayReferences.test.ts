import * as assert from "assert";
import { KubeObject, runProgram } from "../support/program";
import { gatewayApiCrds, validateAgainstSchema } from "../support/schemas";

/*
 * Issue 17: an existing Gateway in another namespace reads the echo namespace's TLS Secrets only
 * through a ReferenceGrant; a Gateway of an implementation the program does not install has its
 * proxies admitted by the NetworkPolicy from gateway.controller.namespace.
 */

const GRANT = "kubernetes:gateway.networking.k8s.io/v1:ReferenceGrant";
const tls = (secrets: string[]) => ({
    hosts: secrets.map((_, i) => `h${i}.example.com`),
    tls: secrets.map((secretName, i) => ({ hosts: [`h${i}.example.com`], secretName })),
});
const existing = (namespace: string) => ({ existing: { name: "shared", namespace }, address: "gw.example.net" });

describe("an existing Gateway in another namespace and the TLS Secrets", () => {
    for (const secrets of [["echo-tls"], ["a-tls", "b-tls"], ["a-tls", "b-tls", "c-tls"]]) {
        it(`grants Gateways of that namespace read access to exactly the ${secrets.length} TLS Secret(s), valid against the pinned CRD`, async () => {
            const run = await runProgram({ exposures: "gateway", ingress: tls(secrets), gateway: existing("infra") });
            const grant = run.one(GRANT).state as KubeObject;
            assert.strictEqual(grant.metadata.namespace, "echo", "the grant lives beside the Secrets");
            assert.deepStrictEqual(grant.spec.from, [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "infra" }]);
            assert.deepStrictEqual(
                grant.spec.to.map((t: any) => t.name),
                secrets,
            );
            assert.ok(grant.spec.to.every((t: any) => t.group === "" && t.kind === "Secret"));
            validateAgainstSchema({ ...grant, apiVersion: "gateway.networking.k8s.io/v1", kind: "ReferenceGrant" });
        });
    }

    it("declares none when the existing Gateway is in the echo namespace, has no TLS, or the program declares its own Gateway", async () => {
        const same = await runProgram({ exposures: "gateway", ingress: tls(["echo-tls"]), gateway: existing("echo") });
        const plain = await runProgram({ exposures: "gateway", ingress: { hosts: ["a.example.com"] }, gateway: existing("infra") });
        const own = await runProgram({ exposures: "gateway", ingress: tls(["echo-tls"]) });
        for (const run of [same, plain, own]) assert.strictEqual(run.ofType(GRANT).length, 0);
    });

    it("the CRD validator refuses a grant without `from` (the check can fail)", () => {
        const { violations } = gatewayApiCrds().validate({
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "ReferenceGrant",
            metadata: { name: "x", namespace: "echo" },
            spec: { to: [{ group: "", kind: "Secret" }] },
        });
        assert.ok(violations.length > 0);
    });
});

describe("a Gateway of an implementation the program does not install", () => {
    const admitted = (run: Awaited<ReturnType<typeof runProgram>>) => {
        const np = run.objects.find((o) => o.kind === "NetworkPolicy")!;
        return np.spec.ingress
            .flatMap((r: any) => r.from ?? [])
            .map((p: any) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"])
            .filter(Boolean);
    };
    for (const namespace of ["envoy-gateway-system", "istio-system", "kong"]) {
        it(`admits its proxies' namespace (${namespace}), named by gateway.controller.namespace`, async () => {
            const run = await runProgram({ exposures: "gateway", gateway: { className: "eg", controller: { install: false, namespace } } });
            assert.ok(admitted(run).includes(namespace), JSON.stringify(admitted(run)));
        });
    }

    it("an installed NGINX Gateway Fabric runs its data plane in the echo namespace: no other namespace is admitted", async () => {
        const run = await runProgram({ exposures: "gateway" });
        assert.deepStrictEqual(admitted(run), []);
    });
});
