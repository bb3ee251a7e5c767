import * as assert from "assert";
import { INGRESS_NGINX_CONNECT_DEFAULT, TIMEOUT_ANNOTATIONS, timeouts } from "../../routing/features/timeouts";
import { level, read, refused } from "./support";

describe("routing feature: timeouts", () => {
    const rows: { value: object; annotations: Record<string, string>; timeout: Record<string, string> }[] = [
        { value: { read: "2m" }, annotations: { [TIMEOUT_ANNOTATIONS.read]: "120" }, timeout: { connect: INGRESS_NGINX_CONNECT_DEFAULT, read: "2m" } },
        { value: { connect: "3s" }, annotations: { [TIMEOUT_ANNOTATIONS.connect]: "3" }, timeout: { connect: "3s" } },
        {
            value: { connect: "1s", read: "1h", send: "90s" },
            annotations: { [TIMEOUT_ANNOTATIONS.connect]: "1", [TIMEOUT_ANNOTATIONS.read]: "3600", [TIMEOUT_ANNOTATIONS.send]: "90" },
            timeout: { connect: "1s", read: "1h", send: "90s" },
        },
    ];
    for (const row of rows) {
        it(`${JSON.stringify(row.value)}: seconds on ingress-nginx, a ProxySettingsPolicy on NGF with its connect default made explicit`, () => {
            const value = read(timeouts, row.value) as object;
            assert.deepStrictEqual(timeouts.ingress(value), row.annotations);
            assert.deepStrictEqual(timeouts.gateway(value), {
                filters: [],
                policies: [{ kind: "ProxySettingsPolicy", target: "targetRefs", spec: { timeout: row.timeout } }],
            });
            assert.deepStrictEqual(Object.values(timeouts.verdict(value)).map(level), ["exact", "exact"]);
        });
    }

    it("unset: the Gateway still gets ingress-nginx's 5 s connect timeout (NGINX's own is 60 s)", () => {
        assert.deepStrictEqual(timeouts.gatewayDefault?.policies[0].spec, { timeout: { connect: "5s" } });
    });

    for (const bad of ["5", "500ms", "0s", "10000s", "1d", " 5s", 5]) {
        it(`refuses ${JSON.stringify(bad)}: whole s, m or h of 1 to 4 digits`, () =>
            refused(timeouts, { read: bad }, /routing\.timeouts\.read.*1 to 4 digits and a unit s, m or h/));
    }
    it("refuses an unknown phase, naming the known ones", () => refused(timeouts, { idle: "5s" }, /routing\.timeouts\.idle/));

    describe("from an estate's annotations (npm run migrate)", () => {
        it("seconds become durations; 60000 s is 1000m", () => {
            const got = timeouts.fromIngress!({ [TIMEOUT_ANNOTATIONS.connect]: "3", [TIMEOUT_ANNOTATIONS.read]: "60000" }, []);
            assert.deepStrictEqual(got, { value: { connect: "3s", read: "1000m" }, read: [TIMEOUT_ANNOTATIONS.connect, TIMEOUT_ANNOTATIONS.read], notes: [] });
        });
        it("a value ingress-nginx ignores (not whole seconds) is left at the default, with a note", () => {
            const got = timeouts.fromIngress!({ [TIMEOUT_ANNOTATIONS.send]: "30s" }, []);
            assert.strictEqual(got?.value, undefined);
            assert.match(got!.notes[0], /'30s' is no whole number of seconds, which ingress-nginx ignores/);
        });
        it("nothing without the annotations", () => assert.strictEqual(timeouts.fromIngress!({}, []), undefined));
    });
});
