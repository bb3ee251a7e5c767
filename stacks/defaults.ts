import { z } from "zod";
import { CONFIG_SHAPE } from "./schema";
import { metaOf } from "../config/schemaKit";

/**
 * Every default of the stack config, as stacks/schema.ts declares them (the one place), collected
 * into one object: a section's defaults nest under its key. Keys without a default (nodePort, the
 * optional sections) are absent. Pulumi.yaml repeats the scalar ones in its `config:` block for
 * `pulumi config` users (the CLI applies those, not the SDK under test mocks): npm run schema:write
 * writes that block from the schema, and test/stacks/schema.test.ts fails when it is stale.
 */
export const DEFAULTS = defaultsOf(CONFIG_SHAPE);

function defaultsOf(shape: Record<string, z.ZodType>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(shape)) {
        const m = metaOf(s);
        if (m.shape && !m.optional) out[k] = defaultsOf(m.shape);
        else if (m.default !== undefined) out[k] = m.default;
    }
    return out;
}
