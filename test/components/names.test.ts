import * as assert from "assert";
import { NAMES, serviceNames, SERVICE_SUFFIXES } from "../../components/names";
import { runProgram, runProgramExpectingError } from "../support/program";

/*
 * Issue 18: every name the program gives comes from components/names.ts, and stacks/ validates
 * the user's base names through it, including the names the canary derives.
 */

const name = (n: number) => `s${"x".repeat(n - 1)}`;

describe("object names", () => {
    it("the declared objects carry the names names.ts gives", async () => {
        const run = await runProgram({
            exposures: "clusterIP,nodePort,loadBalancer,ingress,gateway",
            routing: { hosts: ["a.example.com"] },
            canary: { text: "c", weight: 5 },
        });
        const names = run.objects.map((o) => `${o.kind}/${o.metadata.name}`);
        for (const expected of [
            `Deployment/${NAMES.app}`,
            `Deployment/${NAMES.canaryApp}`,
            `Ingress/${NAMES.ingress}`,
            `Ingress/${NAMES.canaryIngress}`,
            `HTTPRoute/${NAMES.routePrefix}`,
            ...serviceNames("veri-service", { nodePort: true, loadBalancer: true, canary: true }).map((s) => `Service/${s}`),
        ]) {
            assert.ok(names.includes(expected), `${expected} in ${names.join(", ")}`);
        }
    });

    for (const [use, longest] of [
        [{ exposures: "clusterIP" }, 0],
        [{ exposures: "clusterIP,nodePort" }, SERVICE_SUFFIXES.nodePort.length],
        [{ exposures: "ingress", canary: { text: "c" } }, SERVICE_SUFFIXES.canary.length],
        [{ exposures: "nodePort,ingress", canary: { text: "c" } }, Math.max(SERVICE_SUFFIXES.nodePort.length, SERVICE_SUFFIXES.canary.length)],
    ] as const) {
        it(`serviceName may be ${63 - longest} characters with ${JSON.stringify(use)}, so every derived Service name fits 63`, async () => {
            await runProgram({ ...use, serviceName: name(63 - longest) });
            const { error, registered } = await runProgramExpectingError({ ...use, serviceName: name(64 - longest) });
            assert.ok(error.message.startsWith("Invalid config 'serviceName'"), error.message);
            assert.strictEqual(registered, 0);
        });
    }
});
