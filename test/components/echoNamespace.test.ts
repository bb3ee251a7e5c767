import * as assert from "assert";
import { runProgram } from "../support/program";

/* The namespace as its own step, through the whole program: what an existing stack sees on upgrade. */

describe("EchoNamespace in the program", () => {
    it("keeps the namespace's old URN (a child of EchoApp echo) as an alias, so an existing stack does not delete it and everything in it", async () => {
        const run = await runProgram({});
        const ns = run.registrations.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "echo-namespace")!;
        assert.match(ns.parent, /::echo-exposure:index:EchoNamespace::echo$/);
        assert.ok(
            ns.aliases.some((urn) => /::echo-exposure:index:EchoApp\$kubernetes:core\/v1:Namespace::echo-namespace$/.test(urn)),
            JSON.stringify(ns.aliases),
        );
    });

    it("is declared before the app: the Deployment waits for the namespace", async () => {
        const run = await runProgram({});
        const deployment = run.registrations.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "echo-deployment")!;
        assert.ok(
            deployment.dependencies.some((d) => /kubernetes:core\/v1:Namespace::echo-namespace$/.test(d)),
            JSON.stringify(deployment.dependencies),
        );
    });
});
