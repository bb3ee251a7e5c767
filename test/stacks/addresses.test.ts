import * as assert from "assert";
import { runProgram, StackConfig } from "../support/program";
import { itRejects } from "../support/badConfig";

/*
 * Issue 17: hosts, addresses and CIDRs are refused where a URL parser (or the API server) would
 * refuse or misread them, and every URL the program prints for an accepted value parses with
 * `new URL` (docs/verification.md, "Hosts, addresses and CIDRs").
 */

/** Where each key's value goes in the stack config, with the exposure that reads it. */
const at: Record<string, (value: string) => StackConfig> = {
    nodeAddress: (value) => ({ exposures: "nodePort", nodeAddress: value }),
    "ingress.address": (value) => ({ exposures: "ingress", ingress: { address: value } }),
    "ingress.httpsAddress": (value) => ({ exposures: "ingress", ingress: { httpsAddress: value } }),
    "gateway.address": (value) => ({ exposures: "gateway", gateway: { address: value } }),
    "gateway.httpsAddress": (value) => ({ exposures: "gateway", gateway: { httpsAddress: value } }),
    "ingress.hosts[0]": (value) => ({ exposures: "ingress", ingress: { hosts: [value] } }),
    "loadBalancer.sourceRanges[0]": (value) => ({ exposures: "loadBalancer", loadBalancer: { sourceRanges: [value] } }),
    "ingress.controller.sourceRanges[0]": (value) => ({ exposures: "ingress", ingress: { controller: { sourceRanges: [value] } } }),
    "gateway.controller.sourceRanges[0]": (value) => ({ exposures: "gateway", gateway: { controller: { sourceRanges: [value] } } }),
};

/** A class of bad values: each [key, value] is one case. */
function rejectsAll(what: string, allowed: RegExp, variants: [key: string, value: string][]): void {
    describe(what, () => {
        for (const [key, value] of variants) itRejects({ why: `${JSON.stringify(value)} at ${key}`, config: at[key](value), key, value, allowed });
    });
}

