import * as assert from "assert";
import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { GENERATED, PROJECT, SCHEMA_FILE, SCHEMA_LINE, stackFileSchema } from "../../scripts/configSchema";
import { CONFIG_SHAPE } from "../../stacks/schema";
import { declaredKeys } from "../../config/schemaKit";
import { runProgramExpectingError, ROOT, StackConfig } from "../support/program";
import { shippedStacks } from "../support/stacks";

/*
 * stacks/schema.ts is the one place each key is declared: config.schema.json and Pulumi.yaml are
 * generated from it, docs/configuration.md is checked against it, and the schema an editor uses
 * flags what the program refuses, and nothing it takes.
 */

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const validator = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(read(SCHEMA_FILE)));

/** A stack file's document, as an editor's YAML language server checks it. */
function stackFile(config: StackConfig): unknown {
    return { config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k.includes(":") ? k : `${PROJECT}:${k}`, v])) };
}
const editorErrors = (doc: unknown) => (validator(doc) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe("the config schema", () => {
    for (const [file, text] of Object.entries(GENERATED)) {
        it(`${file} is what stacks/schema.ts generates (else run npm run schema:write)`, () => {
            assert.strictEqual(read(file), text(), `${file} is stale: run npm run schema:write`);
        });
    }

    for (const stack of shippedStacks()) {
        it(`Pulumi.${stack}.yaml names the schema on its first line, and the schema takes it`, () => {
            const text = read(`Pulumi.${stack}.yaml`);
            assert.strictEqual(text.split("\n")[0], SCHEMA_LINE);
            assert.deepStrictEqual(editorErrors(yaml.load(text)), []);
        });
    }

    // What an editor flags as it is typed: each of these the program refuses too.
    const flagged: { why: string; config: StackConfig }[] = [
        { why: "a misspelt top-level key", config: { replcas: 2 } },
        { why: "a misspelt nested key", config: { exposures: ["ingress"], ingress: { controller: { replcas: 2 } } } },
        { why: "an out-of-range number", config: { exposures: ["ingress"], canary: { text: "c", weight: 120 } } },
        { why: "a value outside an enum", config: { imagePullPolicy: "Sometimes" } },
        { why: "a typed key's word where a number belongs", config: { replicas: "two" } },
        { why: "a namespace that is no DNS label", config: { namespace: "Echo_NS" } },
        { why: "a canary without its text", config: { exposures: ["gateway"], canary: { weight: 5 } } },
        { why: "a TLS entry without a Secret", config: { exposures: ["ingress"], routing: { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"] }] } } },
        { why: "a header name that is no HTTP token", config: { exposures: ["gateway"], canary: { text: "c", header: { name: "X Canary" } } } },
    ];
    for (const c of flagged) {
        it(`flags ${c.why} in the editor, and the program refuses it`, async () => {
            assert.notDeepStrictEqual(editorErrors(stackFile(c.config)), [], "the schema flags it");
            const { error } = await runProgramExpectingError(c.config);
            assert.strictEqual(error.name, "ConfigError", error.stack);
        });
    }

    it("flags nothing the program takes: the shipped stacks' values, and each key's default", () => {
        const defaults = stackFile({ canary: { text: "c" }, exposures: "clusterIP,ingress" });
        assert.deepStrictEqual(editorErrors(defaults), []);
        // What `pulumi config set` writes: every top-level value a string (the CLI takes "3" for an integer key).
        assert.deepStrictEqual(editorErrors(stackFile({ replicas: "3", createNamespace: "false", servicePort: "8080", nodePort: "30080" })), []);
        // A secret is a { secure } object in the stack file, for any key, and for any value inside one (--secret --path).
        assert.deepStrictEqual(editorErrors(stackFile({ text: { secure: "v1:abc" } })), []);
        assert.deepStrictEqual(
            editorErrors(
                stackFile({
                    certManager: { issuer: "letsEncrypt", acme: { email: { secure: "v1:abc" } } },
                    ingress: { annotations: { a: { secure: "v1:x" } } },
                }),
            ),
            [],
        );
        // Other namespaces are not the schema's to check.
        assert.deepStrictEqual(editorErrors(stackFile({ "kubernetes:context": "kind-echo", "aws:region": "eu-west-1" })), []);
    });

    it("describes every key in config.schema.json, for the editor's hover", () => {
        const missing: string[] = [];
        const walk = (node: Record<string, any>, at: string) => {
            if (!node.description && !node.$ref && !node.anyOf?.some((b: any) => b.description)) missing.push(at);
            for (const [k, child] of Object.entries<any>(node.properties ?? {})) walk(child, `${at}.${k}`);
            for (const branch of node.anyOf ?? [])
                if (!branch.$ref) for (const [k, child] of Object.entries<any>(branch.properties ?? {})) walk(child, `${at}.${k}`);
            if (node.items) walk(node.items, `${at}[]`);
        };
        for (const [k, node] of Object.entries<any>((stackFileSchema() as any).properties.config.properties)) walk(node, k);
        assert.deepStrictEqual(missing, []);
    });
});

describe("docs/configuration.md against the schema", () => {
    const doc = read("docs/configuration.md");
    /** Each table row's keys (`a`, `b` in the first cell) and its default cell. */
    const rows = [...doc.matchAll(/^\| (`[^|]+`(?:, `[^|]+`)*) \| ([^|]*) \|/gm)].map((m) => ({
        keys: [...m[1].matchAll(/`([^`]+)`/g)].map((k) => k[1]),
        defaultCell: m[2],
    }));
    // "`gateway.controller.sourceRanges`, `serviceAnnotations`": a bare name continues the first key's section.
    const documented = new Map<string, string>();
    for (const row of rows) {
        const section = row.keys[0].includes(".") ? row.keys[0].slice(0, row.keys[0].lastIndexOf(".") + 1) : "";
        for (const k of row.keys) documented.set(k.includes(".") || section === "" ? k : `${section}${k}`, row.defaultCell);
    }
    const declared = declaredKeys(CONFIG_SHAPE).filter((d) => !d.meta.deprecated);
    const names = new Set(declared.map((d) => d.key));

    it("documents only keys the schema declares", () => {
        assert.deepStrictEqual(
            [...documented.keys()].filter((k) => !names.has(k)),
            [],
        );
    });

    it("documents every declared key, itself or as part of a documented key", () => {
        const covered = (k: string): boolean => documented.has(k) || (k.includes(".") && covered(k.slice(0, k.lastIndexOf("."))));
        const undocumented = declared.filter((d) => !d.meta.shape && !covered(d.key)).map((d) => d.key);
        assert.deepStrictEqual(undocumented, []);
    });

    it("gives each key the schema's default", () => {
        const wrong: string[] = [];
        for (const { key, meta } of declared) {
            const cell = documented.get(key);
            if (cell === undefined || meta.shape) continue;
            const expected = meta.defaultText ?? (meta.default === undefined || typeof meta.default === "object" ? undefined : `\`${meta.default}\``);
            if (expected !== undefined && !cell.includes(expected)) wrong.push(`${key}: docs say ${cell.trim()}, the schema ${expected}`);
        }
        assert.deepStrictEqual(wrong, []);
    });
});
