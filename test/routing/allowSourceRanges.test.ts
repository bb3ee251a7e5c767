import * as assert from "assert";
import { allowSourceRanges, SOURCE_RANGE_ANNOTATION } from "../../routing/features/allowSourceRanges";
import { read, refused } from "./support";

describe("routing feature: allowSourceRanges", () => {
    it("ingress-nginx: allowlist-source-range, comma-separated; exact", () => {
        const value = read(allowSourceRanges, ["10.0.0.0/8", "2001:db8::/32"]) as string[];
        assert.deepStrictEqual(allowSourceRanges.ingress(value), { [SOURCE_RANGE_ANNOTATION]: "10.0.0.0/8,2001:db8::/32" });
        assert.strictEqual(allowSourceRanges.verdict(value).ingress.level, "exact");
    });
    it("NGF 2.6.7: unsupported, naming the Gateway-wide alternative; renders nothing", () => {
        const v = allowSourceRanges.verdict(["10.0.0.0/8"]).gateway;
        assert.strictEqual(v.level, "unsupported");
        assert.match(v.level === "unsupported" ? v.alternative : "", /gateway\.controller\.sourceRanges/);
        assert.deepStrictEqual(allowSourceRanges.gateway(["10.0.0.0/8"]), { filters: [], policies: [] });
    });
    it("owns both the annotation and its older alias", () => {
        assert.deepStrictEqual(allowSourceRanges.annotations, [SOURCE_RANGE_ANNOTATION, "nginx.ingress.kubernetes.io/whitelist-source-range"]);
    });
    it("refuses an empty list, which ingress-nginx would ignore", () => {
        assert.match(allowSourceRanges.refuses?.([], { path: "/", pathType: "Prefix" }) ?? "", /at least one CIDR/);
    });
    for (const bad of [["10.0.0.1/8"], ["010.0.0.0/8"], ["10.0.0.0"], "10.0.0.0/8"]) {
        it(`refuses ${JSON.stringify(bad)}`, () => refused(allowSourceRanges, bad, /routing\.allowSourceRanges/));
    }

    describe("from an estate's annotations (npm run migrate)", () => {
        const OLD = "nginx.ingress.kubernetes.io/whitelist-source-range";
        it("allowlist-source-range, comma-separated", () =>
            assert.deepStrictEqual(allowSourceRanges.fromIngress!({ [SOURCE_RANGE_ANNOTATION]: "10.0.0.0/8, 192.168.1.0/24," }, [])?.value, [
                "10.0.0.0/8",
                "192.168.1.0/24",
            ]));
        it("the older alias alone", () => assert.deepStrictEqual(allowSourceRanges.fromIngress!({ [OLD]: "10.0.0.0/8" }, [])?.value, ["10.0.0.0/8"]));
        it("beside allowlist-source-range the alias is ignored, as ingress-nginx ignores it", () => {
            const got = allowSourceRanges.fromIngress!({ [SOURCE_RANGE_ANNOTATION]: "10.0.0.0/8", [OLD]: "0.0.0.0/0" }, [])!;
            assert.deepStrictEqual([got.value, got.read.length, got.notes.length], [["10.0.0.0/8"], 2, 1]);
        });
    });
});