describe("hosts and addresses (issue 17)", () => {
    rejectsAll("a DNS name whose last label is a number (URL parsers read it as IPv4, and fail)", /whose last label is a number/, [
        ["ingress.address", "echo.123:8081"],
        ["gateway.address", "a.b.0x1f"],
        ["nodeAddress", "node.42"],
        ["ingress.httpsAddress", "echo.0X10:8443"],
        ["ingress.hosts[0]", "echo.2024"],
    ]);

    rejectsAll("an 'xn--' label that is not valid Punycode", /must be valid Punycode/, [
        ["nodeAddress", "xn--zz.example.com"],
        ["gateway.address", "xn--a1b2.example:8082"],
        ["ingress.address", "echo.xn--ab"],
        ["ingress.hosts[0]", "xn--wca.example.com"],
        ["ingress.hosts[0]", "xn--zz.example.com"],
    ]);

    rejectsAll("a host name with '--' in its third and fourth characters that is not an 'xn--' label", /reserved for 'xn--' labels/, [
        ["ingress.hosts[0]", "ab--cd.example.com"],
        ["ingress.hosts[0]", "echo.e1--x.example.com"],
        ["ingress.hosts[0]", "qq--echo.example.com"],
    ]);

    rejectsAll("an IPv4 address of more or fewer than four parts", /four are needed/, [
        ["ingress.address", "10.1.2:8081"],
        ["nodeAddress", "1.2.3.4.5"],
        ["gateway.address", "127.1"],
        ["ingress.httpsAddress", "3232235777:8443"],
    ]);

    rejectsAll("an IPv4 address with a part over 255", /a part over 255/, [
        ["nodeAddress", "256.1.1.1"],
        ["ingress.address", "10.0.0.300:8081"],
        ["gateway.address", "1.2.999.4"],
    ]);

    rejectsAll("an IPv4 address with a leading zero (octal to URL parsers)", /leading zero .*read as octal/, [
        ["nodeAddress", "010.1.2.3"],
        ["ingress.address", "10.01.2.3:8080"],
        ["gateway.address", "192.168.0.08"],
        ["gateway.httpsAddress", "0177.0.0.1:8444"],
    ]);

    rejectsAll("an IPv4 address with a hexadecimal part", /hexadecimal part/, [
        ["nodeAddress", "0x7f.0.0.1"],
        ["ingress.address", "10.0.0.0xff:8081"],
        ["gateway.address", "0xc0.168.0.1"],
    ]);

    rejectsAll("an IPv6 address with a zone ID", /zone ID/, [
        ["nodeAddress", "fe80::1%eth0"],
        ["ingress.address", "[fe80::1%25eth0]:8081"],
        ["gateway.address", "[fe80::1%lo]"],
    ]);

    rejectsAll("what is no IPv6 address (net.isIPv6 refuses it)", /which is no IPv6 address/, [
        ["nodeAddress", "2001:db8:::1"],
        ["ingress.address", "[1:2:3:4:5:6:7:8:9]:8081"],
        ["gateway.address", "[12345::1]"],
        ["nodeAddress", "[203.0.113.10]"],
    ]);

    rejectsAll("an IPv4-mapped IPv6 address", /IPv4-mapped/, [
        ["nodeAddress", "::ffff:203.0.113.10"],
        ["ingress.address", "[::ffff:cb00:710a]:8081"],
        ["gateway.address", "[::FFFF:10.0.0.1]"],
    ]);

    rejectsAll("an Ingress host with uppercase letters (the API server takes lowercase only)", /lowercase only: 'echo\.example\.com'/, [
        ["ingress.hosts[0]", "Echo.example.com"],
        ["ingress.hosts[0]", "echo.EXAMPLE.com"],
        ["ingress.hosts[0]", "ECHO.EXAMPLE.COM"],
    ]);

    rejectsAll("an Ingress host that is an IP address or parses as one", /not an IP address/, [
        ["ingress.hosts[0]", "203.0.113.10"],
        ["ingress.hosts[0]", "10.1.2"],
        ["ingress.hosts[0]", "[2001:db8::1]"],
    ]);

    rejectsAll("a port with a leading zero or out of range", /not the port .*no leading zeros/, [
        ["ingress.address", "localhost:08081"],
        ["gateway.address", "localhost:0"],
        ["ingress.httpsAddress", "localhost:65536"],
    ]);

    rejectsAll("an IPv6 address and port without brackets", /IPv6 address in brackets/, [
        ["ingress.address", "2001:db8::1:8081"],
        ["gateway.address", "::1"],
        ["gateway.httpsAddress", "fe80::1"],
    ]);
});

