import * as fs from "fs";
import * as path from "path";
import { AnyFeature } from "../feature";

/**
 * Every routing feature: each file of this folder that exports a Feature (durations.ts holds only
 * helpers). Read from the folder, so a new policy is its own file and its table test, and nothing
 * else lists it; sorted by key, so the schema, the docs and the report keep one order.
 */
export const FEATURES: readonly AnyFeature[] = fs
    .readdirSync(__dirname)
    .filter((f) => /^[a-zA-Z]+\.(ts|js)$/.test(f) && !/^index\./.test(f))
    .flatMap((f) => Object.values(require(path.join(__dirname, f)) as Record<string, unknown>).filter(isFeature))
    .sort((a, b) => a.key.localeCompare(b.key));

function isFeature(x: unknown): x is AnyFeature {
    return typeof x === "object" && x !== null && typeof (x as AnyFeature).key === "string" && typeof (x as AnyFeature).verdict === "function";
}
