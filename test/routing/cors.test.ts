import * as assert from "assert";
import { cors, CORS_DEFAULTS } from "../../routing/features/cors";
import { read, refused } from "./support";

const A = "nginx.ingress.kubernetes.io/";
const route = { path: "/", pathType: "Prefix" };

describe("routing feature: cors", () => {
    it("writes ingress-nginx's defaults to both proxies when only the origins are set", () => {
        const value = read(cors, { allowOrigins: ["https://app.example.com"] }) as { allowOrigins: string[] };
        assert.deepStrictEqual(cors.ingress(value), {
            [A + "enable-cors"]: "true",
            [A + "cors-allow-origin"]: "https://app.example.com",
            [A + "cors-allow-methods"]: CORS_DEFAULTS.allowMethods.join(", "),
            [A + "cors-allow-headers"]: CORS_DEFAULTS.allowHeaders.join(","),
            [A + "cors-allow-credentials"]: "true",
            [A + "cors-max-age"]: "1728000",
        });
        assert.deepStrictEqual(cors.gateway(value).filters, [{ type: "CORS", cors: { allowOrigins: ["https://app.example.com"], ...CORS_DEFAULTS } }]);
    });
    it("passes every set field through", () => {
        const value = read(cors, {
            allowOrigins: ["*"],
            allowMethods: ["GET"],
            allowHeaders: ["X-A"],
            exposeHeaders: ["X-Id"],
            allowCredentials: false,
            maxAge: 60,
        }) as { allowOrigins: string[] };
        assert.deepStrictEqual(cors.gateway(value).filters[0], {
            type: "CORS",
            cors: { allowOrigins: ["*"], allowMethods: ["GET"], allowHeaders: ["X-A"], exposeHeaders: ["X-Id"], allowCredentials: false, maxAge: 60 },
        });
        assert.strictEqual(cors.ingress(value)[A + "cors-expose-headers"], "X-Id");
    });
    it("is exact on ingress-nginx and approximate on NGF (its OPTIONS answers; wildcards across labels)", () => {
        assert.strictEqual(cors.verdict({ allowOrigins: ["https://a.example.com"] }).ingress.level, "exact");
        const v = cors.verdict({ allowOrigins: ["https://*.example.com"] }).gateway;
        assert.strictEqual(v.level, "approximate");
        assert.match(v.level === "approximate" ? v.how : "", /OPTIONS.*200.*any number of labels/);
    });
    it("refuses * beside other origins, and no origin", () => {
        assert.match(cors.refuses?.({ allowOrigins: ["*", "https://a.example.com"] }, route) ?? "", /\* alone/);
        assert.match(cors.refuses?.({ allowOrigins: [] }, route) ?? "", /at least one origin/);
    });
    for (const bad of [
        { allowOrigins: ["a.example.com"] },
        { allowOrigins: ["ftp://a.example.com"] },
        { allowOrigins: ["https://a.*.example.com"] },
        { allowOrigins: ["https://a.example.com"], allowMethods: ["*"] },
        { allowOrigins: ["https://a.example.com"], allowHeaders: ["X A"] },
        { allowOrigins: ["https://a.example.com"], maxAge: 0 },
    ]) {
        it(`refuses ${JSON.stringify(bad)}`, () => refused(cors, bad, /routing\.cors/));
    }

    describe("from an estate's annotations (npm run migrate)", () => {
        const A = "nginx.ingress.kubernetes.io/";
        it("enable-cors with its cors-* annotations", () => {
            const got = cors.fromIngress!(
                {
                    [A + "enable-cors"]: "true",
                    [A + "cors-allow-origin"]: "https://a.example.com, https://b.example.com",
                    [A + "cors-allow-methods"]: "GET, post",
                    [A + "cors-allow-credentials"]: "false",
                    [A + "cors-max-age"]: "600",
                },
                [],
            )!;
            assert.deepStrictEqual(got.value, {
                allowOrigins: ["https://a.example.com", "https://b.example.com"],
                allowMethods: ["GET", "POST"],
                allowCredentials: false,
                maxAge: 600,
            });
            assert.match(got.notes.join(), /upper case/);
        });
        it("no origin: ingress-nginx's *", () =>
            assert.deepStrictEqual((cors.fromIngress!({ [A + "enable-cors"]: "true" }, [])!.value as any).allowOrigins, ["*"]));
        it("cors-* without enable-cors: read, nothing set (ingress-nginx answers no CORS)", () => {
            const got = cors.fromIngress!({ [A + "cors-allow-origin"]: "https://a.example.com" }, [])!;
            assert.deepStrictEqual([got.value, got.read], [undefined, [A + "cors-allow-origin"]]);
        });
    });
});
