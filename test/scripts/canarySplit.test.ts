import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { checkCanary, FALSE_ALARM, judgeHeader, judgeSplit, splitTolerance } from "../../scripts/canarySplit";

/* The e2e canary checker's arithmetic, and the checker against a fake proxy on 127.0.0.1 (no cluster). */

function binomialTail(n: number, p: number, outside: (k: number) => boolean): number {
    let total = 0;
    let pmf = Math.pow(1 - p, n);
    for (let k = 0; k <= n; k++) {
        if (outside(k)) total += pmf;
        pmf = (pmf * (n - k) * p) / ((k + 1) * (1 - p));
    }
    return total;
}

describe("the canary split tolerance", () => {
    for (const weight of [1, 10, 25, 50, 90, 99]) {
        it(`at ${weight} %, 100 requests: a correct split falls outside at most once in a billion runs, and the interval is no wider than that needs`, () => {
            const { low, high } = splitTolerance(100, weight);
            const p = weight / 100;
            assert.ok(binomialTail(100, p, (k) => k < low || k > high) <= FALSE_ALARM, `${low}-${high}`);
            // One count narrower on either side would cut more than the allowed tail.
            if (low > 0) assert.ok(binomialTail(100, p, (k) => k < low + 1) > FALSE_ALARM / 2, `low ${low} is tight`);
            if (high < 100) assert.ok(binomialTail(100, p, (k) => k > high - 1) > FALSE_ALARM / 2, `high ${high} is tight`);
        });
    }

    it("still catches a split that ignores the weight: 50/50 when 10 % was asked, or none at 30 %", () => {
        assert.ok(splitTolerance(100, 10).high < 50);
        assert.ok(splitTolerance(100, 30).low > 0);
        assert.ok(splitTolerance(100, 70).high < 100);
    });

    it("at 300 requests and 20 %, as the e2e workflow sends, also fails an even split", () => {
        const { low, high } = splitTolerance(300, 20);
        assert.ok(low > 0 && high < 150 && high < 300, `${low}-${high}`);
    });

    it("is exact at 0 and 100 %", () => {
        assert.deepStrictEqual(splitTolerance(100, 0), { low: 0, high: 0 });
        assert.deepStrictEqual(splitTolerance(100, 100), { low: 100, high: 100 });
    });

    it("judges counted answers: in range, out of range, and an answer that is neither text", () => {
        assert.strictEqual(judgeSplit({ stable: 88, canary: 12, other: [] }, 10).ok, true);
        assert.strictEqual(judgeSplit({ stable: 50, canary: 50, other: [] }, 10).ok, false);
        assert.strictEqual(judgeSplit({ stable: 99, canary: 1, other: [] }, 0).ok, false);
        assert.strictEqual(judgeSplit({ stable: 89, canary: 10, other: ["503 Service Temporarily Unavailable"] }, 10).ok, false);
        assert.match(judgeSplit({ stable: 90, canary: 10, other: [] }, 10).detail, /canary 10\/100 \(weight 10 %: \d+-\d+ expected\)/);
        assert.strictEqual(judgeHeader({ stable: 0, canary: 100, other: [] }).ok, true);
        assert.strictEqual(judgeHeader({ stable: 1, canary: 99, other: [] }).ok, false);
    });
});

describe("the canary checker against a fake proxy", () => {
    /** A proxy that sends `share` of requests to the canary, and every request with X-Canary: always. */
    async function proxy(share: number, honoursHeader = true): Promise<{ url: string; close: () => void }> {
        const server = http.createServer((req, res) => {
            const canary = (honoursHeader && req.headers["x-canary"] === "always") || Math.random() < share;
            res.end(canary ? "hello from the canary\n" : "hello from the dev stack\n");
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/vericonf`, close: () => server.close() };
    }
    const texts = { stableText: "hello from the dev stack", canaryText: "hello from the canary" };
    const canary = { weight: 20, header: { name: "X-Canary", value: "always" } };

    it("passes a proxy that splits as asked and honours the header", async () => {
        const p = await proxy(0.2);
        try {
            const checks = await checkCanary(canary, { gateway: [p.url] }, texts);
            assert.deepStrictEqual(
                checks.map((c) => [c.what, c.ok]),
                [
                    ["canary split (gateway)", true],
                    ["canary header X-Canary (gateway)", true],
                ],
                JSON.stringify(checks),
            );
        } finally {
            p.close();
        }
    });

    it("fails a proxy that ignores the weight, and one that ignores the header", async () => {
        const none = await proxy(0, false);
        try {
            const checks = await checkCanary(canary, { ingress: [none.url] }, texts);
            assert.deepStrictEqual(
                checks.map((c) => c.ok),
                [false, false],
                JSON.stringify(checks),
            );
        } finally {
            none.close();
        }
    });

    it("fails a proxy with no URL to count through", async () => {
        const checks = await checkCanary(canary, { ingress: ["pending: no address yet"] }, texts);
        assert.strictEqual(checks[0].ok, false);
    });
});
