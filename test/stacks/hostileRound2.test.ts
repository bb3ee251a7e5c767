import * as assert from "assert";
import { ConfigError } from "../../stacks/errors";
import { pinnedImage } from "../../stacks/kubernetesValues";
import { parseRoutes } from "../../stacks/routes";

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
        for (const image of ["registry.example.com:0/echo:1.0", "registry.example.com:65536/echo:1.0", "localhost:99999/echo:1.0", "[2001:db8::1]:70000/echo:1.0"]) {
            it(`refuses ${image}`, () => refuses(() => pinnedImage("image", image), "image", /port \d+ is not 1-65535/));
        }
        for (const image of ["registry.example.com:1/echo:1.0", "registry.example.com:65535/echo:1.0", "localhost:5000/echo:1.0", "[2001:db8::1]:5000/echo:1.0"]) {
            it(`accepts ${image}`, () => assert.strictEqual(pinnedImage("image", image), image));
        }
    });
});
