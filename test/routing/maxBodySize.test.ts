import * as assert from "assert";
import { BODY_SIZE_ANNOTATION, maxBodySize } from "../../routing/features/maxBodySize";
import { level, read, refused } from "./support";

describe("routing feature: maxBodySize", () => {
    for (const size of ["8m", "1g", "512k", "0", "1024", "9999m"]) {
        it(`${size}: proxy-body-size and a ClientSettingsPolicy body.maxSize, exact on both`, () => {
            const value = read(maxBodySize, size) as string;
            assert.deepStrictEqual(maxBodySize.ingress(value), { [BODY_SIZE_ANNOTATION]: size });
            assert.deepStrictEqual(maxBodySize.gateway(value), {
                filters: [],
                policies: [{ kind: "ClientSettingsPolicy", target: "targetRef", spec: { body: { maxSize: size } } }],
            });
            assert.deepStrictEqual(Object.values(maxBodySize.verdict(value)).map(level), ["exact", "exact"]);
        });
    }
    // NGF's CRD takes only lower-case units and at most 4 digits.
    for (const bad of ["8M", "10000m", "08m", "1.5m", "8mb", "", 8]) {
        it(`refuses ${JSON.stringify(bad)}`, () => refused(maxBodySize, bad, /routing\.maxBodySize.*lower case/));
    }

    describe("from an estate's annotation (npm run migrate)", () => {
        for (const [raw, value, notes] of [
            ["8m", "8m", 0],
            ["16M", "16m", 1],
            [" 1g ", "1g", 0],
            ["2048b", "2048", 1],
        ] as const) {
            it(`proxy-body-size ${JSON.stringify(raw)} -> ${value}`, () => {
                const got = maxBodySize.fromIngress!({ [BODY_SIZE_ANNOTATION]: raw }, []);
                assert.deepStrictEqual([got?.value, got?.read, got?.notes.length], [value, [BODY_SIZE_ANNOTATION], notes]);
            });
        }
        it("nothing without the annotation, or with an empty one (ingress-nginx ignores it)", () => {
            assert.strictEqual(maxBodySize.fromIngress!({}, []), undefined);
            assert.strictEqual(maxBodySize.fromIngress!({ [BODY_SIZE_ANNOTATION]: "" }, []), undefined);
        });
    });
});
