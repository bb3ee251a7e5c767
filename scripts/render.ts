/*
 * Usage: npm run render -- <stack>   (or several stacks; no argument renders every shipped stack)
 *
 * Writes render/<stack>/manifests.yaml (every Kubernetes object the stack declares, as
 * multi-document YAML) and render/<stack>/outputs.json (its stack outputs), from the same
 * cluster-like mocks the tests use. Needs no cluster, no Pulumi CLI and no credentials, so a
 * reviewer can diff it in a pull request even from a fork.
 *
 * It is a render of what the program declares, NOT a `pulumi preview`: it shows no diff against
 * live state, and Helm releases and YAML config files appear as the inputs the program gives
 * them, not as the objects Helm would make. A mirror's folder in them is written as
 * $ECHO_EXPOSURE_MIRROR, so the render is the same on every machine.
 * Values the cluster assigns (allocated node ports, load-balancer addresses) are mock values.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { MIRROR_ENV } from "../upstream/resolver";
import { ROOT, runProgram } from "../test/support/program";
import { shippedStacks, stackConfig } from "../test/support/stacks";

const HEADER = [
    "# Rendered by `npm run render` from the program under mocks: what it declares, not a `pulumi preview`.",
    "# Helm releases and YAML files appear as their inputs (no Helm output). Node ports and addresses the cluster",
    "# would assign are mock values.",
].join("\n");

export interface Rendered {
    manifests: string;
    outputs: Record<string, unknown>;
    documents: number;
}

/** The manifests and outputs of one shipped stack, rendered from the program under mocks. */
export async function renderStack(stack: string): Promise<Rendered> {
    if (!shippedStacks().includes(stack)) throw new Error(`no Pulumi.${stack}.yaml here; stacks: ${shippedStacks().join(", ")}`);
    const run = await runProgram(stackConfig(stack), { deterministic: true }, stack);
    const docs = run.mocks.resources
        .filter((r) => r.custom)
        .map((r) => {
            if (r.type.startsWith("kubernetes:") && !r.type.includes("helm.sh") && !r.type.includes(":yaml/")) {
                const [, groupVersion, kind] = r.type.split(":");
                const { status: _status, ...declared } = r.inputs;
                void _status;
                return { apiVersion: groupVersion.replace(/^core\//, ""), kind, ...declared };
            }
            return { "# pulumi component": r.type, "# name": r.name, inputs: r.inputs };
        });
    const remote = run.mocks.resources
        .filter((r) => !r.custom && !r.type.startsWith("echo-exposure:"))
        .map((r) => ({ "# pulumi component": r.type, "# name": r.name, inputs: r.inputs }));
    const mirror = process.env[MIRROR_ENV];
    const dump = (d: unknown) => yaml.dump(d, { noRefs: true, sortKeys: false, lineWidth: 160 });
    const body = [...docs, ...remote].map((d) => (mirror ? dump(d).split(path.resolve(mirror)).join(`$${MIRROR_ENV}`) : dump(d))).join("---\n");
    return { manifests: `${HEADER}\n${body}`, outputs: run.outputs, documents: docs.length + remote.length };
}

async function writeRender(stack: string): Promise<void> {
    const rendered = await renderStack(stack);
    const dir = path.join(ROOT, "render", stack);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "manifests.yaml"), rendered.manifests);
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(rendered.outputs, null, 2) + "\n");
    console.log(`render/${stack}: ${rendered.documents} documents, outputs ${Object.keys(rendered.outputs).join(", ")}`);
}

async function main(): Promise<void> {
    const stacks = process.argv.slice(2);
    for (const stack of stacks.length > 0 ? stacks : shippedStacks()) {
        await writeRender(stack);
    }
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
