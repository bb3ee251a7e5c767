import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, runProgram } from "../support/program";
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

    for (const stack of shippedStacks()) {
        // `pulumi stack select --create` writes the local passphrase's salt into the stack file.
        // Committed, it breaks every run with another passphrase ("incorrect passphrase": the e2e
        // workflow's random one) and makes a Pulumi Cloud stack switch secrets managers.
        it(`Pulumi.${stack}.yaml carries no encryptionsalt`, () => {
            const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
            assert.doesNotMatch(text, /^encryptionsalt:/m, "remove it: git checkout -- or delete the line; see README 'Stack files'");
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