describe("CIDRs (issue 17)", () => {
    rejectsAll("a CIDR with bits set beyond the prefix, suggesting the network", /bits set beyond the prefix length.*'10\.0\.0\.0\/8'.*'10\.0\.0\.1\/32'/, [
        ["loadBalancer.sourceRanges[0]", "10.0.0.1/8"],
        ["ingress.controller.sourceRanges[0]", "10.0.0.1/8"],
        ["gateway.controller.sourceRanges[0]", "10.0.0.1/8"],
    ]);
    rejectsAll(
        "a CIDR with host bits (more networks)",
        /bits set beyond the prefix length.*the network is '(192\.168\.1\.0\/24|2001:db8::\/64|0\.0\.0\.0\/0)'/,
        [
            ["loadBalancer.sourceRanges[0]", "192.168.1.5/24"],
            ["ingress.controller.sourceRanges[0]", "2001:db8::1/64"],
            ["gateway.controller.sourceRanges[0]", "10.0.0.0/0"],
        ],
    );

    rejectsAll("a CIDR with a leading zero in an octet or the prefix length", /leading zero/, [
        ["loadBalancer.sourceRanges[0]", "010.0.0.0/8"],
        ["ingress.controller.sourceRanges[0]", "192.168.01.0/24"],
        ["gateway.controller.sourceRanges[0]", "10.0.0.0/08"],
        ["loadBalancer.sourceRanges[0]", "2001:db8::/064"],
    ]);

    rejectsAll("a CIDR with extra colons", /which is no IPv6 address/, [
        ["loadBalancer.sourceRanges[0]", "2001:db8:::/64"],
        ["ingress.controller.sourceRanges[0]", ":::/0"],
        ["gateway.controller.sourceRanges[0]", "1:2:3:4:5:6:7:8:9/128"],
        ["loadBalancer.sourceRanges[0]", ":2001:db8::/32"],
    ]);

    rejectsAll("an IPv6 CIDR out of canonical form, suggesting it", /canonical form: write '2001:db8::\/(64|32)'/, [
        ["loadBalancer.sourceRanges[0]", "2001:DB8::/64"],
        ["ingress.controller.sourceRanges[0]", "2001:db8:0::/64"],
        ["gateway.controller.sourceRanges[0]", "2001:0db8::/32"],
    ]);

    rejectsAll("an IPv4-mapped IPv6 CIDR", /IPv4-mapped IPv6 address: write the IPv4 CIDR/, [
        ["loadBalancer.sourceRanges[0]", "::ffff:10.0.0.0/104"],
        ["ingress.controller.sourceRanges[0]", "::ffff:a00:0/104"],
        ["gateway.controller.sourceRanges[0]", "::ffff:0:0/96"],
    ]);

    rejectsAll("a CIDR with a prefix length too long for its family", /prefix length \d+ \(at most (32|128)/, [
        ["loadBalancer.sourceRanges[0]", "10.0.0.0/33"],
        ["ingress.controller.sourceRanges[0]", "2001:db8::/129"],
        ["gateway.controller.sourceRanges[0]", "0.0.0.0/99"],
    ]);
});

/** Every URL in an output value, whether it is the whole string or inside a command. */
function urlsIn(value: unknown): string[] {
    if (typeof value === "string") return value.match(/\bhttps?:\/\/[^\s'"`]+/g) ?? [];
    if (value && typeof value === "object") return Object.values(value).flatMap(urlsIn);
    return [];
}

/** The outputs the program derives from config (the readme output is a fixed document). */
function derivedOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).filter(([key]) => key !== "readme"));
}

interface GoodCase {
    why: string;
    config: StackConfig;
    /** The hosts (as URL.host gives them, or URL.hostname where the port is allocated) the URLs must carry: each at least once. */
    hosts: string[];
}

