/*
 * Usage: ts-node scripts/e2e-check.ts <outputs.json> <expected text> [--port-forward]
 * where outputs.json is `pulumi stack output --json`. Exits non-zero when any URL fails.
 * Needs the stack deployed on a reachable cluster (the e2e workflow, or a local kind cluster).
 */
import * as fs from "fs";
import { checkStackOutputs, StackOutputs } from "./checkUrls";

async function main(): Promise<void> {
    const [file, text, ...flags] = process.argv.slice(2);
    if (!file || !text) {
        console.error("usage: e2e-check <outputs.json> <expected text> [--port-forward]");
        process.exit(2);
    }
    const outputs = JSON.parse(fs.readFileSync(file, "utf8")) as StackOutputs;
    const checks = await checkStackOutputs(outputs, text, { portForward: flags.includes("--port-forward") });
    for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.what} ${c.url} -> ${c.detail}`);
    const failed = checks.filter((c) => !c.ok).length;
    console.log(`${checks.length - failed} passed, ${failed} failed`);
    process.exit(failed > 0 || checks.length === 0 ? 1 : 0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
