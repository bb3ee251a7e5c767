import * as assert from "assert";
import { INGRESS_NGINX_BURST_MULTIPLIER, RATE_LIMIT_ANNOTATIONS, rateLimit, REJECT_CODE } from "../../routing/features/rateLimit";
import { read, refused } from "./support";

describe("routing feature: rateLimit", () => {
    const rows = [
        { value: { requestsPerSecond: 10 }, multiplier: String(INGRESS_NGINX_BURST_MULTIPLIER), burst: 10 * INGRESS_NGINX_BURST_MULTIPLIER },
        { value: { requestsPerSecond: 10, burst: 30 }, multiplier: "3", burst: 30 },
        { value: { requestsPerSecond: 7, burst: 0 }, multiplier: "0", burst: 0 },
    ];
    for (const row of rows) {
        it(`${JSON.stringify(row.value)}: limit-rps with the burst as a multiplier; a RateLimitPolicy with the same burst and 503`, () => {
            const value = read(rateLimit, row.value) as { requestsPerSecond: number };
            assert.deepStrictEqual(rateLimit.ingress(value), {
                [RATE_LIMIT_ANNOTATIONS.rps]: String(row.value.requestsPerSecond),
                [RATE_LIMIT_ANNOTATIONS.multiplier]: row.multiplier,
            });
            const [policy] = rateLimit.gateway(value).policies;
            assert.deepStrictEqual(policy.spec, {
                rateLimit: {
                    local: { rules: [{ rate: `${row.value.requestsPerSecond}r/s`, key: "$binary_remote_addr", burst: row.burst, noDelay: true }] },
                    rejectCode: REJECT_CODE,
                },
            });
            assert.strictEqual(rateLimit.refuses?.(value, { path: "/", pathType: "Prefix" }), undefined);
        });
    }
    it("refuses a burst ingress-nginx cannot express as a multiplier", () => {
        assert.match(
            rateLimit.refuses?.({ requestsPerSecond: 10, burst: 15 }, { path: "/", pathType: "Prefix" }) ?? "",
            /multiple of requestsPerSecond \(10\)/,
        );
    });
    for (const bad of [{}, { requestsPerSecond: 0 }, { requestsPerSecond: 1.5 }, { requestsPerSecond: "ten" }, { requestsPerSecond: 5, burst: -1 }]) {
        it(`refuses ${JSON.stringify(bad)}`, () => refused(rateLimit, bad, /routing\.rateLimit/));
    }

    describe("from an estate's annotations (npm run migrate)", () => {
        for (const [rps, multiplier, value] of [
            ["10", undefined, { requestsPerSecond: 10, burst: 10 * INGRESS_NGINX_BURST_MULTIPLIER }],
            ["10", "3", { requestsPerSecond: 10, burst: 30 }],
            ["10", "x", { requestsPerSecond: 10, burst: 10 * INGRESS_NGINX_BURST_MULTIPLIER }],
        ] as const) {
            it(`limit-rps ${rps}, limit-burst-multiplier ${multiplier}`, () => {
                const a = { [RATE_LIMIT_ANNOTATIONS.rps]: rps, ...(multiplier ? { [RATE_LIMIT_ANNOTATIONS.multiplier]: multiplier } : {}) };
                assert.deepStrictEqual(rateLimit.fromIngress!(a, [])?.value, value);
            });
        }
        it("a multiplier alone sets nothing; an rps that is no number sets nothing, with a note", () => {
            assert.strictEqual(rateLimit.fromIngress!({ [RATE_LIMIT_ANNOTATIONS.multiplier]: "3" }, []), undefined);
            assert.match(rateLimit.fromIngress!({ [RATE_LIMIT_ANNOTATIONS.rps]: "ten" }, [])!.notes[0], /no positive whole number/);
        });
    });
});
