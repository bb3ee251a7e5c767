import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { EchoCanary } from "../../components/canary";
import { ClusterMocks } from "../support/clusterMocks";
import { resolve } from "../support/program";

/*
 * EchoCanary on its own, with hand-built Args (no stack config, no index.ts), as a component's
 * user would call it: the pattern issue 18 asks for beside each component.
 */

async function build(settings: Partial<ConstructorParameters<typeof EchoCanary>[1]["settings"]> = {}) {
    const mocks = new ClusterMocks({ deterministic: true });
    await pulumi.runtime.setMocks(mocks, "echo-exposure", "unit", false);
    const canary = new EchoCanary("c", {
        namespace: "team-a",
        settings: { text: "canary", image: "registry.example.com/echo:2.0.0", replicas: 1, weight: 25, ...settings },
        app: {
            imagePullPolicy: "IfNotPresent",
            containerPort: 5678,
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
        },
        service: { name: "echo", port: 8080 },
    });
    await resolve(canary.service.metadata.name);
    await (pulumi.runtime as any).waitForRPCs?.();
    return mocks.resources;
}

describe("EchoCanary (hand-built args)", () => {
    it("declares the canary Deployment and a ClusterIP Service <service>-canary on the same port, selecting only the canary pods", async () => {
        const resources = await build();
        const deployment = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        const service = resources.find((r) => r.type === "kubernetes:core/v1:Service")!;
        assert.strictEqual(deployment.inputs.metadata.name, "http-echo-canary");
        assert.strictEqual(deployment.inputs.metadata.namespace, "team-a");
        assert.strictEqual(deployment.inputs.spec.template.spec.containers[0].image, "registry.example.com/echo:2.0.0");
        assert.strictEqual(service.inputs.metadata.name, "echo-canary");
        assert.deepStrictEqual(service.inputs.spec.selector, { app: "http-echo-canary" });
        assert.deepStrictEqual(service.inputs.spec.ports, [{ name: "http", port: 8080, targetPort: 5678, protocol: "TCP" }]);
        assert.ok(!resources.some((r) => r.type === "kubernetes:core/v1:Namespace"), "the namespace is the stable app's");
        assert.ok(!resources.some((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy"), "the stable app's NetworkPolicy covers it");
    });

    it("adds a PodDisruptionBudget for its own pods above one replica", async () => {
        const pdbs = (await build({ replicas: 3 })).filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget");
        assert.deepStrictEqual(
            pdbs.map((p) => p.inputs.spec.selector.matchLabels),
            [{ app: "http-echo-canary" }],
        );
    });
});
