import * as assert from "assert";
import { headers, NGF_DENIED_HEADERS } from "../../routing/features/headers";
import { read, refused } from "./support";

const route = { path: "/", pathType: "Prefix" };

describe("routing feature: headers", () => {
    it("renders RequestHeaderModifier and ResponseHeaderModifier filters (exact on the Gateway)", () => {
        const value = read(headers, { request: { set: { "X-Env": "dev" }, remove: ["X-Debug"] }, response: { add: { "X-Served-By": "echo" } } }) as object;
        assert.deepStrictEqual(headers.gateway(value), {
            filters: [
                { type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "X-Env", value: "dev" }], remove: ["X-Debug"] } },
                { type: "ResponseHeaderModifier", responseHeaderModifier: { add: [{ name: "X-Served-By", value: "echo" }] } },
            ],
            policies: [],
        });
        assert.strictEqual(headers.verdict(value).gateway.level, "exact");
    });
    it("ingress-nginx: unsupported without snippets, and no annotation is written", () => {
        assert.strictEqual(headers.verdict({}).ingress.level, "unsupported");
        assert.deepStrictEqual(headers.ingress({ request: { set: { a: "b" } } }), {});
    });
    for (const name of NGF_DENIED_HEADERS.request) {
        it(`refuses the request header ${name} (NGF refuses it)`, () =>
            assert.match(headers.refuses?.({ request: { set: { [name.toUpperCase()]: "x" } } }, route) ?? "", new RegExp(`request ${name}`)));
    }
    for (const name of [...NGF_DENIED_HEADERS.response, "x-accel-redirect"]) {
        it(`refuses the response header ${name}`, () =>
            assert.match(headers.refuses?.({ response: { remove: [name] } }, route) ?? "", new RegExp(`response ${name}`)));
    }
    it("refuses a header named twice in one direction, ignoring case", () =>
        assert.match(headers.refuses?.({ request: { set: { "X-A": "1" }, remove: ["x-a"] } }, route) ?? "", /x-a is named twice/));
    for (const value of ["$host", 'say "hi"', ""]) {
        it(`refuses the value ${JSON.stringify(value)} (NGINX syntax for NGF)`, () => refused(headers, { request: { set: { "X-A": value } } }, /without \$/));
    }
    it("lets other headers through", () =>
        assert.strictEqual(headers.refuses?.({ request: { add: { Host2: "x" } }, response: { set: { "Cache-Control": "no-store" } } }, route), undefined));
    for (const bad of [
        { request: { set: { "bad header": "x" } } },
        { request: { remove: "X-A" } },
        { request: { replace: {} } },
        { response: { set: { a: 1 } } },
    ]) {
        it(`refuses ${JSON.stringify(bad)}`, () => refused(headers, bad, /routing\.headers/));
    }
    it("refuses more than 16 headers in one change (the filter's maxItems)", () => {
        refused(headers, { request: { set: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`X-${i}`, "v"])) } }, /at most 16/);
    });
});
