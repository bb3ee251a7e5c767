import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { DEFAULTS } from "../../stacks/defaults";
import { ROOT } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";

describe("Pulumi.yaml config block", () => {
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as any;
    const declared: Record<string, { type: string; default?: unknown; description?: string }> = project.config;

    it("is the echo-exposure nodejs project", () => {
        assert.strictEqual(project.name, "echo-exposure");
        assert.strictEqual(project.runtime.name, "nodejs");
    });

    it("declares every key with a type and a description", () => {
        for (const [key, decl] of Object.entries(declared)) {
            assert.ok(["string", "integer", "boolean", "array"].includes(decl.type), `${key}: type`);
            assert.ok(decl.description, `${key}: description`);
        }
    });

    it("has the same defaults as the code (the CLI applies Pulumi.yaml's; the mocks only the code's)", () => {
        for (const [key, decl] of Object.entries(declared)) {
            assert.ok(key in DEFAULTS, `${key} is declared in Pulumi.yaml but has no default in stacks/defaults.ts`);
            assert.deepStrictEqual(decl.default, (DEFAULTS as Record<string, unknown>)[key], `default of ${key}`);
        }
    });

    it("declares every scalar default of the code", () => {
        for (const [key, value] of Object.entries(DEFAULTS)) {
            // exposures accepts a list or a string, which a typed Pulumi.yaml key could not express.
            if (key === "exposures" || typeof value === "object") continue;
            assert.ok(key in declared, `${key} has a default in code but is not declared in Pulumi.yaml`);
        }
    });
});

describe("shipped stack files against the Pulumi.yaml types", () => {
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as any;
    const jsType: Record<string, string> = { string: "string", integer: "number", boolean: "boolean" };
    for (const stack of shippedStacks()) {
        it(`Pulumi.${stack}.yaml gives each typed key a value of its type`, () => {
            const config = stackConfig(stack);
            for (const [key, decl] of Object.entries<any>(project.config)) {
                if (!(key in config)) continue;
                assert.strictEqual(typeof config[key], jsType[decl.type], `${stack}: ${key} is declared ${decl.type} in Pulumi.yaml`);
            }
        });
    }
});
