import * as assert from "assert";
import { CrdCatalog } from "../support/crdValidation";
import { KubeObject, runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";
import { upstreamFile } from "../support/upstreamFiles";

/*
 * Every Gateway API object the program can declare, against the CRDs it installs (the pinned
 * standard-channel bundle, as upstream.lock.json locks it), the way the API server checks them: schema
 * defaults, the structural schema, and every x-kubernetes-validations CEL rule. kubernetes-models
 * checks structure only; unique listener names, "RequestRedirect filter must not be used together
 * with backendRefs" and the path rules are CEL, and only this catches them before `pulumi up`.
 */

const BUNDLE = upstreamFile("gateway-api", "v1.5.1", "standard-install.yaml");

const tls = { hosts: ["secure.example.com", "plain.example.com"], tls: [{ hosts: ["secure.example.com"], secretName: "secure-tls" }] };

/** The shipped stacks and the routing variants the tests use. */
const configs: Record<string, Record<string, unknown>> = {
    ...Object.fromEntries(
        shippedStacks()
            .map((s) => [s, stackConfig(s)] as const)
            .filter(([, c]) => JSON.stringify(c.exposures).includes("gateway")),
    ),
    "the seed's any-host route": { exposures: "gateway" },
    "several hosts, per-host paths, Exact": {
        exposures: "gateway",
        ingress: { hosts: ["a.example.com", { host: "b.example.com", path: "/echo", pathType: "Exact" }, { host: "c.example.com", path: "/" }] },
    },
    "TLS with the http-to-https redirect": { exposures: "gateway", ingress: tls },
    "TLS without the redirect": { exposures: "gateway", ingress: { ...tls, sslRedirect: false } },
    "two TLS hosts in one Secret, custom listener ports": {
        exposures: "gateway",
        ingress: { hosts: ["a.example.com", "b.example.com"], tls: [{ hosts: ["a.example.com", "b.example.com"], secretName: "ab-tls" }] },
        gateway: { httpPort: 8080, httpsPort: 8443, name: "edge", className: "edge" },
    },
    "an existing Gateway in another namespace": {
        exposures: "gateway",
        ingress: tls,
        gateway: { existing: { name: "shared", namespace: "gateways" } },
    },
};

const gatewayApiObjects = (objects: KubeObject[]) => objects.filter((o) => o.apiVersion.startsWith("gateway.networking.k8s.io/"));

describe("Gateway API objects against the pinned v1.5.1 CRDs (schema defaults, structure, CEL rules)", () => {
    let catalog: CrdCatalog;
    before(() => {
        catalog = CrdCatalog.fromFiles([BUNDLE]);
    });

    for (const [name, config] of Object.entries(configs)) {
        it(`${name}: every Gateway and HTTPRoute is accepted`, async () => {
            const run = await runProgram(config, {}, name);
            const objects = gatewayApiObjects(run.objects);
            assert.ok(
                objects.some((o) => o.kind === "HTTPRoute"),
                "declares routes",
            );
            for (const obj of objects) {
                // What the program sends, not the mock's state (status is the cluster's to write).
                const sent = { ...obj };
                delete sent.status;
                const { violations } = catalog.validate(sent);
                assert.deepStrictEqual(violations, [], `${obj.kind} ${obj.metadata.name}`);
            }
        });
    }

    it("refuses a known-bad route and a known-bad Gateway, with the CRD's own messages", async () => {
        const run = await runProgram(configs["TLS with the http-to-https redirect"]);
        const objects = gatewayApiObjects(run.objects);
        const redirect = objects.find((o) => o.kind === "HTTPRoute" && o.spec.rules[0].filters)!;
        const both = structuredClone(redirect);
        both.spec.rules[0].backendRefs = [{ name: "veri-service", port: 80 }];
        assert.match(JSON.stringify(catalog.validate(both).violations), /RequestRedirect filter must not be used together with backendRefs/);

        const gateway = structuredClone(objects.find((o) => o.kind === "Gateway")!);
        delete gateway.status;
        gateway.spec.listeners.push({ ...gateway.spec.listeners[0] });
        assert.match(JSON.stringify(catalog.validate(gateway).violations), /Listener name must be unique within the Gateway/);
    });
});