describe("accepted hosts, addresses and CIDRs (issue 17)", () => {
    const cases: GoodCase[] = [
        { why: "the default node address", config: { exposures: "nodePort" }, hosts: [] },
        { why: "a DNS node address", config: { exposures: "nodePort", nodeAddress: "node1.example.com" }, hosts: ["node1.example.com"] },
        { why: "an IPv4 node address", config: { exposures: "nodePort", nodeAddress: "203.0.113.10" }, hosts: ["203.0.113.10"] },
        { why: "an IPv6 node address in brackets", config: { exposures: "nodePort", nodeAddress: "[2001:db8::1]" }, hosts: ["[2001:db8::1]"] },
        {
            why: "an IPv6 node address without brackets, normalised",
            config: { exposures: "nodePort", nodeAddress: "2001:DB8:0:0::1" },
            hosts: ["[2001:db8::1]"],
        },
        { why: "an uppercase node address, lowercased", config: { exposures: "nodePort", nodeAddress: "NODE1.Example.COM" }, hosts: ["node1.example.com"] },
        {
            why: "a node address with a valid Punycode label",
            config: { exposures: "nodePort", nodeAddress: "xn--bcher-kva.example" },
            hosts: ["xn--bcher-kva.example"],
        },
        { why: "the kind ingress address", config: { exposures: "ingress", ingress: { address: "localhost:8081" } }, hosts: ["localhost:8081"] },
        {
            why: "an ingress address by a wildcard-DNS name",
            config: { exposures: "ingress", ingress: { address: "echo.localtest.me:8081" } },
            hosts: ["echo.localtest.me:8081"],
        },
        { why: "an IPv4 ingress address", config: { exposures: "ingress", ingress: { address: "203.0.113.10" } }, hosts: ["203.0.113.10"] },
        {
            why: "an IPv6 ingress address with a port, normalised",
            config: { exposures: "ingress", ingress: { address: "[2001:DB8::0:1]:8081" } },
            hosts: ["[2001:db8::1]:8081"],
        },
        {
            why: "an uppercase ingress address with hosts, lowercased",
            config: { exposures: "ingress", ingress: { address: "Echo.LocalTest.ME:8081", hosts: ["echo.example.com", "xn--bcher-kva.example"] } },
            hosts: ["echo.example.com:8081", "xn--bcher-kva.example:8081"],
        },
        { why: "the kind gateway address", config: { exposures: "gateway", gateway: { address: "localhost:8082" } }, hosts: ["localhost:8082"] },
        { why: "an IPv6 gateway address", config: { exposures: "gateway", gateway: { address: "[::1]:8082" } }, hosts: ["[::1]:8082"] },
        { why: "a gateway address without a port", config: { exposures: "gateway", gateway: { address: "gw.internal" } }, hosts: ["gw.internal"] },
        {
            why: "hosts and https addresses on both proxies",
            config: {
                exposures: "ingress,gateway",
                ingress: {
                    address: "localhost:8081",
                    httpsAddress: "localhost:8443",
                    hosts: ["echo.example.com", "a1.example.com"],
                    tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }],
                },
                gateway: { address: "localhost:8082", httpsAddress: "[2001:db8::2]:8444" },
            },
            hosts: ["echo.example.com:8443", "a1.example.com:8081", "echo.example.com:8444", "a1.example.com:8082"],
        },
        {
            why: "canonical CIDRs",
            config: {
                exposures: "loadBalancer,ingress,gateway",
                loadBalancer: { sourceRanges: ["203.0.113.0/24", "2001:db8::/64", "198.51.100.7/32"] },
                ingress: { controller: { sourceRanges: ["0.0.0.0/0", "::/0"] } },
                gateway: { controller: { sourceRanges: ["10.0.0.0/8", "2001:db8:0:1::/64"] } },
            },
            hosts: [],
        },
    ];
    for (const c of cases) {
        it(`accepts ${c.why}, and every URL it prints parses with new URL as printed`, async () => {
            const run = await runProgram(c.config);
            const urls = urlsIn(derivedOutputs(run.outputs));
            assert.ok(urls.length > 0, "prints URLs");
            for (const u of urls) {
                const parsed = new URL(u);
                assert.ok(u.startsWith(`${parsed.protocol}//${parsed.host}`), `the URL parser keeps the host as printed: ${u} (parsed: ${parsed.host})`);
            }
            // host[:port], or the bare host where the port is the cluster's to allocate (node ports).
            const seen = urls.flatMap((u) => [new URL(u).host, new URL(u).hostname]);
            for (const h of c.hosts) assert.ok(seen.includes(h), `a URL reaches ${h}: ${urls.join(", ")}`);
        });
    }

    it("passes accepted CIDRs to the Services unchanged", async () => {
        const ranges = ["203.0.113.0/24", "2001:db8::/64", "198.51.100.7/32"];
        const run = await runProgram({ exposures: "loadBalancer", loadBalancer: { sourceRanges: ranges } });
        const lb = run.ofType("kubernetes:core/v1:Service").find((s) => s.inputs.spec?.type === "LoadBalancer");
        assert.deepStrictEqual(lb?.inputs.spec.loadBalancerSourceRanges, ranges);
    });
});
