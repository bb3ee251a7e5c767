import * as assert from "assert";
import { runProgram } from "../support/program";
import { validateAgainstSchema } from "../support/schemas";
import { shippedStacks, stackConfig } from "../support/stacks";

describe("shipped stacks", () => {
    it("include dev", () => assert.ok(shippedStacks().includes("dev")));

    for (const stack of shippedStacks()) {
        it(`Pulumi.${stack}.yaml evaluates cleanly and every object it declares is valid against the Kubernetes schemas`, async () => {
            const run = await runProgram(stackConfig(stack), {}, stack);
            assert.ok(run.objects.length > 0);
            for (const obj of run.objects) validateAgainstSchema(obj);
        });
    }

    it("the schema check catches a malformed object (so it can fail)", () => {
        assert.throws(
            () => validateAgainstSchema({ apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { ports: [{ port: "80" }] } }),
            /must be integer/,
        );
        assert.throws(() => validateAgainstSchema({ apiVersion: "v1", kind: "Nonsense", metadata: {} }), /no schema/);
    });
});
