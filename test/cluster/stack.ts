import { EngineEvent, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";
import { ROOT } from "../support/program";
import { OperationTimes } from "./criticalPath";
import { clusterEnv, TOOLS } from "./harness";

/*
 * The stacks test:cluster and bench:up drive: the program runs as an Automation API inline
 * program (the CLI is started with --client), so pulumi-language-nodejs, which the Go module
 * proxy refuses here, is never needed.
 */

export const INDEX = path.join(ROOT, "index.ts");
export const PASSPHRASE = "echo-exposure-test-cluster";

/** The real program (or an older checkout's, for the upgrade), loaded afresh for each operation (its module code declares the resources). */
function programAt(index: string): () => Promise<Record<string, unknown>> {
    return async () => {
        delete require.cache[require.resolve(index)];
        return { ...require(index) };
    };
}

export async function openStack(stack: string, workDir: string, backend: string, index = INDEX, cli = TOOLS): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
        { stackName: stack, projectName: "echo-exposure", program: programAt(index) },
        {
            workDir,
            // The CLI cluster:build made (TOOLS/bin/pulumi), not whatever is on PATH; for the
            // upgrade's older deployment, an older CLI when one is named (its version may be below
            // what this SDK's Automation API asks for).
            pulumiCommand: await PulumiCommand.get({ root: cli, skipVersionCheck: cli !== TOOLS }),
            envVars: { ...clusterEnv(), PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
        },
    );
}

/** Records when each resource operation starts and ends, from the engine's event stream. */
export function timer(): { onEvent: (e: EngineEvent) => void; times: OperationTimes } {
    const times: OperationTimes = new Map();
    return {
        times,
        onEvent: (e) => {
            const now = Date.now();
            const pre = e.resourcePreEvent?.metadata;
            if (pre && pre.op !== "same") times.set(pre.urn, { start: now, end: now, op: pre.op });
            const done = e.resOutputsEvent?.metadata;
            const t = done && times.get(done.urn);
            if (t) t.end = now;
        },
    };
}
