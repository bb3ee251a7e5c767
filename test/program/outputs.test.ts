import * as assert from "assert";
import { runProgram } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";

/** Every string anywhere in an output value. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (value && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

describe("stack outputs", () => {
    const configs: Record<string, Record<string, unknown>> = {
        default: {},
        everything: { exposures: "clusterIP,nodePort,loadBalancer" },
        "no address yet": { exposures: "loadBalancer,nodePort", loadBalancer: { skipAwait: true } },
    };
    for (const stack of shippedStacks()) configs[`stack ${stack}`] = stackConfig(stack);

    for (const [name, config] of Object.entries(configs)) {
        it(`never shows undefined, null or [object Object] (${name})`, async () => {
            const run = await runProgram(config, { loadBalancer: "none" });
            for (const s of strings(run.outputs)) {
                assert.doesNotMatch(s, /undefined|null|\[object Object\]|NaN/, s);
            }
            for (const url of Object.values(run.outputs.urls) as string[]) {
                assert.match(url, /^(https?:\/\/[^/\s]+(\/\S*)?|pending: .+)$/, url);
            }
        });
    }

    // The Pulumi SDK warns "Undefined value (…) will not show as a stack output" for a top-level
    // export that is, or resolves to, undefined, on every preview and up (issue 27).
    for (const stack of shippedStacks()) {
        it(`exports no undefined output and warns nothing (stack ${stack})`, async () => {
            const run = await runProgram(stackConfig(stack), { loadBalancer: "none" });
            for (const [name, value] of Object.entries(run.outputs)) assert.notStrictEqual(value, undefined, `output ${name} is undefined`);
            // Staging and prod ship placeholders (ACME e-mail, hosts) that are meant to warn until replaced.
            assert.deepStrictEqual(
                run.warnings.filter((w) => !/ placeholders? /.test(w)),
                [],
            );
            const canary = Boolean(stackConfig(stack).canary);
            assert.strictEqual("canary" in run.outputs, canary, `the canary output exists only with a canary`);
        });
    }

    it("leaves out the outputs of features that are off, rather than exporting undefined", async () => {
        const run = await runProgram({ exposures: "clusterIP" });
        assert.deepStrictEqual(Object.keys(run.outputs).sort(), ["inClusterCheck", "parity", "portForward", "proxyAddresses", "readme", "urls"]);
    });

    it("gives the exact port-forward command and its URL", async () => {
        const run = await runProgram({ namespace: "web", localPort: "9090", servicePort: "8080" });
        assert.deepStrictEqual(run.outputs.portForward, {
            command: "kubectl port-forward -n web svc/veri-service 9090:8080",
            url: "http://localhost:9090",
        });
    });

    it("port-forwards to the NodePort Service when there is no ClusterIP one", async () => {
        const run = await runProgram({ exposures: "nodePort" });
        assert.strictEqual(run.outputs.portForward.command, "kubectl port-forward -n echo svc/veri-service-nodeport 8080:80");
    });

    it("gives the seed's in-cluster busybox check, runnable under the restricted Pod Security Standard", async () => {
        const run = await runProgram();
        const check: string = run.outputs.inClusterCheck;
        assert.match(check, /^kubectl run echo-check -n echo --rm -i --restart=Never --image=busybox:1\.\d+\.\d+ /);
        assert.match(check, /wget -O- -q -T 5 http:\/\/veri-service$/);
        const overrides = JSON.parse(/--overrides='([^']+)'/.exec(check)![1]);
        assert.strictEqual(overrides.spec.securityContext.runAsNonRoot, true);
        assert.strictEqual(overrides.spec.securityContext.seccompProfile.type, "RuntimeDefault");
        assert.deepStrictEqual(overrides.spec.containers[0].securityContext.capabilities.drop, ["ALL"]);
        assert.strictEqual(overrides.spec.containers[0].name, "echo-check", "strategic merge joins containers by name");
    });
});
