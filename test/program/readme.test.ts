import * as assert from "assert";
import { runProgram } from "../support/program";

describe("the readme stack output", () => {
    it("is Pulumi.README.md, and every ${outputs.…} it uses is an output the program can give", async () => {
        const run = await runProgram({ exposures: "clusterIP,nodePort,loadBalancer,ingress,gateway" });
        const readme: string = run.outputs.readme;
        assert.match(readme, /^# echo-exposure/);
        const refs = [...readme.matchAll(/\$\{outputs\.([\w.]+)\}/g)].map((m) => m[1]);
        assert.ok(refs.length >= 6);
        for (const ref of refs) {
            const value = ref.split(".").reduce<any>((v, k) => v?.[k], run.outputs);
            assert.strictEqual(typeof value, "string", `\${outputs.${ref}} resolves to no output`);
        }
    });
});
