/*
 * What stacks/schema.ts generates: config.schema.json (the JSON Schema of a whole
 * Pulumi.<stack>.yaml, which editors use through the `# yaml-language-server: $schema=` line of
 * each stack file) and the `config:` block of Pulumi.yaml. `npm run schema:write` writes both;
 * test/stacks/schema.test.ts fails when a checked-in copy is stale.
 *
 *   ts-node scripts/configSchema.ts           # exits 1 and names the stale files
 *   ts-node scripts/configSchema.ts --write   # rewrites them
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_SHAPE } from "../stacks/schema";
import { JsonSchema, jsonSchemaOf, metaOf } from "../config/schemaKit";

const ROOT = path.resolve(__dirname, "..");
export const PROJECT = "echo-exposure";
export const SCHEMA_FILE = "config.schema.json";
/** The first line of every shipped stack file: editors with the YAML language server check it against the schema. */
export const SCHEMA_LINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`;

/** A Pulumi.yaml config type: the CLI checks a typed key's value before the program runs. */
type PulumiType = "string" | "integer" | "boolean";

/**
 * The type Pulumi.yaml gives a top-level key, or undefined for keys it cannot type: structured
 * ones, `exposures` (a list or a string), and keys without a default (the block states defaults).
 */
export function pulumiTypeOf(name: string): PulumiType | undefined {
    const m = metaOf(CONFIG_SHAPE[name as keyof typeof CONFIG_SHAPE]);
    if (m.shape || m.item || m.default === undefined || typeof m.default === "object") return undefined;
    return typeof m.default === "number" ? "integer" : typeof m.default === "boolean" ? "boolean" : "string";
}

const SECURE = { $ref: "#/$defs/secure" };

/** A value, or a secret in its place; in a map of strings (annotations), each value too. */
function orSecret(leaf: JsonSchema): JsonSchema {
    const values = leaf.additionalProperties;
    const widened = typeof values === "object" && values !== null ? { ...leaf, additionalProperties: { anyOf: [values, SECURE] } } : leaf;
    return { anyOf: [widened, SECURE] };
}

export function stackFileSchema(): JsonSchema {
    const names = Object.keys(CONFIG_SHAPE);
    const shared: Record<string, JsonSchema> = {};
    const properties = Object.fromEntries(
        names.map((name) => [
            `${PROJECT}:${name}`,
            // A whole key may be a secret, and so may any value inside one (`pulumi config set --secret --path`).
            // Typed keys take their value as a string too, as the CLI does (ValidateConfigValue, sdk v3.248.0).
            { anyOf: [jsonSchemaOf(CONFIG_SHAPE[name as keyof typeof CONFIG_SHAPE], orSecret, shared), SECURE] },
        ]),
    );
    return {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        title: `Pulumi.<stack>.yaml of ${PROJECT}`,
        description: `Generated from stacks/schema.ts by \`npm run schema:write\`; do not edit. Other namespaces (kubernetes:context) are not checked.`,
        type: "object",
        properties: {
            config: {
                type: "object",
                properties,
                // Any other key of the project's namespace is a typo the program refuses.
                propertyNames: { anyOf: [{ enum: Object.keys(properties) }, { not: { pattern: `^${PROJECT}:` } }] },
            },
            secretsprovider: { type: "string" },
            encryptedkey: { type: "string" },
            encryptionsalt: { type: "string" },
            environment: { type: "array", items: { type: "string" } },
        },
        $defs: {
            ...shared,
            secure: {
                description: "A secret, as `pulumi config set --secret` writes it.",
                type: "object",
                properties: { secure: { type: "string" } },
                required: ["secure"],
                additionalProperties: false,
            },
        },
    };
}

export function stackFileSchemaText(): string {
    return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}

/** Pulumi.yaml, whose `config:` block declares the keys the CLI can type, from the schema. */
export function pulumiYamlText(): string {
    const lines = [
        `name: ${PROJECT}`,
        "description: The http-echo app on Kubernetes, exposed every way Kubernetes offers; stack config picks the exposures, stack outputs give the URLs.",
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    packagemanager: npm",
        "# Generated from stacks/schema.ts by `npm run schema:write` (test/stacks/schema.test.ts fails when",
        "# it is stale). Only the keys Pulumi can type: a scalar with a default. `exposures` (a list or a",
        "# comma-separated string), `nodePort` (no default) and the structured keys are read and validated by",
        "# stacks/; config.schema.json describes every key for editors, docs/configuration.md for people.",
        "config:",
    ];
    for (const name of Object.keys(CONFIG_SHAPE)) {
        const type = pulumiTypeOf(name);
        if (!type) continue;
        const m = metaOf(CONFIG_SHAPE[name as keyof typeof CONFIG_SHAPE]);
        lines.push(`  ${name}:`, `    type: ${type}`, `    description: ${yamlScalar(m.description!)}`, `    default: ${yamlScalar(m.default)}`);
    }
    return `${lines.join("\n")}\n`;
}

/** A plain YAML scalar where it reads back as the same value, else a JSON (double-quoted) one. */
function yamlScalar(value: unknown): string {
    if (typeof value !== "string") return String(value);
    const plain = /^[A-Za-z][^:#]*$/.test(value) && !/^(true|false|yes|no|on|off|null)$/i.test(value) && !/[\s]$/.test(value) && !value.includes("`");
    return plain ? value : JSON.stringify(value);
}

export const GENERATED: Record<string, () => string> = { [SCHEMA_FILE]: stackFileSchemaText, "Pulumi.yaml": pulumiYamlText };

if (require.main === module) {
    const write = process.argv.includes("--write");
    const stale = Object.entries(GENERATED).filter(([file, text]) => {
        const target = path.join(ROOT, file);
        const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
        if (current === text()) return false;
        if (write) fs.writeFileSync(target, text());
        return true;
    });
    for (const [file] of stale) console.log(`${write ? "wrote" : "stale"}: ${file}`);
    if (stale.length > 0 && !write) {
        console.log("run: npm run schema:write");
        process.exit(1);
    }
}
