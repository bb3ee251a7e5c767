import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { EchoNamespace } from "../../components/echoNamespace";
import { ClusterMocks } from "../support/clusterMocks";
import { resolve } from "../support/program";

/* EchoNamespace on its own, with hand-built Args. */

async function build(args: ConstructorParameters<typeof EchoNamespace>[1]) {
    const mocks = new ClusterMocks({ deterministic: true });
    await pulumi.runtime.setMocks(mocks, "echo-exposure", "unit", false);
    const ns = new EchoNamespace("team", args);
    const name = await resolve(ns.name);
    await (pulumi.runtime as any).waitForRPCs?.();
    return { name, resources: mocks.resources };
}

describe("EchoNamespace (hand-built args)", () => {
    it("creates the namespace by default, with its explicit name, enforcing the restricted Pod Security Standard", async () => {
        const { name, resources } = await build({ name: "team-a" });
        assert.strictEqual(name, "team-a");
        const ns = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
        assert.strictEqual(ns.length, 1);
        assert.strictEqual(ns[0].inputs.metadata.name, "team-a");
        assert.strictEqual(ns[0].inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("with create false, declares nothing and only names the existing namespace", async () => {
        const { name, resources } = await build({ name: "shared", create: false });
        assert.strictEqual(name, "shared");
        assert.deepStrictEqual(
            resources.filter((r) => r.type.startsWith("kubernetes:")),
            [],
        );
    });
});
