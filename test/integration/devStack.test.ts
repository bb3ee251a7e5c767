import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkStackOutputs, StackOutputs } from "../../scripts/checkUrls";
import { ROOT } from "../support/program";
import { stackConfig } from "../support/stacks";

/*
 * The dev stack on a real cluster, through Pulumi's Automation API: up, GET every output URL (and
 * the port-forward; https against the dev CA), destroy. Opt in with ECHO_E2E=1 (`npm run test:integration`) on a machine
 * with the Pulumi CLI, kubectl, and the kind cluster from kind/cluster.yaml as the current context.
 * Without the opt-in, mocha reports it pending: it has not run, so it has not passed.
 * It destroys what it deployed, so it never touches a deployment it did not make: its state is a
 * fresh local file backend in a temp dir unless PULUMI_BACKEND_URL is set (as the README says), and
 * it refuses to start when the dev stack's namespaces already exist in the cluster (someone's
 * `pulumi up -s dev`). Creating the stack writes an encryptionsalt into Pulumi.dev.yaml: the test
 * puts the file back as it found it, so nothing of the run can be committed by accident.
 */
const STACK_FILE = path.join(ROOT, "Pulumi.dev.yaml");
const DEFAULT_PASSPHRASE = "echo-exposure-integration";
describe("integration: the dev stack on a real cluster", function () {
    before(function () {
        if (process.env.ECHO_E2E !== "1") this.skip();
        for (const tool of ["pulumi", "kubectl"]) {
            try {
                execFileSync(tool, ["version", ...(tool === "kubectl" ? ["--client"] : [])], { stdio: "ignore" });
            } catch {
                throw new Error(`ECHO_E2E=1 but '${tool}' is not on PATH: this test needs the Pulumi CLI and kubectl`);
            }
        }
        const context = String(stackConfig("dev")["kubernetes:context"]);
        const taken = ["echo", "ingress-nginx", "nginx-gateway", "cert-manager"].filter((ns) => {
            try {
                execFileSync("kubectl", ["--context", context, "get", "namespace", ns], { stdio: "ignore" });
                return true;
            } catch {
                return false;
            }
        });
        if (taken.length > 0) {
            throw new Error(
                `namespaces ${taken.join(", ")} already exist in ${context}: destroy that deployment first (this test deploys and destroys its own)`,
            );
        }
    });

    it("brings up dev, every output URL answers with the echo text, and destroys it", async function () {
        this.timeout(20 * 60 * 1000);
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-state-"));
        const envVars = {
            PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${stateDir}`,
            // Only for the throwaway local state made above; a real backend brings its own.
            PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? DEFAULT_PASSPHRASE,
        };
        const stackFileAsFound = fs.readFileSync(STACK_FILE, "utf8");
        if (/^encryptionsalt:/m.test(stackFileAsFound) && !process.env.PULUMI_CONFIG_PASSPHRASE) {
            throw new Error(
                "Pulumi.dev.yaml has an encryptionsalt (from an earlier `pulumi stack select --create dev`), which only the passphrase that made it opens: " +
                    "export that PULUMI_CONFIG_PASSPHRASE, or delete the encryptionsalt line",
            );
        }
        const context = String(stackConfig("dev")["kubernetes:context"]);
        const stack = await LocalWorkspace.createOrSelectStack({ stackName: "dev", workDir: ROOT }, { envVars }).catch((e: Error) => {
            fs.writeFileSync(STACK_FILE, stackFileAsFound);
            throw /incorrect passphrase/i.test(String(e))
                ? new Error(
                      `PULUMI_CONFIG_PASSPHRASE does not open the dev stack's secrets (its encryptionsalt or state was made with another one): ${e.message}`,
                  )
                : e;
        });
        try {
            await stack.up({ onOutput: (line) => process.stdout.write(line) });
            const raw = await stack.outputs();
            const outputs = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.value])) as unknown as StackOutputs;
            // The dev CA cert-manager made (what the tls output's trustCa writes to a file), so the
            // https URLs are verified against it; every host goes to the kind mappings on 127.0.0.1.
            const caSecret = execFileSync("kubectl", ["--context", context, "get", "secret", "echo-root-ca", "-n", "echo", "-o", "jsonpath={.data.ca\\.crt}"], {
                encoding: "utf8",
            });
            const ca = Buffer.from(caSecret, "base64").toString("utf8");
            const checks = await checkStackOutputs(outputs, String(stackConfig("dev").text), { portForward: true, context, ca, resolveTo: "127.0.0.1" });
            const failed = checks.filter((c) => !c.ok);
            assert.ok(checks.length > 0, "the dev stack has URLs to check");
            assert.deepStrictEqual(
                failed.map((c) => `${c.what} ${c.url}: ${c.detail}`),
                [],
            );
        } finally {
            try {
                await stack.destroy({ onOutput: (line) => process.stdout.write(line) });
            } finally {
                fs.writeFileSync(STACK_FILE, stackFileAsFound);
            }
        }
    });
});
