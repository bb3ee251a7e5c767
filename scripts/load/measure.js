/*
 * Usage: npm run measure:load
 * How long loading the program takes the way Pulumi's Node.js runtime loads it (ts-node registered
 * with the project's tsconfig.json, so its "ts-node" section applies), against a bare program that
 * declares the tutorial's objects (bareProgram.ts). Runs each under mocks a few times, alternating,
 * and prints the medians. Plain JavaScript, so measuring needs no transpiling of its own.
 */
const { execFileSync } = require("child_process");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const ONE_RUN = `
const t0 = process.hrtime.bigint();
require("ts-node").register({ project: "tsconfig.json", transpileOnly: true });
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "_id", state: a.inputs }), call: (a) => a.inputs }, "echo-exposure", "dev", false);
const t1 = process.hrtime.bigint();
require(process.argv[1]);
console.log(Number(process.hrtime.bigint() - t1) / 1e6);
`;

const runs = Number(process.env.RUNS ?? 7);
const programs = { bare: "./scripts/load/bareProgram.ts", "echo-exposure": "./index.ts" };
const times = Object.fromEntries(Object.keys(programs).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
    for (const [name, file] of Object.entries(programs)) {
        times[name].push(Number(execFileSync(process.execPath, ["-e", ONE_RUN, file], { cwd: ROOT, encoding: "utf8" }).trim()));
    }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const name of Object.keys(programs)) console.log(`${name}: ${median(times[name]).toFixed(0)} ms (median of ${runs})`);
console.log(`ratio: ${(median(times["echo-exposure"]) / median(times.bare)).toFixed(2)}`);
