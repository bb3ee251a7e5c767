import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { CrdCatalog, CrdViolation } from "./crdValidation";
import { upstreamFile, upstreamFiles } from "./upstreamFiles";

/*
 * The offline CRD validator, proven on the pinned Gateway API bundle and cert-manager CRDs (read
 * through the resolver, as upstream.lock.json pins them): defaults, schema checks and the CRDs'
 * own CEL rules.
 */

const gatewayBundle = upstreamFile("gateway-api", "v1.5.1", "standard-install.yaml");

const GW = "gateway.networking.k8s.io/v1";
const show = (violations: CrdViolation[]) => violations.map((v) => `${v.path}: ${v.message}`).join("\n") || "(none)";

function assertValid(catalog: CrdCatalog, obj: { apiVersion: string; kind: string; [k: string]: unknown }): any {
    const { violations, defaulted } = catalog.validate(obj);
    assert.deepStrictEqual(violations, [], `expected ${obj.kind} to be valid, got:\n${show(violations)}`);
    return defaulted;
}

function assertViolation(catalog: CrdCatalog, obj: { apiVersion: string; kind: string; [k: string]: unknown }, expected: { path?: string; message: string }) {
    const { violations } = catalog.validate(obj);
    const found = violations.some((v) => v.message.includes(expected.message) && (expected.path === undefined || v.path === expected.path));
    assert.ok(found, `expected a violation ${JSON.stringify(expected)}, got:\n${show(violations)}`);
}

const gateway = (listeners: unknown[]) => ({
    apiVersion: GW,
    kind: "Gateway",
    metadata: { name: "echo-gateway", namespace: "echo" },
    spec: { gatewayClassName: "nginx", listeners },
});

const httpListener = { name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } };
const httpsListener = {
    name: "https",
    port: 443,
    protocol: "HTTPS",
    hostname: "echo.example.com",
    tls: { certificateRefs: [{ kind: "Secret", name: "echo-tls" }] },
    allowedRoutes: { namespaces: { from: "Same" } },
};

const httpRoute = (rule: Record<string, unknown>, parentRefs: unknown[] = [{ name: "echo-gateway", namespace: "echo", sectionName: "http" }]) => ({
    apiVersion: GW,
    kind: "HTTPRoute",
    metadata: { name: "echo", namespace: "echo" },
    spec: { parentRefs, hostnames: ["echo.example.com"], rules: [rule] },
});

const prefixRule = (value: string) => ({ matches: [{ path: { type: "PathPrefix", value } }], backendRefs: [{ name: "veri-service", port: 80 }] });

/** Every x-kubernetes-validations rule in the YAML, wherever it sits, counted independently of the validator. */
function rulesIn(file: string): string[] {
    const found: string[] = [];
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (typeof node !== "object" || node === null) return;
        for (const [key, value] of Object.entries(node)) {
            if (key === "x-kubernetes-validations" && Array.isArray(value)) found.push(...value.map((r: { rule: string }) => r.rule));
            walk(value);
        }
    };
    yaml.loadAll(fs.readFileSync(file, "utf8")).forEach((doc) => (doc as { kind?: string })?.kind === "CustomResourceDefinition" && walk(doc));
    return found;
}

