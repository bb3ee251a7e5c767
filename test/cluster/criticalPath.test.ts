import * as assert from "assert";
import { criticalPath, OperationTimes } from "./criticalPath";

const PROVIDER_TYPE = "pulumi:providers:kubernetes";
const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";
const urn = (type: string, name: string) => `urn:pulumi:dev::echo-exposure::${type}::${name}`;
const PROVIDER = urn(PROVIDER_TYPE, "default");
const STACK = urn("pulumi:pulumi:Stack", "echo-exposure-dev");
const CRDS = urn("kubernetes:yaml/v2:ConfigFile", "crds");
const CRD_A = urn(`kubernetes:yaml/v2:ConfigFile$${CRD_TYPE}`, "a");
const CRD_B = urn(`kubernetes:yaml/v2:ConfigFile$${CRD_TYPE}`, "b");
const RELEASE = urn(RELEASE_TYPE, "ngf");
const OTHER = urn(RELEASE_TYPE, "cert-manager");

/** Operations from (start, end) in seconds. */
const times = (ops: Record<string, [number, number]>): OperationTimes =>
    new Map(Object.entries(ops).map(([u, [start, end]]) => [u, { start: start * 1000, end: end * 1000, op: "create" }]));

const resources = [
    { urn: STACK, custom: false },
    { urn: PROVIDER, custom: true, parent: STACK },
    { urn: CRDS, custom: false, parent: STACK },
    { urn: CRD_A, custom: true, parent: CRDS, provider: `${PROVIDER}::id` },
    { urn: CRD_B, custom: true, parent: CRDS, provider: `${PROVIDER}::id` },
    { urn: RELEASE, custom: true, parent: STACK, provider: `${PROVIDER}::id`, dependencies: [CRDS] },
    { urn: OTHER, custom: true, parent: STACK, provider: `${PROVIDER}::id` },
];

describe("criticalPath (bench:up)", () => {
    const cases: { name: string; ops: Record<string, [number, number]>; seconds: number; chain: string[] }[] = [
        {
            name: "a dependency on a component waits for its slowest child",
            ops: { [PROVIDER]: [0, 1], [CRD_A]: [1, 2], [CRD_B]: [1, 4], [RELEASE]: [4, 10], [OTHER]: [1, 8] },
            seconds: 10,
            chain: [`${PROVIDER_TYPE}::default 1.0 s`, `${CRD_TYPE}::b 3.0 s`, `${RELEASE_TYPE}::ngf 6.0 s`],
        },
        {
            name: "an independent longer operation is the path when it is longer",
            ops: { [PROVIDER]: [0, 1], [CRD_A]: [1, 2], [CRD_B]: [1, 2], [RELEASE]: [2, 4], [OTHER]: [1, 12] },
            seconds: 12,
            chain: [`${PROVIDER_TYPE}::default 1.0 s`, `${RELEASE_TYPE}::cert-manager 11.0 s`],
        },
        {
            name: "resources without an operation (unchanged) weigh nothing",
            ops: { [RELEASE]: [0, 3] },
            seconds: 3,
            chain: [`${RELEASE_TYPE}::ngf 3.0 s`],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const cp = criticalPath(times(c.ops), resources);
            assert.strictEqual(cp.ms / 1000, c.seconds);
            assert.deepStrictEqual(cp.chain, c.chain);
        });
    }
});
