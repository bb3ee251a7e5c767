import * as assert from "assert";
import { REWRITE_ANNOTATIONS, rewrite, rewriteRegex, rewriteTarget } from "../../routing/features/rewrite";
import { level, read, refused } from "./support";

describe("routing feature: rewrite", () => {
    // Each path and prefix: the Ingress's regex path and rewrite-target, and the HTTPRoute's filter.
    const cases = [
        { path: "/api", prefix: "/v1", regex: "/(?-i)api(/|$)(.*)", target: "/v1$1$2" },
        { path: "/api", prefix: "/", regex: "/(?-i)api(/|$)(.*)", target: "/$2" },
        { path: "/api", prefix: "/v1/", regex: "/(?-i)api(/|$)(.*)", target: "/v1/$2" },
        { path: "/", prefix: "/v1", regex: "/*(/)(.*)", target: "/v1$1$2" },
        { path: "/file.d/x_y-z", prefix: "/a.b", regex: "/(?-i)file\\.d/x_y-z(/|$)(.*)", target: "/a.b$1$2" },
    ];
    for (const c of cases) {
        it(`${c.path} with pathPrefix ${c.prefix}: ${c.regex} -> ${c.target} on ingress-nginx, ReplacePrefixMatch on the Gateway`, () => {
            const value = read(rewrite, { pathPrefix: c.prefix }) as { pathPrefix: string };
            assert.deepStrictEqual(rewrite.ingress(value), { [REWRITE_ANNOTATIONS.regex]: "true", [REWRITE_ANNOTATIONS.target]: c.target });
            const ingressPath = rewrite.ingressPath!(value, { path: c.path, pathType: "Prefix" });
            assert.deepStrictEqual(ingressPath, { path: c.regex, pathType: "ImplementationSpecific" });
            // The API server refuses an Ingress path that does not start with '/' (validateHTTPIngressPath).
            assert.ok(ingressPath.path.startsWith("/"));
            assert.deepStrictEqual(rewrite.gateway(value).filters, [
                { type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: c.prefix } } },
            ]);
            assert.strictEqual(rewrite.refuses!(value, { path: c.path, pathType: "Prefix" }), undefined);
            assert.deepStrictEqual(Object.values(rewrite.verdict(value)).map(level), ["exact", "exact"]);
        });
    }

    it("the regex matches what a Prefix path matches, case-sensitively, and the target gives the Gateway's path", () => {
        // `(?-i)` is PCRE; JavaScript reads the rest of the pattern the same way.
        const applied = (path: string, prefix: string, uri: string) => {
            const m = new RegExp(`^${rewriteRegex(path).replace("(?-i)", "")}`).exec(uri);
            return m ? rewriteTarget(prefix).replace("$1", m[1]).replace("$2", m[2]) : undefined;
        };
        assert.strictEqual(applied("/api", "/v1", "/api/x"), "/v1/x");
        assert.strictEqual(applied("/api", "/v1", "/api"), "/v1");
        assert.strictEqual(applied("/api", "/", "/api/x/y"), "/x/y");
        assert.strictEqual(applied("/api", "/", "/api"), "/");
        assert.strictEqual(applied("/", "/v1", "/x"), "/v1/x");
        assert.strictEqual(applied("/api", "/v1", "/apix"), undefined);
        assert.strictEqual(applied("/api", "/v1", "/API/x"), undefined);
    });

    for (const [path, pathType, why] of [
        ["/api", "Exact", /Prefix paths only \(this path is Exact\)/],
        ["/api/", "Prefix", /without a trailing '\/' \(\/api\/;/],
        ["/a[0-9]", "ImplementationSpecific", /this path is ImplementationSpecific/],
    ] as const) {
        it(`refuses it on ${pathType} path ${path}`, () => assert.match(rewrite.refuses!({ pathPrefix: "/v1" }, { path, pathType }) ?? "", why));
    }
    for (const bad of ["v1", "/v1//x", "/./x", "/x/..", "/a b", "/$1", "/a?b", "", 1, {}]) {
        it(`refuses pathPrefix ${JSON.stringify(bad)}`, () => refused(rewrite, { pathPrefix: bad }, /routing\.rewrite\.pathPrefix.*absolute path of letters/));
    }
    it("refuses a rewrite without pathPrefix", () => refused(rewrite, {}, /routing\.rewrite\.pathPrefix/));

    describe("from an estate's annotations (npm run migrate)", () => {
        const a = (target: string) => ({ [REWRITE_ANNOTATIONS.target]: target, [REWRITE_ANNOTATIONS.regex]: "true" });
        const regexPath = (path: string) => [{ path, pathType: "ImplementationSpecific" as const }];
        for (const [path, target, prefix, to] of [
            ["/api(/|$)(.*)", "/$2", "/", "/api"],
            ["/api(/|$)(.*)", "/v1$1$2", "/v1", "/api"],
            ["/api(/|$)(.*)", "/v1/$2", "/v1/", "/api"],
            ["/(?-i)a\\.b(/|$)(.*)", "/x$1$2", "/x", "/a.b"],
            ["/*(/)(.*)", "/v1$1$2", "/v1", "/"],
        ] as const) {
            it(`${path} with ${target}: Prefix ${to} with pathPrefix ${prefix}`, () => {
                const got = rewrite.fromIngress!(a(target), regexPath(path))!;
                assert.deepStrictEqual([got.value, got.paths], [{ pathPrefix: prefix }, { [path]: { path: to, pathType: "Prefix" } }]);
            });
        }
        for (const [path, target] of [
            ["/items/([0-9]+)", "/item/$1"],
            ["/api(/|$)(.*)", "/fixed"],
            ["/api(/|$)(.*)", "/v1$2"],
            ["/a.b(/|$)(.*)", "/$2"],
        ]) {
            it(`${path} with ${target}: no typed form (stays an ingress-nginx annotation)`, () =>
                assert.strictEqual(rewrite.fromIngress!(a(target), regexPath(path)), undefined));
        }
    });
});
