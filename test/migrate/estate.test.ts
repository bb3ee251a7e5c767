import * as assert from "assert";
import * as yaml from "js-yaml";
import { migrateEstate, Migration } from "../../migrate/estate";
import { readManifests } from "../../migrate/manifests";
import { reportMarkdown } from "../../migrate/report";
import { runProgram } from "../support/program";

/*
 * `npm run migrate` on estates shaped like real ones, written here: several Ingresses, shared
 * hosts, TLS, canary pairs, regex paths, unknown annotations, duplicates, other classes, the List
 * kubectl prints. Each migrated config is run through the program (its schema and rules): a config
 * the program refuses would be a bug.
 */

const A = "nginx.ingress.kubernetes.io/";

function ingress(
    name: string,
    o: {
        ns?: string;
        annotations?: Record<string, string>;
        rules: [string | undefined, string, string?, string?][];
        tls?: unknown[];
        created?: string;
        className?: string;
    },
) {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name, namespace: o.ns ?? "shop", annotations: o.annotations, ...(o.created ? { creationTimestamp: o.created } : {}) },
        spec: {
            ingressClassName: o.className ?? "nginx",
            ...(o.tls ? { tls: o.tls } : {}),
            rules: o.rules.map(([host, path, pathType, service]) => ({
                ...(host ? { host } : {}),
                http: { paths: [{ path, pathType: pathType ?? "Prefix", backend: { service: { name: service ?? "web", port: { number: 80 } } } }] },
            })),
        },
    };
}

const migrate = (objects: unknown[], className?: string) =>
    migrateEstate(readManifests(objects.map((o) => yaml.dump(o)).join("---\n"), "estate.yaml"), { className });
const verdictOf = (m: Migration, annotation: string) => m.report.ingresses.flatMap((i) => i.annotations).find((a) => a.annotation === annotation);
const routing = (m: Migration) => m.config!["echo-exposure:routing"] as any;

/** The migrated config through the program: it must be accepted. */
async function accepted(m: Migration) {
    const run = await runProgram(m.config!);
    return run.outputs.parity.cutover as string;
}

