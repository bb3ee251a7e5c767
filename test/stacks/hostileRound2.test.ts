import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { pinnedImage } from "../../stacks/kubernetesValues";
import { ingressNginxRoutes } from "../../stacks/controllerRules";
import { ingressAnnotations } from "../../stacks/ingress";
import { parseRoutes } from "../../stacks/routes";
import { CONFIG_SHAPE } from "../../stacks/schema";
import { takesStructure } from "../../config/schemaKit";
import { runProgram } from "../support/program";

/*
 * Issue 24, round 2 of hostile configs: table tests of the pure rules (several variants each).
 */

const refuses = (fn: () => unknown, key: string, allowed: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof ConfigError && e.key === key && allowed.test(e.allowed), `expected ${key} refused with ${allowed}`);

describe("hostile configs, round 2 (issue 24)", () => {
    describe("1. Ingress paths the API server refuses (validateHTTPIngressPath), with only ingress on", () => {
        for (const pathType of ["Prefix", "Exact"] as const) {
            for (const path of ["/a//b", "//", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.", "/.."]) {
                it(`refuses ${pathType} ${path}`, () =>
                    refuses(() => parseRoutes("routing", { path, pathType, sslRedirect: true }), "routing.path", /API server accepts in an Ingress/));
            }
        }
        it("names a host's own path", () =>
            refuses(
                () => parseRoutes("routing", { path: "/ok", pathType: "Prefix", sslRedirect: true, hosts: [{ host: "a.example.com", path: "/x/../y" }] }),
                "routing.hosts[0].path",
                /it has '\/\.\.\/'/,
            ));
        for (const path of ["/a.b", "/.well-known/x", "/a/..b", "/v1.0/"]) {
            it(`accepts ${path}`, () => assert.strictEqual(parseRoutes("routing", { path, pathType: "Prefix", sslRedirect: true }).routes[0].path, path));
        }
    });

    describe("4. registry ports outside 1-65535", () => {
        for (const image of [
            "registry.example.com:0/echo:1.0",
            "registry.example.com:65536/echo:1.0",
            "localhost:99999/echo:1.0",
            "[2001:db8::1]:70000/echo:1.0",
        ]) {
            it(`refuses ${image}`, () => refuses(() => pinnedImage("image", image), "image", /port \d+ is not 1-65535/));
        }
        for (const image of [
            "registry.example.com:1/echo:1.0",
            "registry.example.com:65535/echo:1.0",
            "localhost:5000/echo:1.0",
            "[2001:db8::1]:5000/echo:1.0",
        ]) {
            it(`accepts ${image}`, () => assert.strictEqual(pinnedImage("image", image), image));
        }
    });

    describe("8. canary annotations on the main Ingress", () => {
        for (const name of ["canary", "canary-weight", "canary-by-header", "canary-by-cookie"]) {
            const annotation = `nginx.ingress.kubernetes.io/${name}`;
            it(`refuses ${annotation}`, () =>
                refuses(() => ingressAnnotations("ingress.annotations", { [annotation]: "true" }), `ingress.annotations.${annotation}`, /set the canary key/));
        }
        it("lets a look-alike through", () =>
            assert.deepStrictEqual(ingressAnnotations("ingress.annotations", { "example.com/canary": "x" }), { "example.com/canary": "x" }));
    });

    describe("12. a literal ImplementationSpecific path no request reaches once NGINX normalised it", () => {
        const check = (path: string, annotations: Record<string, string> = {}) =>
            ingressNginxRoutes([{ path, pathType: "ImplementationSpecific" }], annotations, "ingress.annotations", () => "routing.path");
        for (const path of ["/a//b", "//", "/a/./b", "/a/../b", "/a/.", "/a/..", "/./x"]) {
            it(`refuses ${path}`, () => refuses(() => check(path), "routing.path", /NGINX merges '\/\/' and resolves '\.' and '\.\.' segments/));
        }
        for (const path of ["/a#b", "/a%20b", "/a b", "/a..b/c", "/.well-known"]) it(`accepts ${path}`, () => check(path));
        it("leaves regex paths alone (use-regex)", () => check("/a/.+//?", { "nginx.ingress.kubernetes.io/use-regex": "true" }));
    });

    describe("14. a scalar key's text that starts with '[' or '{' is the value, not JSON", () => {
        const structured = Object.entries(CONFIG_SHAPE)
            .filter(([, schema]) => takesStructure(schema))
            .map(([k]) => k);
        it("reads JSON only for keys that take a list or an object", () => {
            for (const k of ["exposures", "routing", "ingress", "gateway", "canary", "resources", "loadBalancer"]) assert.ok(structured.includes(k), k);
            for (const k of ["text", "image", "namespace", "serviceName", "nodeAddress", "nodePort"]) assert.ok(!structured.includes(k), k);
        });
        for (const text of ['{"status":"ok"}', "[beta] build 7", "[", "{}"]) {
            it(`text ${JSON.stringify(text)} is served as written`, async () => {
                const run = await runProgram({ text });
                const args = run.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec.containers[0].args as string[];
                assert.ok(args.includes(`-text=${text}`), JSON.stringify(args));
            });
        }
        it("an image on an [IPv6] registry is accepted", async () => {
            const image = "[2001:db8::1]:5000/team/echo:1.0";
            const run = await runProgram({ image });
            assert.strictEqual(run.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec.containers[0].image, image);
        });
    });
});
