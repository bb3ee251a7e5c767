import * as assert from "assert";
import { AnyFeature, Verdict } from "../../routing/feature";
import { ConfigError } from "../../config/errors";
import { errorsOf } from "../../config/schemaKit";

/** The feature's key read by its schema: the value, or the ConfigErrors (with key paths) it gives. */
export function read(feature: AnyFeature, raw: unknown): unknown {
    const parsed = feature.schema(feature.description).safeParse(raw);
    if (parsed.success) return parsed.data;
    // Placed as stacks/schema.ts places it, so errors name routing.<key>.
    const issues = parsed.error.issues.map((i) => ({ ...i, path: ["routing", feature.key, ...i.path] }));
    throw errorsOf(issues, { routing: { [feature.key]: raw } }, "echo-exposure")[0];
}

/** Asserts the schema refuses `raw`, with a message matching `allowed`. */
export function refused(feature: AnyFeature, raw: unknown, allowed: RegExp): void {
    assert.throws(
        () => read(feature, raw),
        (e: unknown) => e instanceof ConfigError && allowed.test(e.message),
        `${JSON.stringify(raw)} should be refused with ${allowed}`,
    );
}

export const level = (v: Verdict) => v.level;