describe("npm run migrate on an estate (issue 23)", () => {
    it("several Ingresses with policies, TLS and a shared host: per-host policies, one TLS Secret per host, the report per annotation", async () => {
        const m = migrate([
            ingress("api", {
                annotations: { [`${A}proxy-body-size`]: "16M", [`${A}proxy-read-timeout`]: "120", [`${A}limit-rps`]: "10" },
                rules: [["api.example.com", "/v1"]],
                tls: [{ hosts: ["api.example.com"], secretName: "api-tls" }],
            }),
            ingress("web", { annotations: { [`${A}whitelist-source-range`]: "10.0.0.0/8, 192.168.0.0/16" }, rules: [["www.example.com", "/"]] }),
            ingress("web-extra", { rules: [["www.example.com", "/static"]] }),
        ]);
        const r = routing(m);
        assert.deepStrictEqual(r.hosts[0], {
            host: "api.example.com",
            path: "/v1",
            pathType: "Prefix",
            maxBodySize: "16m",
            rateLimit: { requestsPerSecond: 10, burst: 50 },
            timeouts: { read: "120s" },
        });
        assert.deepStrictEqual(r.hosts[1].allowSourceRanges, ["10.0.0.0/8", "192.168.0.0/16"]);
        // www.example.com/static (another Ingress) takes the host's policies: they are per host.
        assert.deepStrictEqual(r.hosts[2].allowSourceRanges, ["10.0.0.0/8", "192.168.0.0/16"]);
        assert.ok(m.report.notes.some((n) => /www\.example\.com\/static \(shop\/web-extra\) takes the policies of shop\/web/.test(n)));
        assert.deepStrictEqual(r.tls, [{ hosts: ["api.example.com"], secretName: "api-tls" }]);
        assert.strictEqual(r.parity, "report");
        assert.match(verdictOf(m, `${A}proxy-body-size`)!.gateway, /^approximate: '16M' is written '16m'/);
        assert.match(verdictOf(m, `${A}whitelist-source-range`)!.gateway, /^unsupported: NGINX Gateway Fabric 2\.6\.7 has no per-route source allow-list/);
        assert.match(await accepted(m), /^blocked: .*allowSourceRanges is unsupported on gateway/);
    });

    it("a canary pair: weight out of a total, header and value; the canary's other annotations dropped", async () => {
        const m = migrate([
            ingress("shop", { rules: [["shop.example.com", "/"]] }),
            ingress("shop-canary", {
                annotations: {
                    [`${A}canary`]: "true",
                    [`${A}canary-weight`]: "25",
                    [`${A}canary-weight-total`]: "200",
                    [`${A}canary-by-header`]: "X-Beta",
                    [`${A}canary-by-header-value`]: "on",
                    [`${A}canary-by-cookie`]: "beta",
                    [`${A}proxy-body-size`]: "1m",
                },
                rules: [["shop.example.com", "/", "Prefix", "shop-v2"]],
            }),
        ]);
        assert.deepStrictEqual(m.config!["echo-exposure:canary"], { text: "canary", weight: 13, header: { name: "X-Beta", value: "on" } });
        assert.match(verdictOf(m, `${A}canary-weight`)!.gateway, /^approximate: 25 of 200 is 13 %/);
        assert.strictEqual(verdictOf(m, `${A}canary-by-header-value`)!.gateway, "exact");
        assert.match(verdictOf(m, `${A}canary-by-cookie`)!.gateway, /^unsupported: the program's canary has no cookie match/);
        assert.match(verdictOf(m, `${A}proxy-body-size`)!.gateway, /ignores it on a canary Ingress/);
        await accepted(m);
    });

    it("canary-by-header alone: 'always' on both, 'never' noted; a second canary is not migrated", async () => {
        const m = migrate([
            ingress("a", { rules: [["a.example.com", "/"]] }),
            ingress("a-canary", {
                created: "2026-01-01T00:00:00Z",
                annotations: { [`${A}canary`]: "true", [`${A}canary-by-header`]: "X-Canary" },
                rules: [["a.example.com", "/"]],
            }),
            ingress("a-canary-2", {
                created: "2026-02-01T00:00:00Z",
                annotations: { [`${A}canary`]: "true", [`${A}canary-weight`]: "5" },
                rules: [["a.example.com", "/"]],
            }),
        ]);
        assert.deepStrictEqual((m.config!["echo-exposure:canary"] as any).header, { name: "X-Canary", value: "always" });
        assert.match(verdictOf(m, `${A}canary-by-header`)!.gateway, /^approximate: 'always' goes to the canary on both; 'never'/);
        const second = m.report.ingresses.find((i) => i.ingress === "shop/a-canary-2")!;
        assert.match(second.notes.join(), /one canary for every route: shop\/a-canary's is migrated/);
        await accepted(m);
    });

    it("duplicates: the oldest Ingress's host and path win, as ingress-nginx serves them; equal ages by namespace/name descending", () => {
        const m = migrate([
            ingress("young", { created: "2026-03-01T00:00:00Z", rules: [["d.example.com", "/", "Prefix", "young"]] }),
            ingress("old", { created: "2025-01-01T00:00:00Z", rules: [["d.example.com", "/", "Prefix", "old"]] }),
            ingress("b", { ns: "x", created: "2024-01-01T00:00:00Z", rules: [["e.example.com", "/", "Prefix", "b"]] }),
            ingress("c", { ns: "x", created: "2024-01-01T00:00:00Z", rules: [["e.example.com", "/", "Prefix", "c"]] }),
        ]);
        const rules = Object.fromEntries(m.report.ingresses.map((i) => [i.ingress, i.rules[0].becomes]));
        assert.match(rules["shop/young"], /^not migrated: shop\/old routes the same host and path/);
        assert.match(rules["x/b"], /^not migrated: x\/c routes the same host and path/);
        assert.match(rules["shop/old"], /^routing\.hosts\[\d\]$/);
    });

    it("the rewrite idiom becomes a typed rewrite; other rewrites and regex paths stay ingress-nginx only, with ingress alone", async () => {
        const idiom = migrate([
            ingress("r", {
                annotations: { [`${A}rewrite-target`]: "/$2", [`${A}use-regex`]: "true" },
                rules: [["r.example.com", "/api(/|$)(.*)", "ImplementationSpecific"]],
            }),
        ]);
        assert.deepStrictEqual(routing(idiom).hosts[0], { host: "r.example.com", path: "/api", pathType: "Prefix" });
        // One host: its policies are routing's own.
        assert.deepStrictEqual(routing(idiom).rewrite, { pathPrefix: "/" });
        assert.match(verdictOf(idiom, `${A}rewrite-target`)!.gateway, /^approximate: ingress-nginx matched these paths case-insensitively/);
        assert.deepStrictEqual(idiom.config!["echo-exposure:exposures"], ["ingress", "gateway"]);
        await accepted(idiom);

        const regex = migrate([
            ingress("g", {
                annotations: { [`${A}use-regex`]: "true", [`${A}rewrite-target`]: "/item/$1" },
                rules: [["g.example.com", "/items/([0-9]+)", "ImplementationSpecific"]],
            }),
        ]);
        assert.deepStrictEqual(routing(regex).hosts[0], { host: "g.example.com", path: "/items/([0-9]+)", pathType: "ImplementationSpecific" });
        assert.deepStrictEqual(regex.config!["echo-exposure:exposures"], ["ingress"]);
        assert.deepStrictEqual((regex.config!["echo-exposure:ingress"] as any).annotations, { [`${A}use-regex`]: "true", [`${A}rewrite-target`]: "/item/$1" });
        assert.match(verdictOf(regex, `${A}use-regex`)!.gateway, /^unsupported: regex paths reach ingress-nginx only/);
        await accepted(regex);
    });

    it("use-regex on one Ingress of a shared host: the other Ingress's paths, which ingress-nginx then matches as regexes, are named", async () => {
        const m = migrate([
            ingress("a", { annotations: { [`${A}use-regex`]: "true" }, rules: [["s.example.com", "/a[0-9]+", "ImplementationSpecific"]] }),
            ingress("b", { rules: [["s.example.com", "/B"]] }),
        ]);
        assert.ok(
            m.report.notes.some((n) =>
                /^shop\/a's use-regex\/rewrite-target made ingress-nginx match shop\/b's s\.example\.com\/B as a case-insensitive regex too/.test(n),
            ),
            JSON.stringify(m.report.notes),
        );
        await accepted(m);
    });

    it("every annotation appears in the report: snippets refused, unknown ones not recognised, others ingress-nginx only", async () => {
        const m = migrate([
            ingress("misc", {
                annotations: {
                    [`${A}configuration-snippet`]: "more_set_headers 'X: y';",
                    [`${A}affinity`]: "cookie",
                    "cert-manager.io/cluster-issuer": "letsencrypt",
                    "kubernetes.io/ingress.class": "nginx",
                    [`${A}ssl-redirect`]: "false",
                },
                rules: [["m.example.com", "/"]],
                tls: [{ hosts: ["m.example.com"], secretName: "m-tls" }],
            }),
        ]);
        assert.match(verdictOf(m, `${A}configuration-snippet`)!.gateway, /^unsupported: snippets are refused by the program/);
        assert.strictEqual(verdictOf(m, `${A}configuration-snippet`)!.becomes, "dropped");
        assert.match(verdictOf(m, "cert-manager.io/cluster-issuer")!.gateway, /^not recognised/);
        assert.strictEqual(verdictOf(m, `${A}affinity`)!.becomes, "ingress.annotations");
        assert.strictEqual(routing(m).sslRedirect, false);
        assert.strictEqual(m.report.ingresses[0].annotations.length, 5);
        assert.deepStrictEqual(m.report.summary, { exact: 2, approximate: 0, unsupported: 2, notRecognised: 1 });
        assert.match(reportMarkdown(m.report), /\*\*2 exact, 0 approximate, 2 unsupported, 1 not recognised\*\*/);
        await accepted(m);
    });

    it("skips what is not a networking.k8s.io/v1 Ingress of the class, and reads the List kubectl prints", () => {
        const list = {
            apiVersion: "v1",
            kind: "List",
            items: [
                ingress("one", { rules: [["o.example.com", "/"]] }),
                ingress("other-class", { className: "traefik", rules: [["t.example.com", "/"]] }),
                { apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: { name: "old" }, spec: {} },
                { apiVersion: "v1", kind: "Service", metadata: { name: "web" } },
            ],
        };
        const m = migrateEstate(readManifests(JSON.stringify(list), "list.json"));
        assert.deepStrictEqual(
            m.report.skipped.map((s) => [s.source, s.why.split(",")[0].split(":")[0]]),
            [
                ["list.json items[2]", "an Ingress of extensions/v1beta1"],
                ["list.json items[3]", "kind Service"],
                ["list.json items[1]", "an Ingress of class 'traefik'"],
            ],
        );
        assert.strictEqual(routing(m).hosts.length, 1);
        assert.strictEqual(
            migrate([ingress("t", { className: "traefik", rules: [["t.example.com", "/"]] })], "traefik").config!["echo-exposure:ingress"] !== undefined,
            true,
        );
    });

    it("a Service the program does not deploy is named; a file that is not YAML is one clear error; no Ingress gives no config", () => {
        const m = migrate([ingress("api", { rules: [["a.example.com", "/", "Prefix", "api-backend"]] })]);
        assert.match(
            m.report.ingresses[0].notes.join(),
            /its Service api-backend:80 is not deployed by this program; the route reaches the echo app's veri-service/,
        );
        assert.throws(() => readManifests("a: [b\n", "broken.yaml"), /^Error: broken\.yaml: not YAML or JSON/);
        assert.strictEqual(migrateEstate([]).config, undefined);
    });
});
