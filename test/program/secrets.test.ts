import * as assert from "assert";
import { runProgram } from "../support/program";

/*
 * Issue 24.5: a value set with `pulumi config set --secret` stays secret in what the program
 * declares and exports (the engine then encrypts it in state and masks it in previews). Checked on
 * the wire, as the engine receives each registration: Pulumi's secret signature around the value.
 */

/** Pulumi's signature for a secret value on the wire (sdk/nodejs/runtime/rpc.ts, specialSecretSig). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

describe("secret config stays secret (issue 24.5)", () => {
    const wireOf = (run: Awaited<ReturnType<typeof runProgram>>, type: string, name: string) =>
        run.registrations.find((r) => r.type === type && r.name === name)!.wire;

    it("a plain text is sent in the clear, as the control for the checks below", async () => {
        const run = await runProgram({ text: "public words" });
        const wire = wireOf(run, DEPLOYMENT, "echo-deployment");
        assert.ok(wire.includes("public words") && !wire.includes(SECRET_SIG));
    });

    for (const [what, config, secret, type, name, value] of [
        ["text", { text: "s3cret words" }, ["text"], DEPLOYMENT, "echo-deployment", "s3cret words"],
        [
            "canary (the whole key)",
            { exposures: "gateway", canary: { text: "canary s3cret" } },
            ["canary"],
            DEPLOYMENT,
            "echo-canary-app-deployment",
            "canary s3cret",
        ],
        [
            "certManager (the ACME e-mail)",
            {
                exposures: "ingress",
                routing: { hosts: ["echo.echo-exposure-tests.dev"], tls: [{ hosts: ["echo.echo-exposure-tests.dev"], secretName: "echo-tls" }] },
                certManager: { issuer: "letsEncrypt", acme: { email: "ops@echo-exposure-tests.dev" } },
            },
            ["certManager"],
            "kubernetes:cert-manager.io/v1:Issuer",
            undefined,
            "ops@echo-exposure-tests.dev",
        ],
    ] as [string, Record<string, unknown>, string[], string, string | undefined, string][]) {
        it(`${what}: marked secret in the inputs it reaches`, async () => {
            const run = await runProgram(config, {}, "test", secret);
            const wires = name ? [wireOf(run, type, name)] : run.registrations.filter((r) => r.type === type && r.wire.includes(value)).map((r) => r.wire);
            assert.ok(wires.length > 0, `a ${type} carries ${value}`);
            for (const wire of wires) {
                assert.ok(wire.includes(SECRET_SIG), `${type} carries ${value} as a secret: ${wire.slice(0, 300)}`);
            }
        });
    }
});
