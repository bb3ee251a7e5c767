import * as assert from "assert";
import { MOCK_LB_HOSTNAME, MOCK_LB_IP } from "../support/clusterMocks";
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../support/program";
import { validateAgainstSchema } from "../support/schemas";
import { upstreamFile } from "../support/upstreamFiles";
import { findArtifact } from "../../upstream/lock";
import { MIRROR_ENV, sha256 } from "../../upstream/resolver";

const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const CHART = "kubernetes:helm.sh/v3:Release";
const CRDS = "kubernetes:yaml/v2:ConfigFile";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

const tlsRouting = {
    hosts: ["secure.example.com", "plain.example.com"],
    tls: [{ hosts: ["secure.example.com"], secretName: "secure-tls" }],
};

describe("Gateway API exposure", () => {
    describe("the implementation", () => {
        it("installs the pinned standard-channel Gateway API CRDs and the pinned NGINX Gateway Fabric chart", async () => {
            const run = await runProgram({ exposures: "gateway" });
            // A local file the resolver verified against upstream.lock.json (here: the mirror's), not a URL.
            const file: string = run.one(CRDS).inputs.file;
            assert.strictEqual(file, upstreamFile("gateway-api", "v1.5.1", "standard-install.yaml"));
            assert.strictEqual(
                sha256(fs.readFileSync(file)),
                findArtifact("gateway-api", "v1.5.1")!.files.find((f) => f.path === "standard-install.yaml")!.sha256,
            );
            const chart = run.one(CHART).inputs;
            // With a mirror (the test setup sets one): its chart folder by absolute path, no repository.
            assert.strictEqual(chart.chart, path.join(process.env[MIRROR_ENV]!, "nginx-gateway-fabric", "2.6.7", "chart"));
            assert.strictEqual(chart.repositoryOpts, undefined);
            assert.strictEqual(chart.version, "2.6.7");
            assert.strictEqual(chart.namespace, "nginx-gateway");
            assert.strictEqual(chart.values.nginxGateway.gatewayClassName, "nginx");
            assert.strictEqual(chart.values.nginx.service.type, "LoadBalancer");
            assert.ok(chart.values.nginxGateway.resources.requests.cpu, "control plane resource requests");
            assert.ok(chart.values.nginx.container.resources.requests.memory, "data plane resource requests");
        });

        it("installs NGF with a real Helm release, whose pre-install hook makes the control plane's TLS Secrets", async () => {
            const run = await runProgram({ exposures: "gateway" });
            // helm.v4.Chart renders hooks as plain objects or drops them; only a Release runs them.
            assert.strictEqual(run.ofType("kubernetes:helm.sh/v4:Chart").length, 0);
            const release = run.one(CHART).inputs;
            assert.strictEqual(release.name, "ngf");
            assert.strictEqual(release.atomic, true, "a failed install is rolled back, so the next up starts clean");
            // The chart's only Service is the control plane's ClusterIP: the Gateway, not Helm, waits for a load balancer.
            assert.strictEqual(release.timeout, undefined);
            const ns = run.ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "nginx-gateway")!;
            assert.strictEqual(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        });

        it("runs the configured data-plane replicas, spread across nodes", async () => {
            const one = (await runProgram({ exposures: "gateway" })).one(CHART).inputs.values.nginx;
            assert.strictEqual(one.replicas, 1);
            assert.strictEqual(one.pod, undefined);
            const two = (await runProgram({ exposures: "gateway", gateway: { controller: { replicas: 2 } } })).one(CHART).inputs.values.nginx;
            assert.strictEqual(two.replicas, 2);
            assert.deepStrictEqual(two.pod.topologySpreadConstraints[0].labelSelector.matchLabels, {
                "gateway.networking.k8s.io/gateway-name": "echo-gateway",
            });
        });

        it("orders the CRDs before the controller, the controller before the Gateway, and the Gateway before its routes", async () => {
            const run = await runProgram({ exposures: "gateway" });
            const reg = (type: string) => run.registrations.find((r) => r.type === type)!;
            const dependsOn = (type: string, on: string) =>
                reg(type).dependencies.some((urn) => urn.includes(`::${on}::`) || urn.endsWith(`${on}::${reg(on).name}`));
            assert.ok(dependsOn(CHART, CRDS), "chart waits for CRDs");
            assert.ok(dependsOn(GATEWAY, CHART) && dependsOn(GATEWAY, CRDS), "Gateway waits for CRDs and controller");
            assert.ok(dependsOn(ROUTE, GATEWAY), "route waits for its Gateway");
        });

        it("takes chart and CRD versions, class, data-plane service type and node ports from config", async () => {
            const run = await runProgram({
                exposures: "gateway",
                gateway: {
                    className: "edge",
                    nodePorts: { http: 30082 },
                    controller: { serviceType: "NodePort", chartVersion: "2.6.7", crdsVersion: "1.5.1" },
                },
            });
            const chart = run.one(CHART).inputs;
            assert.strictEqual(chart.version, "2.6.7");
            assert.match(run.one(CRDS).inputs.file, /v1\.5\.1\/standard-install\.yaml$/);
            assert.strictEqual(chart.values.nginxGateway.gatewayClassName, "edge");
            assert.deepStrictEqual(chart.values.nginx.service, {
                type: "NodePort",
                nodePorts: [{ port: 30082, listenerPort: 80 }],
                externalTrafficPolicy: "Cluster",
            });
            assert.strictEqual(run.one(GATEWAY).inputs.spec.gatewayClassName, "edge");
        });
    });

    it("leaves the cluster-wide CRDs alone when installCrds is false", async () => {
        const run = await runProgram({ exposures: "gateway", gateway: { controller: { installCrds: false } } });
        assert.strictEqual(run.ofType(CRDS).length, 0);
        assert.strictEqual(run.ofType(CHART).length, 1);
    });

    it("passes data-plane Service annotations as a patch (NginxProxy's Service spec has no annotations field)", async () => {
        const annotations = { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" };
        const run = await runProgram({ exposures: "gateway", gateway: { controller: { serviceAnnotations: annotations } } });
        assert.deepStrictEqual(run.one(CHART).inputs.values.nginx.service.patches, [{ type: "Merge", value: { metadata: { annotations } } }]);
        assert.strictEqual(run.one(CHART).inputs.values.nginx.service.annotations, undefined);
    });

    describe("the Gateway and its routes", () => {
        it("declares a Gateway with an HTTP listener and the seed's /vericonf route to the echo Service's real name and port", async () => {
            const run = await runProgram({ exposures: "gateway", serviceName: "hello", servicePort: "8080" });
            const gw = run.one(GATEWAY).state;
            assert.deepStrictEqual(gw.spec.listeners, [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } }]);
            const route = run.one(ROUTE).state;
            const service = run
                .ofType("kubernetes:core/v1:Service")
                .map((s) => s.state)
                .find((s) => s.spec.type === "ClusterIP");
            assert.deepStrictEqual(route.spec.parentRefs, [{ name: gw.metadata.name, namespace: gw.metadata.namespace }]);
            assert.deepStrictEqual(route.spec.rules, [
                { matches: [{ path: { type: "PathPrefix", value: "/vericonf" } }], backendRefs: [{ name: service.metadata.name, port: 8080 }] },
            ]);
            assert.strictEqual(route.metadata.namespace, service.metadata.namespace);
            for (const obj of run.objects.filter((o) => o.apiVersion.startsWith("gateway."))) validateAgainstSchema(obj);
        });

        it("carries the same hosts and paths as the Ingress", async () => {
            const routing = { hosts: ["echo.example.com", { host: "api.example.com", path: "/echo", pathType: "Exact" }] };
            const run = await runProgram({ exposures: "ingress,gateway", ingress: routing });
            const fromIngress = run
                .one(INGRESS)
                .inputs.spec.rules.flatMap((r: any) =>
                    r.http.paths.map((p: any) => `${r.host} ${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`),
                );
            const fromRoutes = run
                .ofType(ROUTE)
                .flatMap((r) =>
                    r.inputs.spec.rules.map(
                        (rule: any) =>
                            `${r.inputs.spec.hostnames[0]} ${rule.matches[0].path.type.replace("PathPrefix", "Prefix")} ${rule.matches[0].path.value} -> ${rule.backendRefs[0].name}:${rule.backendRefs[0].port}`,
                    ),
                );
            assert.deepStrictEqual(fromRoutes, fromIngress);
            assert.deepStrictEqual(run.outputs.gatewayUrls, ["http://echo.example.com/vericonf", "http://api.example.com/echo"]);
        });

        it("terminates TLS on an HTTPS listener per TLS host with its certificate, and redirects that host's http to https", async () => {
            const run = await runProgram({ exposures: "gateway", ingress: tlsRouting });
            const listeners = run.one(GATEWAY).inputs.spec.listeners;
            assert.deepStrictEqual(listeners[1], {
                name: "https-0",
                protocol: "HTTPS",
                port: 443,
                hostname: "secure.example.com",
                tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: "secure-tls" }] },
                allowedRoutes: { namespaces: { from: "Same" } },
            });
            const routes = Object.fromEntries(run.ofType(ROUTE).map((r) => [r.inputs.metadata.name, r.inputs.spec]));
            assert.strictEqual(routes["veri-route-0"].parentRefs[0].sectionName, "https-0");
            assert.deepStrictEqual(routes["veri-route-0-http"].rules[0].filters, [
                { type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 308 } },
            ]);
            assert.strictEqual(routes["veri-route-1"].parentRefs[0].sectionName, undefined, "the plain host attaches to every listener");
            assert.deepStrictEqual(run.outputs.gatewayUrls, ["https://secure.example.com/vericonf", "http://plain.example.com/vericonf"]);
            for (const obj of run.objects.filter((o) => o.apiVersion.startsWith("gateway."))) validateAgainstSchema(obj);
        });

        it("keeps plain http working for TLS hosts when ingress.sslRedirect is false", async () => {
            const run = await runProgram({ exposures: "gateway", ingress: { ...tlsRouting, sslRedirect: false } });
            const http = run.ofType(ROUTE).find((r) => r.inputs.metadata.name === "veri-route-0-http")!.inputs.spec;
            assert.strictEqual(http.rules[0].filters, undefined);
            assert.strictEqual(http.rules[0].backendRefs[0].name, "veri-service");
        });

        it("attaches to an existing Gateway instead of declaring one", async () => {
            const run = await runProgram({
                exposures: "gateway",
                gateway: { existing: { name: "shared", namespace: "infra", proxyNamespace: "envoy-gateway-system" }, address: "gw.example.net" },
            });
            assert.strictEqual(run.ofType(GATEWAY).length + run.ofType(CHART).length + run.ofType(CRDS).length, 0);
            assert.deepStrictEqual(run.one(ROUTE).inputs.spec.parentRefs, [{ name: "shared", namespace: "infra" }]);
            assert.strictEqual(run.outputs.urls.gateway, "http://gw.example.net/vericonf");
            const np = run.objects.find((o) => o.kind === "NetworkPolicy")!;
            assert.ok(
                np.spec.ingress[0].from.some((p: any) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "envoy-gateway-system"),
                "the existing Gateway's proxy namespace may reach the echo pods",
            );
        });
    });

    it("waits for each route to be accepted with every reference resolved (a Programmed Gateway can still refuse a route)", async () => {
        const run = await runProgram({ exposures: "gateway", ingress: tlsRouting });
        for (const route of run.ofType(ROUTE)) {
            assert.deepStrictEqual(JSON.parse(route.inputs.metadata.annotations["pulumi.com/waitFor"]), [
                'jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].status}=True',
                'jsonpath={.status.parents[0].conditions[?(@.type=="ResolvedRefs")].status}=True',
            ]);
        }
    });

    it("redirects http to https on the port clients reach https on (NGF drops the port otherwise)", async () => {
        const redirectOf = (run: Awaited<ReturnType<typeof runProgram>>) =>
            run.ofType(ROUTE).find((r) => r.inputs.spec.rules[0].filters)!.inputs.spec.rules[0].filters[0].requestRedirect;
        assert.deepStrictEqual(redirectOf(await runProgram({ exposures: "gateway", ingress: tlsRouting })), { scheme: "https", statusCode: 308 });
        const kind = await runProgram({ exposures: "gateway", ingress: tlsRouting, gateway: { httpsAddress: "localhost:8444" } });
        assert.deepStrictEqual(redirectOf(kind), { scheme: "https", statusCode: 308, port: 8444 });
    });

    describe("URLs", () => {
        it("use the host where the route has one", async () => {
            const run = await runProgram({ exposures: "gateway", ingress: { hosts: ["echo.example.com"] } });
            assert.strictEqual(run.outputs.urls.gateway, "http://echo.example.com/vericonf");
        });

        it("use the IP the Gateway reports", async () => {
            const run = await runProgram({ exposures: "gateway" }, { loadBalancer: "ip" });
            assert.strictEqual(run.outputs.urls.gateway, `http://${MOCK_LB_IP}/vericonf`);
            // NGF reports Programmed before a LoadBalancer has an address: `up` must wait for both.
            assert.deepStrictEqual(JSON.parse(run.one(GATEWAY).inputs.metadata.annotations["pulumi.com/waitFor"]), [
                "condition=Programmed",
                "jsonpath={.status.addresses[0].value}",
            ]);
            assert.strictEqual(run.outputs.proxyAddresses.gateway, MOCK_LB_IP);
        });

        it("use the hostname the Gateway reports", async () => {
            const run = await runProgram({ exposures: "gateway" }, { loadBalancer: "hostname" });
            assert.strictEqual(run.outputs.urls.gateway, `http://${MOCK_LB_HOSTNAME}/vericonf`);
        });

        it("use the configured address for a NodePort data plane, with the listener port when it has none", async () => {
            const viaKind = await runProgram({ exposures: "gateway", gateway: { address: "localhost:8082", controller: { serviceType: "NodePort" } } });
            assert.strictEqual(viaKind.outputs.urls.gateway, "http://localhost:8082/vericonf");
            const custom = await runProgram({
                exposures: "gateway",
                gateway: { address: "gw.internal", httpPort: 8080, controller: { serviceType: "NodePort" } },
            });
            assert.strictEqual(custom.outputs.urls.gateway, "http://gw.internal:8080/vericonf");
        });

        it("say plainly when no reachable address is known", async () => {
            const nodePort = await runProgram({ exposures: "gateway", gateway: { controller: { serviceType: "NodePort" } } });
            assert.match(
                nodePort.outputs.urls.gateway,
                /^pending: the NodePort data plane .*kubectl get gateway echo-gateway -n echo; or set gateway\.address/,
            );
            const noLb = await runProgram({ exposures: "gateway" }, { loadBalancer: "none" });
            assert.match(noLb.outputs.urls.gateway, /^pending: the Gateway has reported no address yet/);
        });

        it("sit beside the Ingress URLs: two addresses, one echo behind both", async () => {
            const run = await runProgram({
                exposures: "ingress,gateway",
                ingress: { address: "localhost:8081", controller: { serviceType: "NodePort" } },
                gateway: { address: "localhost:8082", controller: { serviceType: "NodePort" } },
            });
            assert.strictEqual(run.outputs.urls.ingress, "http://localhost:8081/vericonf");
            assert.strictEqual(run.outputs.urls.gateway, "http://localhost:8082/vericonf");
            assert.deepStrictEqual(run.outputs.proxyAddresses, { ingress: "localhost:8081", gateway: "localhost:8082" });
            const ingressBackend = run.one(INGRESS).inputs.spec.rules[0].http.paths[0].backend.service;
            const routeBackend = run.one(ROUTE).inputs.spec.rules[0].backendRefs[0];
            assert.deepStrictEqual([routeBackend.name, routeBackend.port], [ingressBackend.name, ingressBackend.port.number]);
        });
    });
});
