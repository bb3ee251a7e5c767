import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import { GATEWAY_API_LIMITS, ingressNginxAnnotationValues, ngfName, ngfProvisionedNames, VALIDATED_ANNOTATIONS } from "../../stacks/controllerRules";
import { ConfigError } from "../../config/errors";
import { CrdCatalog } from "../support/crdValidation";
import { runProgram, StackConfig } from "../support/program";
import { upstreamFile } from "../support/upstreamFiles";
import { itRejects } from "../support/badConfig";

/*
 * What ingress-nginx 1.15.1, NGINX Gateway Fabric 2.6.7 and the Gateway API v1.5.1 CRDs refuse or
 * break on, refused before anything is declared (issue 17; sources in docs/verification.md).
 */

const NGINX = "nginx.ingress.kubernetes.io/";
const annotated = (annotations: Record<string, string>, ingress: Record<string, unknown> = {}): StackConfig => ({
    exposures: "ingress",
    ingress: { ...ingress, annotations },
});
const TLS = { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }] };
const hostsOf = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.example.com`);

describe("controller rules (issue 17)", () => {
    describe("ingress-nginx 1.15.1 validates annotation values, and its webhook refuses the Ingress otherwise", () => {
        const bad: { name: string; value: string; allowed: RegExp }[] = [
            { name: "proxy-read-timeout", value: "60s", allowed: /whole number of seconds.*strconv\.Atoi/ },
            { name: "proxy-connect-timeout", value: "5.5", allowed: /whole number of seconds/ },
            { name: "proxy-send-timeout", value: "1 0", allowed: /no spaces/ },
            { name: "limit-rps", value: "ten", allowed: /whole number of requests per second/ },
            { name: "limit-connections", value: "1e3", allowed: /whole number of concurrent connections/ },
            { name: "limit-rpm", value: "99999999999999999999", allowed: /strconv\.Atoi/ },
            { name: "proxy-body-size", value: "8mb", allowed: /NGINX size.*b, k, m or g/ },
            { name: "proxy-body-size", value: "1.5m", allowed: /NGINX size/ },
            { name: "client-body-buffer-size", value: "-1", allowed: /NGINX size/ },
            { name: "ssl-redirect", value: "yes", allowed: /strconv\.ParseBool.*TRUE/ },
            { name: "force-ssl-redirect", value: "on", allowed: /true or false/ },
            { name: "use-regex", value: "enabled", allowed: /true or false/ },
            { name: "enable-cors", value: "maybe", allowed: /true or false/ },
            { name: "rewrite-target", value: "/$1?page=2", allowed: /letters, digits and - \. _ ~ \/ : \$ only/ },
            { name: "rewrite-target", value: "/a%20b", allowed: /no %/ },
            { name: "app-root", value: "/app root", allowed: /no spaces/ },
            { name: "backend-protocol", value: "AJP", allowed: /one of auto_http, http, https, grpc, grpcs, fcgi \(in any case\)/ },
            { name: "backend-protocol", value: "h2c", allowed: /grpcs/ },
            { name: "backend-protocol", value: "http2", allowed: /fcgi/ },
            { name: "affinity", value: "ip", allowed: /one of cookie \(case-sensitive\)/ },
            { name: "affinity", value: "Cookie", allowed: /case-sensitive/ },
            { name: "affinity-mode", value: "sticky", allowed: /balanced, persistent/ },
            { name: "load-balance", value: "least_conn", allowed: /round_robin, chash.*ewma/ },
            { name: "proxy-buffering", value: "On", allowed: /on, off \(case-sensitive\)/ },
            { name: "cors-allow-origin", value: "https://echo.example.com/app", allowed: /origins scheme:\/\/host\[:port\]/ },
            { name: "cors-allow-origin", value: "HTTPS://echo.example.com", allowed: /scheme lowercase/ },
            { name: "cors-allow-origin", value: "https://echo.example.com:https", allowed: /'\*', or comma-separated origins/ },
            { name: "cors-allow-methods", value: "GET;POST", allowed: /HTTP methods of letters only/ },
            { name: "cors-allow-methods", value: "GET,,POST", allowed: /separated by ','/ },
            { name: "cors-allow-methods", value: ",GET", allowed: /HTTP methods/ },
            { name: "cors-expose-headers", value: "X-A;X-B", allowed: /header names/ },
            { name: "session-cookie-samesite", value: "sometimes", allowed: /none, lax, strict \(in any case\)/ },
            { name: "custom-http-errors", value: "404,302", allowed: /4xx and 5xx/ },
            { name: "permanent-redirect", value: "https://example.com/a b", allowed: /no spaces, no %-escapes/ },
            { name: "proxy-next-upstream", value: "error  timeout", allowed: /separated by single spaces/ },
            { name: "default-backend", value: "Other_Service", allowed: /DNS-1035 label/ },
        ];
        for (const b of bad) {
            itRejects({
                why: `${b.name}: ${JSON.stringify(b.value)}`,
                config: annotated({ [`${NGINX}${b.name}`]: b.value }),
                key: `ingress.annotations.${NGINX}${b.name}`,
                value: JSON.stringify(b.value).slice(1, -1),
                allowed: new RegExp(`${b.allowed.source}.*ingress-nginx 1\\.15\\.1 validates ${b.name}`),
            });
        }

        const ranges: { name: string; value: string; allowed: RegExp }[] = [
            { name: "whitelist-source-range", value: "10.0.0.0/33", allowed: /not '10\.0\.0\.0\/33'.*at most 32/ },
            { name: "whitelist-source-range", value: "10.0.0.1/8", allowed: /the network is '10\.0\.0\.0\/8'/ },
            { name: "allowlist-source-range", value: "10.0.0.0/8,", allowed: /an empty entry/ },
            { name: "allowlist-source-range", value: "10.0.0.0/8, office", allowed: /not 'office', which is no IP address/ },
            { name: "denylist-source-range", value: "192.168.1.300", allowed: /no IP address/ },
            { name: "limit-allowlist", value: "2001:DB8::/32", allowed: /canonical form/ },
        ];
        for (const r of ranges) {
            itRejects({
                why: `${r.name}: ${JSON.stringify(r.value)}`,
                config: annotated({ [`${NGINX}${r.name}`]: r.value }),
                key: `ingress.annotations.${NGINX}${r.name}`,
                value: r.value,
                allowed: new RegExp(`comma-separated IP addresses or CIDRs.*net\\.ParseCIDR.*${r.allowed.source}`),
            });
        }
        for (const [alias, main] of [
            ["whitelist-source-range", "allowlist-source-range"],
            ["limit-whitelist", "limit-allowlist"],
        ]) {
            itRejects({
                why: `${alias} beside ${main}, which ingress-nginx would read instead`,
                config: annotated({ [`${NGINX}${alias}`]: "10.0.0.0/8", [`${NGINX}${main}`]: "192.168.0.0/16" }),
                key: `ingress.annotations.${NGINX}${alias}`,
                value: "10.0.0.0/8",
                allowed: new RegExp(`only one of ${NGINX}${main} and ${NGINX}${alias}.*would be ignored`),
            });
        }

        it("passes valid values through unchanged, in the spellings ingress-nginx takes", async () => {
            const annotations = {
                [`${NGINX}force-ssl-redirect`]: "True",
                [`${NGINX}backend-protocol`]: "HTTP",
                [`${NGINX}affinity`]: "cookie",
                [`${NGINX}session-cookie-samesite`]: "Lax",
                [`${NGINX}load-balance`]: "ewma",
                [`${NGINX}custom-http-errors`]: "404, 503",
                [`${NGINX}rewrite-target`]: "/$2",
                [`${NGINX}proxy-buffer-size`]: "",
                [`${NGINX}some-future-annotation`]: "anything",
            };
            const run = await runProgram({ exposures: "ingress", ingress: { annotations } });
            assert.deepStrictEqual(run.one("kubernetes:networking.k8s.io/v1:Ingress").inputs.metadata.annotations, annotations);
        });

        it("checks a long bad cors value in linear time (no regex backtracking)", () => {
            const started = Date.now();
            for (const name of ["cors-allow-origin", "cors-allow-methods", "cors-expose-headers"]) {
                assert.throws(() => ingressNginxAnnotationValues("ingress.annotations", { [`${NGINX}${name}`]: `${"a".repeat(50_000)}!` }), ConfigError);
            }
            assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
        });

        it("covers every annotation the brief and the docs name", () => {
            for (const name of [
                "proxy-body-size",
                "proxy-read-timeout",
                "proxy-send-timeout",
                "proxy-connect-timeout",
                "ssl-redirect",
                "force-ssl-redirect",
                "use-regex",
                "rewrite-target",
                "backend-protocol",
                "whitelist-source-range",
                "allowlist-source-range",
                "limit-rps",
                "limit-connections",
                "enable-cors",
                "affinity",
            ]) {
                assert.ok(VALIDATED_ANNOTATIONS.includes(`${NGINX}${name}`), name);
            }
        });
    });

    describe("ssl-redirect is the program's: ingress.sslRedirect sets it for the Ingress and the Gateway", () => {
        itRejects({
            why: 'ssl-redirect "false" on a TLS host while ingress.sslRedirect is on',
            config: annotated({ [`${NGINX}ssl-redirect`]: "false" }, TLS),
            key: `ingress.annotations.${NGINX}ssl-redirect`,
            value: "false",
            allowed: /agrees with ingress\.sslRedirect \(true\): set ingress\.sslRedirect instead/,
        });
        itRejects({
            why: 'ssl-redirect "true" while ingress.sslRedirect is false (the program would overwrite it)',
            config: annotated({ [`${NGINX}ssl-redirect`]: "true" }, { ...TLS, sslRedirect: false }),
            key: `ingress.annotations.${NGINX}ssl-redirect`,
            value: "true",
            allowed: /ingress\.sslRedirect \(false\)/,
        });
        itRejects({
            why: 'ssl-redirect "0" (Go false) on a TLS host with the redirect on',
            config: annotated({ [`${NGINX}ssl-redirect`]: "0" }, TLS),
            key: `ingress.annotations.${NGINX}ssl-redirect`,
            value: "0",
            allowed: /Ingress and to the Gateway alike/,
        });
        it("accepts one that agrees, or one without TLS (where it does nothing)", async () => {
            await runProgram(annotated({ [`${NGINX}ssl-redirect`]: "false" }, { ...TLS, sslRedirect: false }));
            await runProgram(annotated({ [`${NGINX}ssl-redirect`]: "false" }));
        });
    });

    describe("ingress-nginx's deep inspection refuses paths that look like NGINX directives or files", () => {
        itRejects({
            why: "a Prefix path under /etc/nginx",
            config: { exposures: "ingress", ingress: { path: "/etc/nginx/conf" } },
            key: "ingress.path",
            value: "/etc/nginx/conf",
            allowed: /deep inspection accepts: no \/etc\/passwd.*\/etc\/nginx/,
        });
        itRejects({
            why: "a host's own path with _by_lua",
            config: { exposures: "ingress", ingress: { hosts: ["a.example.com", { host: "b.example.com", path: "/content_by_lua" }] } },
            key: "ingress.hosts[1].path",
            value: "/content_by_lua",
            allowed: /no '_by_lua'/,
        });
        itRejects({
            why: "an ImplementationSpecific path with an alias directive",
            config: { exposures: "ingress", ingress: { pathType: "ImplementationSpecific", path: "/x alias /;" } },
            key: "ingress.path",
            value: "/x alias /;",
            allowed: /no 'alias' followed by ';'/,
        });
        itRejects({
            why: "a path into /var/run/secrets",
            config: { exposures: "ingress", ingress: { path: "/var/run/secrets/token" } },
            key: "ingress.path",
            value: "/var/run/secrets",
            allowed: /no \/var\/run\/secrets/,
        });
        it("accepts paths that only look alike", async () => {
            const hosts = ["/etc-nginx/passwd", "/by_lua", "/aliases", "/rooted"].map((path, i) => ({ host: `h${i}.example.com`, path }));
            await runProgram({ exposures: "ingress", ingress: { hosts } });
        });
    });

    describe("two Prefix paths that differ by a trailing '/' on one host are one NGINX location", () => {
        itRejects({
            why: "/vericonf and /vericonf/ on one host",
            config: { exposures: "ingress", ingress: { hosts: ["a.example.com", { host: "a.example.com", path: "/vericonf/" }] } },
            key: "ingress.hosts[1].path",
            value: "/vericonf/",
            allowed: /once per host, a trailing '\/' aside \(ingress\.path is '\/vericonf' for a\.example\.com\).*location '\/vericonf\/'/,
        });
        itRejects({
            why: "/echo/ then an inherited /echo, for any host",
            config: { exposures: "ingress", ingress: { path: "/echo", hosts: [{ path: "/echo/" }, {}] } },
            key: "ingress.path",
            value: "/echo",
            allowed: /ingress\.hosts\[0\]\.path is '\/echo\/'/,
        });
        itRejects({
            why: "a Prefix /api and an ImplementationSpecific /api/ (ingress-nginx treats it as Prefix)",
            config: {
                exposures: "ingress",
                ingress: {
                    hosts: [
                        { host: "a.example.com", path: "/api" },
                        { host: "a.example.com", path: "/api/", pathType: "ImplementationSpecific" },
                    ],
                },
            },
            key: "ingress.hosts[1].path",
            value: "/api/",
            allowed: /one NGINX location '\/api\/'/,
        });
        it("accepts them on different hosts, as Exact beside Prefix, and as regex paths", async () => {
            await runProgram({ exposures: "ingress", ingress: { path: "/echo", hosts: ["a.example.com", { host: "b.example.com", path: "/echo/" }] } });
            await runProgram({
                exposures: "ingress",
                ingress: {
                    hosts: [
                        { host: "a.example.com", path: "/echo", pathType: "Exact" },
                        { host: "a.example.com", path: "/echo/" },
                    ],
                },
            });
            await runProgram(
                annotated(
                    { [`${NGINX}use-regex`]: "true" },
                    {
                        hosts: [
                            { host: "a.example.com", path: "/echo" },
                            { host: "a.example.com", path: "/echo/" },
                        ],
                    },
                ),
            );
        });
    });

    describe("an ImplementationSpecific path with regex characters needs use-regex (refused, not set: see docs)", () => {
        itRejects({
            why: "/api/v[0-9]+ without use-regex",
            config: { exposures: "ingress", ingress: { pathType: "ImplementationSpecific", path: "/api/v[0-9]+" } },
            key: "ingress.path",
            value: "/api/v[0-9]+",
            allowed: /without regex characters \(it has '\['\), or ingress\.annotations\.nginx\.ingress\.kubernetes\.io\/use-regex: "true".*literal prefix/,
        });
        itRejects({
            why: "a host's own /(.*) with use-regex false",
            config: annotated({ [`${NGINX}use-regex`]: "false" }, { hosts: [{ host: "a.example.com", path: "/(.*)", pathType: "ImplementationSpecific" }] }),
            key: "ingress.hosts[0].path",
            value: "/(.*)",
            allowed: /it has '\('/,
        });
        itRejects({
            why: "/v1|/v2 inherited by a host",
            config: { exposures: "ingress", ingress: { pathType: "ImplementationSpecific", path: "/v1|/v2", hosts: ["a.example.com"] } },
            key: "ingress.path",
            value: "/v1|/v2",
            allowed: /it has '\|'/,
        });
        it("accepts them with use-regex or a rewrite-target, and dotted literal paths without", async () => {
            const regex = { pathType: "ImplementationSpecific", path: "/api/v[0-9]+" };
            await runProgram(annotated({ [`${NGINX}use-regex`]: "true" }, regex));
            await runProgram(annotated({ [`${NGINX}rewrite-target`]: "/$1" }, { ...regex, path: "/api(/|$)(.*)" }));
            await runProgram({ exposures: "ingress", ingress: { pathType: "ImplementationSpecific", path: "/files/index.html" } });
        });
    });

    describe("a path's error names the key the path was set at", () => {
        itRejects({
            why: "a path the HTTPRoute CRD refuses, inherited by the second host",
            config: { exposures: "gateway", ingress: { path: "/a//b", hosts: [{ host: "a.example.com", path: "/ok" }, "b.example.com"] } },
            key: "ingress.path",
            value: "/a//b",
            allowed: /accepts.*no '\/\/'/,
        });
        itRejects({
            why: "the first host's own path the HTTPRoute CRD refuses",
            config: { exposures: "gateway", ingress: { hosts: [{ host: "a.example.com", path: "/a/./b" }] } },
            key: "ingress.hosts[0].path",
            value: "/a/./b",
            allowed: /'\/\.\/'/,
        });
        itRejects({
            why: "an inherited ImplementationSpecific pathType with gateway, at the second host",
            config: {
                exposures: "gateway",
                ingress: { pathType: "ImplementationSpecific", path: "/x", hosts: [{ host: "a.example.com", pathType: "Prefix" }, "b.example.com"] },
            },
            key: "ingress.pathType",
            value: "ImplementationSpecific",
            allowed: /HTTPRoute has no ImplementationSpecific/,
        });
        itRejects({
            why: "a regex path inherited by a host whose own pathType is Prefix",
            config: {
                exposures: "ingress",
                ingress: { pathType: "ImplementationSpecific", path: "/api(.*)", hosts: [{ host: "a.example.com", pathType: "Prefix" }] },
            },
            key: "ingress.path",
            value: "/api(.*)",
            allowed: /for pathType Prefix or Exact.*\(ingress\.hosts\[0\]\.pathType is Prefix\)/,
        });
    });

    describe("NGINX Gateway Fabric 2.6.7 reserves data-plane ports for its own servers", () => {
        itRejects({
            why: "the http listener on the metrics port",
            config: { exposures: "gateway", gateway: { httpPort: 9113 } },
            key: "gateway.httpPort",
            value: "9113",
            allowed: /metrics port, which NGF refuses for listeners/,
        });
        itRejects({
            why: "the https listener on the metrics port",
            config: { exposures: "gateway", gateway: { httpsPort: 9113 } },
            key: "gateway.httpsPort",
            value: "9113",
            allowed: /MetricsPort/,
        });
        itRejects({
            why: "the http listener on the readiness-probe port",
            config: { exposures: "gateway", gateway: { httpPort: 8081 } },
            key: "gateway.httpPort",
            value: "8081",
            allowed: /readiness-probe port.*never become ready/,
        });
        it("leaves them to another implementation (controller not installed)", async () => {
            await runProgram({ exposures: "gateway", gateway: { httpPort: 9113, controller: { install: false } } });
        });
    });

    describe("NGINX Gateway Fabric reserves the path prefix /_ngf-internal", () => {
        itRejects({
            why: "the path /_ngf-internal",
            config: { exposures: "gateway", ingress: { path: "/_ngf-internal" } },
            key: "ingress.path",
            value: "/_ngf-internal",
            allowed: /not starting with '\/_ngf-internal'.*internal locations/,
        });
        itRejects({
            why: "a host's path under /_ngf-internal-mirror",
            config: { exposures: "gateway", ingress: { hosts: ["a.example.com", { host: "b.example.com", path: "/_ngf-internal-mirror/x" }] } },
            key: "ingress.hosts[1].path",
            value: "/_ngf-internal-mirror/x",
            allowed: /reserves it/,
        });
        itRejects({
            why: "an Exact path that only starts with it",
            config: { exposures: "gateway", ingress: { path: "/_ngf-internals", pathType: "Exact" } },
            key: "ingress.path",
            value: "/_ngf-internals",
            allowed: /NGINX Gateway Fabric/,
        });
        it("takes it for ingress-nginx alone, and on an existing Gateway (whose implementation is not known)", async () => {
            await runProgram({ exposures: "ingress", ingress: { path: "/_ngf-internal" } });
            await runProgram({ exposures: "gateway", ingress: { path: "/_ngf-internal" }, gateway: { existing: { name: "shared", namespace: "gateways" } } });
        });
    });

    describe("the Gateway's data-plane objects, named after <gateway.name>-<gateway.className>, are none of the program's", () => {
        itRejects({
            why: "gateway veri + class service, which NGF names veri-service",
            config: { exposures: "gateway", gateway: { name: "veri", className: "service" } },
            key: "gateway.name",
            value: "veri",
            allowed: /Service 'veri-service', which is already the program's there \(from serviceName\)/,
        });
        itRejects({
            why: "a serviceName equal to the default data-plane Service echo-gateway-nginx",
            config: { exposures: "gateway", serviceName: "echo-gateway-nginx" },
            key: "serviceName",
            value: "echo-gateway-nginx",
            allowed: /NGINX Gateway Fabric names them after '<gateway\.name>-<gateway\.className>'/,
        });
        itRejects({
            why: "a class that makes it the NodePort Service",
            config: { exposures: "gateway,nodePort", serviceName: "echo-gateway", gateway: { className: "nodeport" } },
            key: "gateway.className",
            value: "nodeport",
            allowed: /echo-gateway-nodeport/,
        });
        itRejects({
            why: "a name that makes it the LoadBalancer Service",
            config: { exposures: "gateway,loadBalancer", gateway: { name: "veri-service", className: "lb" } },
            key: "gateway.name",
            value: "veri-service",
            allowed: /veri-service-lb/,
        });
        itRejects({
            why: "gateway http + class echo, which NGF's Deployment would take from the echo Deployment",
            config: { exposures: "gateway", gateway: { name: "http", className: "echo" } },
            key: "gateway.name",
            value: "http",
            allowed: /Deployment 'http-echo', which is already the program's there \(a name the program fixes\)/,
        });
        itRejects({
            why: "a class that makes it the canary's Deployment",
            config: { exposures: "gateway", canary: { weight: 10, text: "canary" }, gateway: { name: "http-echo", className: "canary" } },
            key: "gateway.name",
            value: "http-echo",
            allowed: /Deployment 'http-echo-canary'/,
        });
        itRejects({
            why: "a TLS Secret named as NGF's agent TLS Secret copy (echo-gateway-nginx-agent-tls)",
            config: {
                exposures: "gateway",
                routing: { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-gateway-nginx-agent-tls" }] },
            },
            key: "routing.tls[0].secretName",
            value: "echo-gateway-nginx-agent-tls",
            allowed: /Secret 'echo-gateway-nginx-agent-tls'/,
        });
        it("accepts the same names for other kinds, and the canary's name without a canary", async () => {
            await runProgram({ exposures: "gateway", gateway: { name: "http-echo", className: "canary" } });
            await runProgram({
                exposures: "gateway",
                routing: { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-gateway-nginx" }] },
            });
        });
        describe("what NGF 2.6.7's provisioner names, by kind (provisioner/objects.go)", () => {
            // The hashed names are those of an independent port of resource.go checked against its resource_test.go.
            const cases: { gateway: string; className: string; kind: string; names: string[] }[] = [
                { gateway: "gateway", className: "nginx", kind: "Deployment", names: ["gateway-nginx"] },
                { gateway: "gateway", className: "nginx", kind: "ServiceAccount", names: ["gateway-nginx"] },
                { gateway: "gateway", className: "nginx", kind: "ConfigMap", names: ["gateway-nginx-includes-bootstrap", "gateway-nginx-agent-config"] },
                { gateway: "gateway", className: "nginx", kind: "Secret", names: ["gateway-nginx-agent-tls"] },
                // The derived names hash the already-hashed base again once they pass 63.
                { gateway: "g".repeat(50), className: "nginx", kind: "Service", names: [`${"g".repeat(50)}-nginx`] },
                { gateway: "g".repeat(50), className: "nginx", kind: "Secret", names: [`${"g".repeat(44)}-8f9f5ec6-agent-tls`] },
                {
                    gateway: "g".repeat(60),
                    className: "nginx",
                    kind: "ConfigMap",
                    names: [`${"g".repeat(35)}-c2440373-includes-bootstrap`, `${"g".repeat(41)}-9f4c7e44-agent-config`],
                },
            ];
            for (const c of cases) {
                it(`${c.kind} of ${c.gateway.length > 20 ? `${c.gateway.length} g's` : c.gateway}/${c.className}`, () => {
                    const names = ngfProvisionedNames(c.gateway, c.className)[c.kind];
                    assert.deepStrictEqual(names, c.names);
                    assert.ok(
                        names.every((n) => n.length <= 63),
                        names.join(", "),
                    );
                });
            }
        });
        it("names it as NGF does, hashing names past 63 characters", () => {
            assert.strictEqual(ngfName("echo-gateway", "nginx"), "echo-gateway-nginx");
            const long = ngfName("g".repeat(60), "nginx");
            assert.match(long, /^g{48}-[0-9a-f]{8}-nginx$/);
            assert.strictEqual(long.length, 63);
        });
        it("accepts the names when the Gateway is an existing one", async () => {
            await runProgram({ exposures: "gateway", gateway: { name: "veri", className: "service", existing: { name: "shared", namespace: "gateways" } } });
        });
    });

    describe("Gateway API v1.5.1 limits on what the program fills", () => {
        itRejects({
            why: "17 paths on one host (17 rules in its HTTPRoute)",
            config: { exposures: "gateway", ingress: { hosts: Array.from({ length: 17 }, (_, i) => ({ host: "a.example.com", path: `/p${i}` })) } },
            key: "ingress.hosts[16]",
            value: "a.example.com",
            allowed: /at most 16 paths per host.*spec\.rules maxItems/,
        });
        itRejects({
            why: "17 any-host paths",
            config: { exposures: "gateway", ingress: { hosts: Array.from({ length: 17 }, (_, i) => ({ path: `/p${i}` })) } },
            key: "ingress.hosts[16]",
            value: "/p16",
            allowed: /any host has more/,
        });
        itRejects({
            why: "17 paths on one host of an existing Gateway",
            config: {
                exposures: "gateway",
                ingress: { hosts: Array.from({ length: 17 }, (_, i) => ({ host: "a.example.com", path: `/p${i}` })) },
                gateway: { existing: { name: "shared", namespace: "gateways" } },
            },
            key: "ingress.hosts[16]",
            value: "a.example.com",
            allowed: /HTTPRoute CRD allows 16/,
        });
        itRejects({
            why: "64 TLS hosts (65 listeners)",
            config: { exposures: "gateway", ingress: { hosts: hostsOf(64), tls: [{ hosts: hostsOf(64), secretName: "many-tls" }] } },
            key: "ingress.tls[0].hosts[63]",
            value: "h63.example.com",
            allowed: /at most 63 TLS hosts.*64 listeners \(spec\.listeners maxItems\)/,
        });
        itRejects({
            why: "64 TLS hosts over two Secrets",
            config: {
                exposures: "gateway",
                ingress: {
                    hosts: hostsOf(64),
                    tls: [
                        { hosts: hostsOf(64).slice(0, 40), secretName: "a-tls" },
                        { hosts: hostsOf(64).slice(40), secretName: "b-tls" },
                    ],
                },
            },
            key: "ingress.tls[1].hosts[23]",
            value: "h63.example.com",
            allowed: /HTTPS listener beside the http one/,
        });
        itRejects({
            why: "a path of 1025 characters",
            config: { exposures: "gateway", ingress: { path: `/${"a".repeat(1024)}` } },
            key: "ingress.path",
            value: "(1025 characters)",
            allowed: /at most 1024 characters.*path\.value maxLength/,
        });
        itRejects({
            why: "a host's own path of 2000 characters",
            config: { exposures: "gateway", ingress: { hosts: [{ host: "a.example.com", path: `/${"b".repeat(1999)}` }] } },
            key: "ingress.hosts[0].path",
            value: "(2000 characters)",
            allowed: /at most 1024/,
        });
        it("accepts 16 paths on a host, and a path of 1024 characters (any length with ingress alone)", async () => {
            await runProgram({ exposures: "gateway", ingress: { hosts: Array.from({ length: 16 }, (_, i) => ({ host: "a.example.com", path: `/p${i}` })) } });
            await runProgram({ exposures: "gateway", ingress: { path: `/${"a".repeat(1023)}` } });
            await runProgram({ exposures: "ingress", ingress: { path: `/${"a".repeat(2000)}` } });
        });

        it("accepts 63 TLS hosts: 64 listeners, which the CRD takes and one more it refuses", async function () {
            // 126 HTTPRoutes under the mocks, and the CEL checks of the CRD.
            this.timeout(60_000);
            const run = await runProgram({ exposures: "gateway", ingress: { hosts: hostsOf(63), tls: [{ hosts: hostsOf(63), secretName: "many-tls" }] } });
            const gateway = structuredClone(run.objects.find((o) => o.kind === "Gateway")!);
            delete gateway.status;
            assert.strictEqual(gateway.spec.listeners.length, GATEWAY_API_LIMITS.listeners);
            const catalog = CrdCatalog.fromFiles([upstreamFile("gateway-api", "v1.5.1", "standard-install.yaml")]);
            assert.deepStrictEqual(catalog.validate(gateway).violations, []);
            gateway.spec.listeners.push({ ...gateway.spec.listeners[1], name: "one-more", hostname: "one-more.example.com" });
            assert.match(JSON.stringify(catalog.validate(gateway).violations), /at most 64 items/);
        });

        it("accepts 64 TLS hosts on an existing Gateway (the program declares no listeners)", async () => {
            await runProgram({
                exposures: "gateway",
                ingress: { hosts: hostsOf(64), tls: [{ hosts: hostsOf(64), secretName: "many-tls" }] },
                gateway: { existing: { name: "shared", namespace: "gateways" } },
            });
        });

        it("the program's limits are the pinned CRDs' (read from the bundle through the resolver)", () => {
            const docs = yaml.loadAll(fs.readFileSync(upstreamFile("gateway-api", "v1.5.1", "standard-install.yaml"), "utf8")) as any[];
            const schema = (crd: string) => {
                const doc = docs.find((d) => d?.kind === "CustomResourceDefinition" && d.metadata.name === crd);
                return doc.spec.versions.find((ver: any) => ver.name === "v1").schema.openAPIV3Schema.properties.spec.properties;
            };
            const route = schema("httproutes.gateway.networking.k8s.io");
            const gateway = schema("gateways.gateway.networking.k8s.io");
            const rule = route.rules.items.properties;
            assert.deepStrictEqual(
                {
                    listeners: gateway.listeners.maxItems,
                    rulesPerRoute: route.rules.maxItems,
                    hostnamesPerRoute: route.hostnames.maxItems,
                    matchesPerRule: rule.matches.maxItems,
                    parentRefsPerRoute: route.parentRefs.maxItems,
                    backendRefsPerRule: rule.backendRefs.maxItems,
                    pathLength: rule.matches.items.properties.path.properties.value.maxLength,
                },
                { ...GATEWAY_API_LIMITS },
            );
        });
    });
});
