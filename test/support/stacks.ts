import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { PROJECT, ROOT, StackConfig } from "./program";

/** The stacks shipped in the repo: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function shippedStacks(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined && s !== "README");
}

/** A stack file's config, as the CLI would hand it to the program. */
export function stackConfig(stack: string): StackConfig {
    const doc = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const config: StackConfig = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        config[key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key] = value;
    }
    return config;
}
