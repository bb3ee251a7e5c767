import * as assert from "assert";
import { runProgramExpectingError, StackConfig } from "../support/program";

/*
 * One `pulumi preview` says everything there is to fix: every key refused on its own, in one pass
 * over the whole config; or, when each key passes, every section whose rules fail.
 */

interface Several {
    why: string;
    config: StackConfig;
    /** Each error's key (in any order). */
    keys: string[];
}

const cases: Several[] = [
    {
        why: "three bad top-level values",
        config: { replicas: "0", imagePullPolicy: "Sometimes", servicePort: "http" },
        keys: ["imagePullPolicy", "replicas", "servicePort"],
    },
    {
        why: "a typo beside bad nested values",
        config: { replcas: 2, exposures: ["ingress"], ingress: { controller: { replicas: 0, serviceType: "Cloud" } } },
        keys: ["ingress.controller.serviceType", "ingress.controller.replicas", "replcas"],
    },
    {
        why: "bad routing and a bad canary",
        config: { exposures: ["gateway"], routing: { hosts: ["Echo.example.com"], pathType: "Regex" }, canary: { weight: 101 } },
        keys: ["canary.text", "canary.weight", "routing.hosts[0]", "routing.pathType"],
    },
    {
        why: "rules between keys failing in independent sections",
        config: {
            exposures: ["nodePort", "ingress"],
            // Each key is fine alone, but: the program cannot create `default` (every cluster has it), source
            // ranges need a LoadBalancer, and ingress-nginx refuses a canary header value with '+'.
            namespace: "default",
            canary: { text: "c", header: { name: "X-Canary", value: "v2+beta" } },
            ingress: { controller: { serviceType: "NodePort", sourceRanges: ["10.0.0.0/8"] } },
        },
        keys: ["namespace", "ingress.controller.sourceRanges", "canary.header.value"],
    },
];

describe("every config error at once", () => {
    for (const c of cases) {
        it(`lists ${c.keys.length} errors for ${c.why}, each naming its key, with nothing registered`, async () => {
            const { error, registered } = await runProgramExpectingError(c.config);
            assert.strictEqual(error.name, "ConfigError", error.stack);
            assert.strictEqual(registered, 0);
            const lines = error.message.split("\n");
            assert.strictEqual(lines[0], `${c.keys.length} config errors:`, error.message);
            const named = lines.slice(1).map((l) => /^ {2}- Invalid config '([^']+)': got .+; allowed: .+\.$/.exec(l)?.[1]);
            assert.deepStrictEqual([...named].sort(), [...c.keys].sort(), error.message);
        });
    }

    it("still says one error as one line, as before", async () => {
        const { error } = await runProgramExpectingError({ replicas: "0" });
        assert.strictEqual(error.message, "Invalid config 'replicas': got \"0\"; allowed: a whole number of replicas from 1 to 100.");
    });
});
