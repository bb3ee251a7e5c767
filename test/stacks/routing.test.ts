import * as assert from "assert";
import { runProgram, runProgramExpectingError } from "../support/program";

/*
 * Issue 18: the routing (hosts, paths, TLS, the redirect) has its own top-level key, which the
 * Ingress and the Gateway both read; under `ingress` it keeps working, with a warning.
 */

const routing = {
    hosts: ["echo.example.com", { host: "api.example.com", path: "/v1" }],
    tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }],
    sslRedirect: false,
};

describe("the routing key", () => {
    it("routing and its old place under ingress declare the same Ingress and HTTPRoutes", async () => {
        const now = await runProgram({ exposures: "ingress,gateway", routing });
        const old = await runProgram({ exposures: "ingress,gateway", ingress: routing });
        const shape = (run: Awaited<ReturnType<typeof runProgram>>) =>
            run.objects.filter((o) => o.kind === "Ingress" || o.kind === "HTTPRoute").map((o) => ({ kind: o.kind, metadata: o.metadata.name, spec: o.spec }));
        assert.deepStrictEqual(shape(now), shape(old));
        assert.deepStrictEqual(now.outputs.ingressUrls, old.outputs.ingressUrls);
        assert.deepStrictEqual(now.warnings, []);
    });

    it("the old place warns in the preview, naming each key to move", async () => {
        for (const [ingress, keys] of [
            [{ hosts: ["a.example.com"] }, "ingress.hosts"],
            [{ path: "/x", pathType: "Exact" }, "ingress.path, ingress.pathType"],
            [
                { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"], secretName: "t" }], sslRedirect: false },
                "ingress.hosts, ingress.tls, ingress.sslRedirect",
            ],
        ] as const) {
            const run = await runProgram({ exposures: "ingress", ingress });
            assert.ok(
                run.warnings.some((w) => w.startsWith(`${keys}: deprecated; move`)),
                run.warnings.join("\n"),
            );
        }
    });

    for (const [key, ingress] of [
        ["ingress.hosts", { hosts: ["b.example.com"] }],
        ["ingress.path", { path: "/other" }],
        ["ingress.sslRedirect", { sslRedirect: true }],
    ] as const) {
        it(`refuses ${key} beside routing (one would silently win)`, async () => {
            const { error, registered } = await runProgramExpectingError({ exposures: "ingress", routing, ingress });
            assert.ok(error.message.startsWith(`Invalid config '${key}'`), error.message);
            assert.match(error.message, /set it once, as routing\./);
            assert.strictEqual(registered, 0);
        });
    }

    for (const [why, bad, key] of [
        ["a bad host", { hosts: ["Echo.Example.com"] }, "routing.hosts[0]"],
        ["a bad path", { path: "no-slash" }, "routing.path"],
        ["a TLS entry without a Secret", { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"] }] }, "routing.tls[0].secretName"],
        ["an unknown key", { host: "a.example.com" }, "routing.host"],
    ] as const) {
        it(`errors name the routing key where the value was set: ${why}`, async () => {
            const { error, registered } = await runProgramExpectingError({ exposures: "ingress,gateway", routing: bad });
            assert.ok(error.message.startsWith(`Invalid config '${key}'`), error.message);
            assert.strictEqual(registered, 0);
        });
    }
});
