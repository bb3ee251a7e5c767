import * as assert from "assert";
import { runProgram } from "../support/program";

describe("Echo app", () => {
    it("runs the pinned http-echo image with the configured text and listen port", async () => {
        const run = await runProgram({ text: "hi there", replicas: "3" });
        const deployment = run.one("kubernetes:apps/v1:Deployment").state;
        const container = deployment.spec.template.spec.containers[0];
        assert.strictEqual(container.image, "hashicorp/http-echo:1.0.0");
        assert.deepStrictEqual(container.args, ["-text=hi there", "-listen=:5678"]);
        assert.deepStrictEqual(container.ports, [{ name: "http", containerPort: 5678, protocol: "TCP" }]);
        assert.strictEqual(deployment.spec.replicas, 3);
        assert.strictEqual(deployment.spec.template.metadata.labels.app, "http-echo");
    });

    it("re-checks the image on every pull by default, and takes IfNotPresent for images loaded into kind", async () => {
        const container = (run: Awaited<ReturnType<typeof runProgram>>) => run.one("kubernetes:apps/v1:Deployment").state.spec.template.spec.containers[0];
        assert.strictEqual(container(await runProgram()).imagePullPolicy, "Always");
        assert.strictEqual(container(await runProgram({ imagePullPolicy: "IfNotPresent" })).imagePullPolicy, "IfNotPresent");
    });

    it("keeps serving while proxies drop a stopping pod: a preStop sleep inside the grace period", async () => {
        const pod = (await runProgram()).one("kubernetes:apps/v1:Deployment").state.spec.template.spec;
        const sleep = pod.containers[0].lifecycle.preStop.sleep.seconds;
        assert.ok(sleep >= 5, "long enough for endpoint removal to reach kube-proxy and the proxies");
        assert.ok(sleep < pod.terminationGracePeriodSeconds, "the API server requires the sleep to fit in the grace period");
        assert.strictEqual(pod.containers[0].lifecycle.preStop.exec, undefined, "the distroless image has no shell");
    });

    it("creates its namespace by default, with an explicit name", async () => {
        const run = await runProgram({ namespace: "echo-dev" });
        const ns = run.one("kubernetes:core/v1:Namespace");
        assert.strictEqual(ns.inputs.metadata.name, "echo-dev");
        assert.strictEqual(run.one("kubernetes:apps/v1:Deployment").state.metadata.namespace, "echo-dev");
    });

    it("uses an existing namespace when createNamespace is false", async () => {
        const run = await runProgram({ namespace: "default", createNamespace: "false" });
        assert.strictEqual(run.ofType("kubernetes:core/v1:Namespace").length, 0);
        assert.strictEqual(run.one("kubernetes:apps/v1:Deployment").state.metadata.namespace, "default");
    });

    it("parents every Kubernetes object to a component", async () => {
        const run = await runProgram({ exposures: "clusterIP,nodePort,loadBalancer" });
        for (const r of run.registrations.filter((r) => r.type.startsWith("kubernetes:"))) {
            assert.match(r.parent, /echo-exposure:index:/, `${r.type} ${r.name} has no component parent`);
            assert.ok(r.name.startsWith("echo-"), `${r.name} is named after its component`);
        }
    });
});
