import * as assert from "assert";
import { ConfigError } from "../../config/errors";
import { pinnedImage } from "../../stacks/kubernetesValues";
import {
    CERT_MANAGER_CLUSTER_OBJECTS,
    clusterObjectClash,
    ingressNginxClusterObjects,
    ngfClusterObjects,
    ngfFullname,
    ngfReleaseName,
} from "../../stacks/chartNames";
import { ingressNginxRoutes } from "../../stacks/controllerRules";
import { itRejects } from "../support/badConfig";
import { ingressAnnotations } from "../../stacks/ingress";
import { parseRoutes } from "../../stacks/routes";
import { CONFIG_SHAPE } from "../../stacks/schema";
import { takesStructure } from "../../config/schemaKit";
import { runProgram } from "../support/program";

/*
 * Issue 24, round 2 of hostile configs: table tests of the pure rules (several variants each).
 */

const refuses = (fn: () => unknown, key: string, allowed: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof ConfigError && e.key === key && allowed.test(e.allowed), `expected ${key} refused with ${allowed}`);

describe("hostile configs, round 2 (issue 24)", () => {
    describe("1. Ingress paths the API server refuses (validateHTTPIngressPath), with only ingress on", () => {
        for (const pathType of ["Prefix", "Exact"] as const) {
            for (const path of ["/a//b", "//", "/a/./b", "/a/../b", "/a/.", "/a/..", "/.", "/.."]) {
                it(`refuses ${pathType} ${path}`, () =>
                    refuses(() => parseRoutes("routing", { path, pathType, sslRedirect: true }), "routing.path", /API server accepts in an Ingress/));
            }
        }
        it("names a host's own path", () =>
            refuses(
                () => parseRoutes("routing", { path: "/ok", pathType: "Prefix", sslRedirect: true, hosts: [{ host: "a.example.com", path: "/x/../y" }] }),
                "routing.hosts[0].path",
                /it has '\/\.\.\/'/,
            ));
        for (const path of ["/a.b", "/.well-known/x", "/a/..b", "/v1.0/"]) {
            it(`accepts ${path}`, () => assert.strictEqual(parseRoutes("routing", { path, pathType: "Prefix", sslRedirect: true }).routes[0].path, path));
        }
    });

    describe("2. NGF release names whose pre-install Job name passes 63 characters", () => {
        const name = (n: number, withChart = false) => (withChart ? "nginx-gateway-fabric" : "").padStart(n, "a");
        for (const [release, fullname] of [
            ["ngf", "ngf-nginx-gateway-fabric"],
            ["my-nginx-gateway-fabric", "my-nginx-gateway-fabric"],
        ]) {
            it(`${release}: the chart's fullname is ${fullname}`, () => assert.strictEqual(ngfFullname(release), fullname));
        }
        for (const release of [name(27), name(48, true), "ngf"])
            it(`accepts ${release.length} characters (${release})`, () => assert.strictEqual(ngfReleaseName("k", release), release));
        for (const release of [name(28), name(40), name(53), name(49, true)]) {
            it(`refuses ${release.length} characters`, () =>
                refuses(
                    () => ngfReleaseName("gateway.controller.releaseName", release),
                    "gateway.controller.releaseName",
                    /at most 27 characters, or 48 when it contains 'nginx-gateway-fabric'.*cert-generator/,
                ));
        }
        itRejects({
            why: "a 40-character NGF release name",
            config: { exposures: "gateway", gateway: { controller: { releaseName: name(40) } } },
            key: "gateway.controller.releaseName",
            value: name(40),
            allowed: /job-name label/,
        });
    });

    describe("3. two charts that would own the same cluster-scoped object", () => {
        const ingress = (release: string) => ({
            chart: "ingress-nginx",
            key: "ingress.controller.releaseName",
            value: release,
            objects: ingressNginxClusterObjects(release, "nginx"),
        });
        const ngf = (release: string) => ({
            chart: "nginx-gateway-fabric",
            key: "gateway.controller.releaseName",
            value: release,
            objects: ngfClusterObjects(release, "nginx"),
        });
        const cm = { chart: "cert-manager", key: "certManager", value: "cert-manager", objects: CERT_MANAGER_CLUSTER_OBJECTS };
        for (const [why, charts, said] of [
            [
                "ingress-nginx named as NGF's fullname",
                [ingress("ngf-nginx-gateway-fabric"), ngf("ngf")],
                /ClusterRole 'ngf-nginx-gateway-fabric'.*Helm refuses the second release/,
            ],
            [
                "ingress-nginx's admission hook named as NGF's fullname",
                [ingress("nginx-gateway-fabric"), ngf("nginx-gateway-fabric-admission")],
                /ClusterRole 'nginx-gateway-fabric-admission'.*admission hook would delete/,
            ],
            ["ingress-nginx named as a cert-manager ClusterRole", [cm, ingress("cert-manager-cainjector")], /ClusterRole 'cert-manager-cainjector'/],
            ["ingress-nginx named cert-manager-view", [cm, ingress("cert-manager-view")], /ClusterRole 'cert-manager-view'/],
        ] as const) {
            it(`refuses ${why}`, () => {
                const clash = clusterObjectClash([...charts]);
                assert.ok(clash && clash.key === charts[charts.length - 1].key && said.test(clash.allowed), clash?.message);
            });
        }
        it("lets distinct names through (the defaults, and an IngressClass named as the GatewayClass)", () =>
            assert.strictEqual(clusterObjectClash([cm, ingress("ingress-nginx"), ngf("ngf")]), undefined));
        itRejects({
            why: "an ingress-nginx release named as NGF's ClusterRole, through the program",
            config: { exposures: "ingress,gateway", ingress: { controller: { releaseName: "ngf-nginx-gateway-fabric" } } },
            key: "gateway.controller.releaseName",
            value: "ngf",
            allowed: /ClusterRole 'ngf-nginx-gateway-fabric'/,
        });
    });

    describe("4. registry ports outside 1-65535", () => {
        for (const image of [
            "registry.example.com:0/echo:1.0",
            "registry.example.com:65536/echo:1.0",
            "localhost:99999/echo:1.0",
            "[2001:db8::1]:70000/echo:1.0",
        ]) {
            it(`refuses ${image}`, () => refuses(() => pinnedImage("image", image), "image", /port \d+ is not 1-65535/));
        }
        for (const image of [
            "registry.example.com:1/echo:1.0",
            "registry.example.com:65535/echo:1.0",
            "localhost:5000/echo:1.0",
            "[2001:db8::1]:5000/echo:1.0",
        ]) {
            it(`accepts ${image}`, () => assert.strictEqual(pinnedImage("image", image), image));
        }
    });

    describe("8. canary annotations on the main Ingress", () => {
        for (const name of ["canary", "canary-weight", "canary-by-header", "canary-by-cookie"]) {
            const annotation = `nginx.ingress.kubernetes.io/${name}`;
            it(`refuses ${annotation}`, () =>
                refuses(() => ingressAnnotations("ingress.annotations", { [annotation]: "true" }), `ingress.annotations.${annotation}`, /set the canary key/));
        }
        it("lets a look-alike through", () =>
            assert.deepStrictEqual(ingressAnnotations("ingress.annotations", { "example.com/canary": "x" }), { "example.com/canary": "x" }));
    });

    describe("12. a literal ImplementationSpecific path no request reaches once NGINX normalised it", () => {
        const check = (path: string, annotations: Record<string, string> = {}) =>
            ingressNginxRoutes([{ path, pathType: "ImplementationSpecific" }], annotations, "ingress.annotations", () => "routing.path");
        for (const path of ["/a//b", "//", "/a/./b", "/a/../b", "/a/.", "/a/..", "/./x"]) {
            it(`refuses ${path}`, () => refuses(() => check(path), "routing.path", /NGINX merges '\/\/' and resolves '\.' and '\.\.' segments/));
        }
        for (const path of ["/a#b", "/a%20b", "/a b", "/a..b/c", "/.well-known"]) it(`accepts ${path}`, () => check(path));
        it("leaves regex paths alone (use-regex)", () => check("/a/.+//?", { "nginx.ingress.kubernetes.io/use-regex": "true" }));
    });

    describe("14. a scalar key's text that starts with '[' or '{' is the value, not JSON", () => {
        const structured = Object.entries(CONFIG_SHAPE)
            .filter(([, schema]) => takesStructure(schema))
            .map(([k]) => k);
        it("reads JSON only for keys that take a list or an object", () => {
            for (const k of ["exposures", "routing", "ingress", "gateway", "canary", "resources", "loadBalancer"]) assert.ok(structured.includes(k), k);
            for (const k of ["text", "image", "namespace", "serviceName", "nodeAddress", "nodePort"]) assert.ok(!structured.includes(k), k);
        });
        for (const text of ['{"status":"ok"}', "[beta] build 7", "[", "{}"]) {
            it(`text ${JSON.stringify(text)} is served as written`, async () => {
                const run = await runProgram({ text });
                const args = run.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec.containers[0].args as string[];
                assert.ok(args.includes(`-text=${text}`), JSON.stringify(args));
            });
        }
        it("an image on an [IPv6] registry is accepted", async () => {
            const image = "[2001:db8::1]:5000/team/echo:1.0";
            const run = await runProgram({ image });
            assert.strictEqual(run.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec.containers[0].image, image);
        });
    });
});