describe("CRD validation: Gateway API v1.5.1 bundle", () => {
    let catalog: CrdCatalog;
    let loadMs: number;

    before(() => {
        const start = Date.now();
        catalog = CrdCatalog.fromFiles([gatewayBundle]);
        loadMs = Date.now() - start;
    });

    it("loads and compiles the 1 MB bundle well under 2 s", () => {
        assert.ok(loadMs < 2000, `loading took ${loadMs} ms`);
        for (const kind of ["Gateway", "HTTPRoute", "GatewayClass", "GRPCRoute", "TLSRoute", "ReferenceGrant"]) {
            assert.ok(catalog.kinds().includes(`${GW} ${kind}`), `${kind} missing from ${catalog.kinds().join(", ")}`);
        }
    });

    it("compiles every CEL rule in the bundle; only oldSelf transition rules are skipped", () => {
        const report = catalog.celRules();
        const all = rulesIn(gatewayBundle);
        const failures = report.failures.map((f) => `${f.crd} ${f.path}: ${f.rule}\n    ${f.error}`).join("\n");
        assert.strictEqual(report.failures.length, 0, `rules that do not compile:\n${failures}`);
        assert.strictEqual(report.compiled + report.transition, all.length, "every rule in the bundle is accounted for");
        assert.strictEqual(report.transition, all.filter((r) => /\boldSelf\b/.test(r)).length, "transition rules are exactly the oldSelf ones");
        assert.ok(report.compiled > 200, `only ${report.compiled} rules compiled`);
    });

    describe("Gateway", () => {
        it("accepts an HTTP listener and an HTTPS listener with a certificate Secret", () => {
            const defaulted = assertValid(catalog, gateway([httpListener, httpsListener]));
            assert.strictEqual(defaulted.spec.listeners[1].tls.mode, "Terminate", "tls.mode defaults to Terminate");
            assert.strictEqual(defaulted.spec.listeners[1].tls.certificateRefs[0].group, "", "certificateRefs group defaults to core");
        });

        it("rejects two listeners with the same name, with the CRD's message", () => {
            assertViolation(catalog, gateway([httpListener, { ...httpListener, port: 8080 }]), {
                path: "spec.listeners",
                message: "Listener name must be unique within the Gateway",
            });
        });

        it("rejects TLS on an HTTP listener (CEL rule over the list)", () => {
            assertViolation(catalog, gateway([{ ...httpListener, tls: { certificateRefs: [{ name: "x" }] } }]), {
                path: "spec.listeners",
                message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
            });
        });

        it("rejects a missing required field and then skips CEL rules, as the API server does", () => {
            const obj = gateway([httpListener]);
            delete (obj.spec as { gatewayClassName?: string }).gatewayClassName;
            assertViolation(catalog, obj, { path: "spec.gatewayClassName", message: "Required value" });
            assertViolation(catalog, obj, { path: "", message: "some validation rules were not checked" });
        });

        it("rejects a wrong type and an out-of-range port", () => {
            assertViolation(catalog, gateway([{ ...httpListener, port: "80" }]), { path: "spec.listeners[0].port", message: "must be of type integer" });
            assertViolation(catalog, gateway([{ ...httpListener, port: 0 }]), { path: "spec.listeners[0].port", message: "greater than or equal to 1" });
        });

        it("rejects an unknown field, which the API server would silently prune", () => {
            const obj = gateway([httpListener]);
            (obj.spec as Record<string, unknown>).foo = "bar";
            assertViolation(catalog, obj, { path: "spec.foo", message: "Unknown field" });
        });

        it("requires metadata.name", () => {
            assertViolation(catalog, { ...gateway([httpListener]), metadata: { namespace: "echo" } }, { path: "metadata.name", message: "Required value" });
        });
    });

    describe("HTTPRoute", () => {
        it("accepts the echo route", () => {
            assertValid(catalog, httpRoute(prefixRule("/vericonf")));
        });

        it("applies defaults: match path type PathPrefix, backendRef weight 1, kind Service, group core", () => {
            const defaulted = assertValid(
                catalog,
                httpRoute({ matches: [{ path: { value: "/vericonf" } }], backendRefs: [{ name: "veri-service", port: 80 }] }),
            );
            const rule = defaulted.spec.rules[0];
            assert.strictEqual(rule.matches[0].path.type, "PathPrefix");
            assert.deepStrictEqual(rule.backendRefs[0], { name: "veri-service", port: 80, group: "", kind: "Service", weight: 1 });
            assert.strictEqual(defaulted.spec.parentRefs[0].kind, "Gateway");
        });

        it("defaults a rule without matches to PathPrefix /", () => {
            const defaulted = assertValid(catalog, httpRoute({ backendRefs: [{ name: "veri-service", port: 80 }] }));
            assert.deepStrictEqual(defaulted.spec.rules[0].matches, [{ path: { type: "PathPrefix", value: "/" } }]);
        });

        it("rejects a RequestRedirect filter together with backendRefs, with the CRD's message", () => {
            const rule = { ...prefixRule("/vericonf"), filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] };
            assertViolation(catalog, httpRoute(rule), { path: "spec.rules[0]", message: "RequestRedirect filter must not be used together with backendRefs" });
        });

        it("rejects a path containing //", () => {
            assertViolation(catalog, httpRoute(prefixRule("/a//b")), { path: "spec.rules[0].matches[0].path", message: "must not contain '//'" });
        });

        it("rejects a path ending in /..", () => {
            assertViolation(catalog, httpRoute(prefixRule("/a/..")), { path: "spec.rules[0].matches[0].path", message: "must not end with '/..'" });
        });

        it("rejects a Service backendRef without a port", () => {
            assertViolation(catalog, httpRoute({ backendRefs: [{ name: "veri-service" }] }), { message: "Must have port for Service reference" });
        });

        it("reads escaped property names: parentRefs' `namespace` is `__namespace__` in the CRD's rules", () => {
            const ref = { name: "echo-gateway", namespace: "echo", sectionName: "http" };
            assertViolation(catalog, httpRoute(prefixRule("/"), [ref, ref]), {
                path: "spec.parentRefs",
                message: "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
            });
            // Same name and section in another namespace: a different parent, which the rules only see through __namespace__.
            assertValid(catalog, httpRoute(prefixRule("/"), [ref, { ...ref, namespace: "other" }]));
        });
    });

    describe("TLSRoute (Kubernetes isIP library function)", () => {
        const tlsRoute = (hostnames: string[]) => ({
            apiVersion: GW,
            kind: "TLSRoute",
            metadata: { name: "echo-tls", namespace: "echo" },
            spec: { parentRefs: [{ name: "echo-gateway" }], hostnames, rules: [{ backendRefs: [{ name: "veri-service", port: 443 }] }] },
        });

        it("accepts DNS hostnames", () => {
            assertValid(catalog, tlsRoute(["echo.example.com", "*.example.com"]));
        });

        it("rejects an IP address as hostname", () => {
            assertViolation(catalog, tlsRoute(["10.0.0.1"]), { path: "spec.hostnames", message: "Hostnames cannot contain an IP" });
        });
    });

    it("throws for an apiVersion/kind no served CRD version defines", () => {
        assert.throws(() => catalog.validate({ apiVersion: "gateway.networking.k8s.io/v1alpha2", kind: "TLSRoute" }), /no served CustomResourceDefinition/);
    });
});

describe("CRD validation: cert-manager CRDs", () => {
    let catalog: CrdCatalog;
    const certificate = (spec: Record<string, unknown>) => ({ apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "echo" }, spec });

    before(() => {
        catalog = CrdCatalog.fromFiles(upstreamFiles("cert-manager", "v1.21.1", "crds/"));
    });

    it("loads the CRDs and compiles their rules", () => {
        assert.ok(catalog.kinds().includes("cert-manager.io/v1 Certificate"), catalog.kinds().join(", "));
        assert.deepStrictEqual(catalog.celRules().failures, []);
    });

    it("accepts a minimal Certificate", () => {
        assertValid(
            catalog,
            certificate({ secretName: "echo-tls", dnsNames: ["echo.example.com"], issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } }),
        );
    });

    it("rejects a Certificate without secretName", () => {
        assertViolation(catalog, certificate({ dnsNames: ["echo.example.com"], issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } }), {
            path: "spec.secretName",
            message: "Required value",
        });
    });
});
