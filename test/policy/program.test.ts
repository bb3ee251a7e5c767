/*
 * The real program, per shipped stack, under the policy pack: no mandatory violation may remain
 * (advisory ones are listed but allowed). This is what `pulumi preview --policy-pack policy`
 * would block, found without a cluster or the Pulumi CLI.
 */
import * as assert from "assert";
import { runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";
import { checkResources, fromMocks, Violation } from "./harness";

const show = (v: Violation) => `  [${v.policy}] ${v.urn.split("::").slice(-2).join(" ")}: ${v.message}`;

describe("policy pack: shipped stacks", () => {
    for (const stack of shippedStacks()) {
        it(`stack ${stack} has no mandatory policy violations`, async () => {
            const run = await runProgram(stackConfig(stack), {}, stack);
            const violations = checkResources(fromMocks(run.mocks.resources, stack), stack);
            const mandatory = violations.filter((v) => v.enforcement === "mandatory");
            assert.ok(
                mandatory.length === 0,
                `stack ${stack}: ${mandatory.length} mandatory policy violation(s):\n${mandatory.map(show).join("\n")}\n` +
                    `(advisory: ${violations.length - mandatory.length})\n${violations
                        .filter((v) => v.enforcement !== "mandatory")
                        .map(show)
                        .join("\n")}`,
            );
        });
    }
});
