import * as assert from "assert";
import { BODY_SIZE_ANNOTATION } from "../../routing/features/maxBodySize";
import { RATE_LIMIT_ANNOTATIONS } from "../../routing/features/rateLimit";
import { REWRITE_ANNOTATIONS } from "../../routing/features/rewrite";
import { TIMEOUT_ANNOTATIONS } from "../../routing/features/timeouts";
import { itRejects } from "../support/badConfig";
import { runProgram } from "../support/program";
import { validateAgainstSchema } from "../support/schemas";

/*
 * The routing model through the whole program (routing/features/ have the table tests): both
 * proxies get each host's policies, NGF's objects target the right routes and pass the pinned
 * CRDs, what a proxy cannot express is refused, and the parity output says whether DNS can move.
 */

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const both = "clusterIP,ingress,gateway";

const policies = {
    maxBodySize: "8m",
    timeouts: { read: "2m" },
    hosts: ["a.example.com", { host: "b.example.com", maxBodySize: "1g", rateLimit: { requestsPerSecond: 20 } }],
};

describe("the routing model in the program (issue 22)", () => {
    it("renders each host's policies to its Ingress and to NGF policies targeting its HTTPRoute, all valid against the pinned CRDs", async () => {
        const run = await runProgram({ exposures: both, routing: policies });
        for (const obj of run.objects) validateAgainstSchema(obj);
        const ingresses = run.ofType(INGRESS).map((r) => r.inputs.metadata);
        assert.deepStrictEqual(
            ingresses.map((m) => [m.name, m.annotations]),
            [
                ["veri-ingress", { [BODY_SIZE_ANNOTATION]: "8m", [TIMEOUT_ANNOTATIONS.read]: "120" }],
                [
                    "veri-ingress-1",
                    {
                        [BODY_SIZE_ANNOTATION]: "1g",
                        [TIMEOUT_ANNOTATIONS.read]: "120",
                        [RATE_LIMIT_ANNOTATIONS.rps]: "20",
                        [RATE_LIMIT_ANNOTATIONS.multiplier]: "5",
                    },
                ],
            ],
        );
        const ngf = run.objects.filter((o) => o.apiVersion === "gateway.nginx.org/v1alpha1");
        const targetOf = (o: any) => (o.spec.targetRef ?? o.spec.targetRefs[0]).name;
        assert.deepStrictEqual(ngf.map((o) => [o.kind, o.metadata.name, targetOf(o)]).sort(), [
            ["ClientSettingsPolicy", "veri-route-0-client-settings", "veri-route-0"],
            ["ClientSettingsPolicy", "veri-route-1-client-settings", "veri-route-1"],
            ["ProxySettingsPolicy", "veri-route-0-proxy-settings", "veri-route-0"],
            ["ProxySettingsPolicy", "veri-route-1-proxy-settings", "veri-route-1"],
            ["RateLimitPolicy", "veri-route-1-rate-limit", "veri-route-1"],
        ]);
        const proxySettings = ngf.find((o) => o.metadata.name === "veri-route-0-proxy-settings")!;
        assert.deepStrictEqual(proxySettings.spec.timeout, { connect: "5s", read: "2m" });
        assert.strictEqual(run.outputs.parity.cutover, "ready");
        assert.deepStrictEqual(run.outputs.parity.routes["b.example.com/vericonf"].rateLimit, { ingress: "exact", gateway: "exact" });
    });

    it("puts header changes on every rule of the host's HTTPRoute, the canary's header rule too (parity: report)", async () => {
        const run = await runProgram({
            exposures: both,
            routing: { parity: "report", headers: { request: { set: { "X-Env": "test" } } } },
            canary: { text: "canary", weight: 10, header: { name: "X-Canary" } },
        });
        const rules = run.one(ROUTE).inputs.spec.rules;
        assert.strictEqual(rules.length, 2);
        for (const rule of rules)
            assert.deepStrictEqual(rule.filters, [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "X-Env", value: "test" }] } }]);
        assert.match(run.outputs.parity.routes["*/vericonf"].headers.ingress, /^unsupported: /);
        assert.match(run.outputs.parity.cutover, /^blocked: \*\/vericonf: headers is unsupported on ingress/);
    });

    it("rewrites a host's prefix on both proxies: regex paths on its Ingress and the canary's, a URLRewrite on its HTTPRoute's rules", async () => {
        const run = await runProgram({
            exposures: both,
            routing: { hosts: [{ host: "r.example.com", path: "/api", rewrite: { pathPrefix: "/" } }, "plain.example.com"] },
            canary: { text: "canary", weight: 10 },
        });
        for (const obj of run.objects) validateAgainstSchema(obj);
        const pathsOf = (name: string) => {
            const spec = run.ofType(INGRESS).find((r) => r.inputs.metadata.name === name)!.inputs.spec;
            return spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => `${p.pathType} ${p.path}`)]);
        };
        const regex = ["ImplementationSpecific /(?-i)api(/|$)(.*)"];
        assert.deepStrictEqual(pathsOf("veri-ingress"), [["r.example.com", regex]]);
        assert.deepStrictEqual(pathsOf("veri-ingress-1"), [["plain.example.com", ["Prefix /vericonf"]]]);
        assert.deepStrictEqual(pathsOf("veri-ingress-canary"), [
            ["r.example.com", regex],
            ["plain.example.com", ["Prefix /vericonf"]],
        ]);
        const annotations = run.ofType(INGRESS).find((r) => r.inputs.metadata.name === "veri-ingress")!.inputs.metadata.annotations;
        assert.deepStrictEqual(annotations, { [REWRITE_ANNOTATIONS.regex]: "true", [REWRITE_ANNOTATIONS.target]: "/$2" });
        const route = run.ofType(ROUTE).find((r) => r.inputs.spec.hostnames?.[0] === "r.example.com")!;
        for (const rule of route.inputs.spec.rules) {
            assert.deepStrictEqual(rule.filters, [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } }]);
        }
        // The printed URL is the route's own path, which both proxies answer.
        assert.ok(run.outputs.urls.ingress.includes("http://r.example.com/api"));
        assert.strictEqual(run.outputs.parity.cutover, "ready");
    });

    it("gives a Gateway the program installs ingress-nginx's 5 s connect timeout even with no policy set, and redirects http with 308", async () => {
        const run = await runProgram({ exposures: "gateway", routing: { hosts: ["s.example.com"], tls: [{ hosts: ["s.example.com"], secretName: "s-tls" }] } });
        const ngf = run.objects.filter((o) => o.apiVersion === "gateway.nginx.org/v1alpha1");
        assert.deepStrictEqual(
            ngf.map((o) => [o.metadata.name, o.spec.timeout]),
            [["veri-route-proxy-settings", { connect: "5s" }]],
        );
        const redirect = run.ofType(ROUTE).find((r) => r.inputs.metadata.name === "veri-route-http")!.inputs.spec.rules[0].filters[0];
        assert.strictEqual(redirect.requestRedirect.statusCode, 308);
        assert.match(run.outputs.parity.cutover, /^not applicable: only gateway is an exposure/);
    });

    it("declares no NGF policy for an existing Gateway, and the parity output names the default it cannot make the same", async () => {
        const run = await runProgram({ exposures: both, gateway: { existing: { name: "shared", namespace: "infra" } } });
        assert.strictEqual(run.objects.filter((o) => o.apiVersion === "gateway.nginx.org/v1alpha1").length, 0);
        assert.deepStrictEqual(run.outputs.parity.defaults.length, 1);
        assert.match(run.outputs.parity.cutover, /^blocked: timeouts: ingress-nginx's default is not made explicit/);
    });

    it("lists every ingress-nginx annotation the model does not cover as ingress-nginx only, and blocks the cutover", async () => {
        const run = await runProgram({ exposures: both, ingress: { annotations: { "nginx.ingress.kubernetes.io/affinity": "cookie" } } });
        assert.deepStrictEqual(run.outputs.parity.routes["*/vericonf"]["nginx.ingress.kubernetes.io/affinity"], {
            ingress: "exact",
            gateway: "ingress-nginx only: nginx.ingress.kubernetes.io/affinity",
        });
        assert.match(run.outputs.parity.cutover, /reaches ingress-nginx only/);
    });

    describe("refusals", () => {
        itRejects({
            why: "a policy the Gateway cannot express while gateway is an exposure (strict)",
            config: { exposures: both, routing: { allowSourceRanges: ["10.0.0.0/8"] } },
            key: "routing.allowSourceRanges",
            value: '["10.0.0.0/8"]',
            allowed: /NGINX Gateway Fabric 2\.6\.7.*gateway\.controller\.sourceRanges.*routing\.parity: report/,
        });
        itRejects({
            why: "header changes ingress-nginx cannot make, set on one host",
            config: { exposures: both, routing: { hosts: [{ host: "h.example.com", headers: { response: { set: { "X-A": "b" } } } }] } },
            key: "routing.hosts[0].headers",
            value: "X-A",
            allowed: /ingress-nginx 1\.15\.1 can express.*snippets/,
        });
        itRejects({
            why: "an ingress.annotations entry a typed policy owns",
            config: { exposures: "ingress", ingress: { annotations: { [BODY_SIZE_ANNOTATION]: "8m" } } },
            key: `ingress.annotations.${BODY_SIZE_ANNOTATION}`,
            value: '"8m"',
            allowed: /set routing\.maxBodySize instead/,
        });
        itRejects({
            why: "an ingress.annotations rewrite-target beside routing.rewrite",
            config: { exposures: "ingress", routing: { rewrite: { pathPrefix: "/v1" } }, ingress: { annotations: { [REWRITE_ANNOTATIONS.target]: "/$1" } } },
            key: `ingress.annotations.${REWRITE_ANNOTATIONS.target}`,
            value: '"/$1"',
            allowed: /nothing here while routing\.rewrite is set.*"\/v1\$1\$2"/,
        });
        itRejects({
            why: "a rewrite on an Exact path",
            config: { exposures: both, routing: { pathType: "Exact", rewrite: { pathPrefix: "/v1" } } },
            key: "routing.rewrite",
            value: "/v1",
            allowed: /Prefix paths only \(this path is Exact\)/,
        });
        itRejects({
            why: "two entries of one host with different policies",
            config: {
                exposures: both,
                routing: {
                    hosts: [
                        { host: "h.example.com", path: "/a", maxBodySize: "2m" },
                        { host: "h.example.com", path: "/b" },
                    ],
                },
            },
            key: "routing.hosts[1]",
            value: "/b",
            allowed: /the same traffic policies as routing\.hosts\[0\]/,
        });
        itRejects({
            why: "a header NGF refuses to change, even with parity: report",
            config: { exposures: "gateway", routing: { parity: "report", headers: { request: { set: { Host: "x" } } } } },
            key: "routing.headers",
            value: "Host",
            allowed: /not request host/,
        });
        itRejects({
            why: "a malformed policy value, with its path",
            config: { exposures: both, routing: { timeouts: { read: "60" } } },
            key: "routing.timeouts.read",
            value: '"60"',
            allowed: /1 to 4 digits and a unit s, m or h/,
        });
    });
});
