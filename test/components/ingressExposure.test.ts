import * as assert from "assert";
import { MOCK_LB_HOSTNAME, MOCK_LB_IP } from "../support/clusterMocks";
import { chartName, ProgramRun, runProgram } from "../support/program";
import * as path from "path";
import { MIRROR_ENV } from "../../upstream/resolver";

const CONTROLLER = "kubernetes:helm.sh/v3:Release";
/** The ingress-nginx Helm release of a run (the program's only other Releases are NGF's and cert-manager's). */
const controllerOf = (run: ProgramRun) => {
    const found = run.ofType(CONTROLLER).filter((r) => chartName(r.inputs.chart) === "ingress-nginx");
    assert.ok(found.length <= 1, "one ingress-nginx release at most");
    return found[0];
};
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SERVICE = "kubernetes:core/v1:Service";

describe("Ingress exposure", () => {
    describe("the controller", () => {
        it("installs ingress-nginx by one Helm release with a pinned, patched chart, in its own namespace, rolled back if it fails", async () => {
            const run = await runProgram({ exposures: "ingress" });
            const controller = run.one(CONTROLLER).inputs;
            assert.strictEqual(chartName(controller.chart), "ingress-nginx");
            assert.strictEqual(controller.version, "4.15.1");
            assert.strictEqual(controller.namespace, "ingress-nginx");
            assert.strictEqual(controller.name, "ingress-nginx");
            assert.strictEqual(controller.atomic, true);
            assert.strictEqual(controller.values.fullnameOverride, "ingress-nginx", "controller Service is ingress-nginx-controller");
            const ns = run.ofType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name);
            assert.deepStrictEqual(ns.sort(), ["echo", "ingress-nginx"]);
            // Under mocks a Helm release is one registration: none of the chart's objects appear.
            assert.strictEqual(run.ofType("kubernetes:apps/v1:Deployment").length, 1, "only the echo Deployment");
        });

        it("takes over the release the old ingress-nginx component made (alias), so existing stacks update it in place", async () => {
            const run = await runProgram({ exposures: "ingress" });
            const aliases = run.registrations.find((r) => r.type === CONTROLLER && r.name === "echo-controller")!.aliases;
            assert.ok(
                aliases.some((urn) =>
                    /::echo-exposure:index:IngressExposure\$kubernetes-ingress-nginx:index:IngressController\$kubernetes:helm\.sh\/v3:Release::echo-controller-helm$/.test(
                        urn,
                    ),
                ),
                JSON.stringify(aliases),
            );
        });

        it("keeps the admission webhook on and snippet annotations off, and creates the IngressClass", async () => {
            const controller = (await runProgram({ exposures: "ingress" })).one(CONTROLLER).inputs.values.controller;
            assert.strictEqual(controller.admissionWebhooks.enabled, true);
            // Its certificate hook Jobs run with requests and limits (the chart sets none).
            for (const job of [controller.admissionWebhooks.createSecretJob, controller.admissionWebhooks.patchWebhookJob]) {
                assert.deepStrictEqual(job.resources, { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
            }
            assert.strictEqual(controller.allowSnippetAnnotations, false);
            assert.deepStrictEqual(controller.ingressClassResource, { name: "nginx", enabled: true, default: false, controllerValue: "k8s.io/ingress-nginx" });
        });

        it("takes the service type, fixed node ports, hostPort and chart version from config", async () => {
            const run = await runProgram({
                exposures: "ingress",
                ingress: {
                    className: "edge",
                    controller: {
                        serviceType: "NodePort",
                        nodePorts: { http: 30081, https: 30443 },
                        hostPort: true,
                        chartVersion: "4.15.1",
                        namespace: "edge",
                    },
                },
            });
            const release = run.one(CONTROLLER).inputs;
            const controller = release.values;
            assert.strictEqual(controller.controller.service.type, "NodePort");
            assert.deepStrictEqual(controller.controller.service.nodePorts, { http: "30081", https: "30443" });
            assert.deepStrictEqual(controller.controller.hostPort, { enabled: true });
            assert.strictEqual(release.version, "4.15.1");
            // The mirror's chart folder (the test setup sets one), by absolute path, with no repository.
            assert.strictEqual(release.chart, path.join(process.env[MIRROR_ENV]!, "ingress-nginx", "4.15.1", "chart"));
            assert.strictEqual(release.repositoryOpts, undefined);
            assert.strictEqual(
                controller.controller.ingressClassResource.controllerValue,
                "k8s.io/ingress-edge",
                "a second controller needs its own controller value",
            );
            assert.strictEqual(run.one(INGRESS).inputs.spec.ingressClassName, "edge");
        });

        it("gives a second ingress class its own --ingress-class (controller.ingressClass), so it does not also claim the nginx-annotated Ingresses", async () => {
            const second = (await runProgram({ exposures: "ingress", ingress: { className: "internal" } })).one(CONTROLLER).inputs.values.controller;
            assert.strictEqual(second.ingressClass, "internal");
            assert.strictEqual(second.extraArgs, undefined, "no second --ingress-class flag beside the chart's");
            const first = (await runProgram({ exposures: "ingress" })).one(CONTROLLER).inputs.values.controller;
            assert.strictEqual(first.ingressClass, "nginx");
        });

        it("lets Helm wait 600 s for a cloud load balancer (its default is 300 s), and keeps the default otherwise", async () => {
            const lb = (await runProgram({ exposures: "ingress" })).one(CONTROLLER).inputs;
            assert.ok(lb.timeout >= 600, `timeout ${lb.timeout}`);
            const nodePort = (await runProgram({ exposures: "ingress", ingress: { controller: { serviceType: "NodePort" } } })).one(CONTROLLER).inputs;
            assert.strictEqual(nodePort.timeout, undefined);
        });

        it("enforces the restricted Pod Security Standard on its namespace, privileged only with hostPort", async () => {
            const level = async (hostPort: boolean) =>
                (await runProgram({ exposures: "ingress", ingress: { controller: { hostPort } } }))
                    .ofType("kubernetes:core/v1:Namespace")
                    .find((n) => n.inputs.metadata.name === "ingress-nginx")!.inputs.metadata.labels["pod-security.kubernetes.io/enforce"];
            assert.strictEqual(await level(false), "restricted");
            assert.strictEqual(await level(true), "privileged", "hostPort is allowed by no lower level");
        });

        it("runs the controller's Helm release under the program's one kubernetes provider (no second plugin, no second Helm)", async () => {
            const run = await runProgram({ exposures: "ingress", "kubernetes:context": "kind-echo" });
            assert.strictEqual(
                run.ofType("pulumi:providers:kubernetes").length,
                0,
                "no explicit provider: the default one, with the stack's kubernetes:context",
            );
            assert.ok(!run.registrations.some((r) => r.type.startsWith("kubernetes-ingress-nginx:")), "no ingress-nginx component (its plugin is not needed)");
        });

        it("uses a controller already in the cluster when install is false", async () => {
            const run = await runProgram({ exposures: "ingress", ingress: { className: "public", controller: { install: false } } });
            assert.strictEqual(controllerOf(run), undefined);
            assert.strictEqual(run.one(INGRESS).inputs.spec.ingressClassName, "public");
            assert.strictEqual(run.outputs.urls.ingress, `http://${MOCK_LB_IP}/vericonf`, "the address the existing controller publishes");
        });
    });

    describe("the rule", () => {
        it("routes the seed's /vericonf (Prefix) to the echo ClusterIP Service by its real name and port, with a class", async () => {
            const run = await runProgram({ exposures: "ingress", serviceName: "hello", servicePort: "8080" });
            const ingress = run.one(INGRESS).inputs;
            const clusterIP = run
                .ofType(SERVICE)
                .map((s) => s.state)
                .find((s) => s.spec.type === "ClusterIP");
            assert.ok(clusterIP, "ingress declares the ClusterIP Service even though clusterIP is not in exposures");
            assert.strictEqual(ingress.spec.ingressClassName, "nginx");
            assert.strictEqual(ingress.metadata.namespace, clusterIP.metadata.namespace);
            assert.deepStrictEqual(ingress.spec.rules, [
                {
                    http: {
                        paths: [{ path: "/vericonf", pathType: "Prefix", backend: { service: { name: clusterIP.metadata.name, port: { number: 8080 } } } }],
                    },
                },
            ]);
            assert.strictEqual(ingress.metadata.annotations, undefined, "no no-op annotations");
        });

        it("depends on the controller, so the admission webhook answers before the Ingress is created", async () => {
            const run = await runProgram({ exposures: "ingress" });
            const ingress = run.registrations.find((r) => r.type === INGRESS)!;
            assert.ok(
                ingress.dependencies.some((urn) => urn.endsWith(`${CONTROLLER}::echo-controller`)),
                JSON.stringify(ingress.dependencies),
            );
        });

        it("routes each host, with its own path where given", async () => {
            const run = await runProgram({
                exposures: "ingress",
                ingress: { hosts: ["echo.example.com", { host: "api.example.com", path: "/echo", pathType: "Exact" }] },
            });
            const rules = run.one(INGRESS).inputs.spec.rules;
            assert.deepStrictEqual(
                rules.map((r: any) => [
                    r.host,
                    r.http.paths.map((p: any) => `${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`),
                ]),
                [
                    ["echo.example.com", ["Prefix /vericonf -> veri-service:80"]],
                    ["api.example.com", ["Exact /echo -> veri-service:80"]],
                ],
            );
            assert.deepStrictEqual(run.outputs.ingressUrls, ["http://echo.example.com/vericonf", "http://api.example.com/echo"]);
            assert.strictEqual(run.outputs.urls.ingress, "http://echo.example.com/vericonf");
        });

        it("terminates TLS per host with its secret, and the URL scheme follows", async () => {
            const run = await runProgram({
                exposures: "ingress",
                ingress: { hosts: ["secure.example.com", "plain.example.com"], tls: [{ hosts: ["secure.example.com"], secretName: "secure-tls" }] },
            });
            const ingress = run.one(INGRESS).inputs;
            assert.deepStrictEqual(ingress.spec.tls, [{ hosts: ["secure.example.com"], secretName: "secure-tls" }]);
            assert.deepStrictEqual(run.outputs.ingressUrls, ["https://secure.example.com/vericonf", "http://plain.example.com/vericonf"]);
            // No ssl-redirect annotation (the redirect is ingress-nginx's default with TLS); the
            // Secret is declared provided from outside, since no Certificate of the stack issues it.
            assert.deepStrictEqual(ingress.metadata.annotations, { "echo-exposure/tls-secrets-provided": "secure-tls" });
        });

        it("uses the ingress-nginx annotation prefix, and only where it applies", async () => {
            const run = await runProgram({
                exposures: "ingress",
                ingress: { hosts: ["secure.example.com"], tls: [{ hosts: ["secure.example.com"], secretName: "secure-tls" }], sslRedirect: false },
            });
            assert.deepStrictEqual(run.one(INGRESS).inputs.metadata.annotations, {
                "nginx.ingress.kubernetes.io/ssl-redirect": "false",
                "echo-exposure/tls-secrets-provided": "secure-tls",
            });
            const noTls = await runProgram({ exposures: "ingress", ingress: { sslRedirect: false } });
            assert.strictEqual(noTls.one(INGRESS).inputs.metadata.annotations, undefined, "without TLS there is no redirect to turn off");
        });
    });

    describe("URLs", () => {
        it("use the host where the rule has one, on the port the controller is reached on (a kind mapping)", async () => {
            const run = await runProgram({ exposures: "ingress", ingress: { hosts: ["echo.example.com"], address: "localhost:8081" } });
            assert.strictEqual(run.outputs.urls.ingress, "http://echo.example.com:8081/vericonf");
            const cloud = await runProgram({ exposures: "ingress", ingress: { hosts: ["echo.example.com"] } });
            assert.strictEqual(cloud.outputs.urls.ingress, "http://echo.example.com/vericonf", "a load balancer listens on 80");
        });

        it("put a TLS host on the https address and port, beside the tutorial's any-host rule", async () => {
            const run = await runProgram({
                exposures: "ingress",
                ingress: {
                    address: "localhost:8081",
                    httpsAddress: "localhost:8443",
                    hosts: [{ path: "/vericonf" }, "echo.localtest.me"],
                    tls: [{ hosts: ["echo.localtest.me"], secretName: "echo-tls" }],
                },
            });
            assert.deepStrictEqual(run.outputs.ingressUrls, ["http://localhost:8081/vericonf", "https://echo.localtest.me:8443/vericonf"]);
            const rules = run.one(INGRESS).inputs.spec.rules;
            assert.deepStrictEqual(
                rules.map((r: any) => r.host),
                [undefined, "echo.localtest.me"],
            );
        });

        it("use the IP a LoadBalancer controller publishes", async () => {
            const run = await runProgram({ exposures: "ingress" }, { loadBalancer: "ip" });
            assert.strictEqual(run.outputs.urls.ingress, `http://${MOCK_LB_IP}/vericonf`);
        });

        it("use the hostname a LoadBalancer controller publishes (AWS)", async () => {
            const run = await runProgram({ exposures: "ingress" }, { loadBalancer: "hostname" });
            assert.strictEqual(run.outputs.urls.ingress, `http://${MOCK_LB_HOSTNAME}/vericonf`);
            assert.strictEqual(run.outputs.proxyAddresses.ingress, MOCK_LB_HOSTNAME);
        });

        it("never use the ClusterIP a NodePort controller publishes; use ingress.address instead", async () => {
            const run = await runProgram({ exposures: "ingress", ingress: { address: "localhost:8081", controller: { serviceType: "NodePort" } } });
            const status = run.one(INGRESS).state.status.loadBalancer.ingress[0].ip;
            assert.match(status, /^10\./, "the mock publishes the controller's ClusterIP, as ingress-nginx does");
            assert.strictEqual(run.outputs.urls.ingress, "http://localhost:8081/vericonf");
        });

        it("say plainly how to find the address of a NodePort controller when none is configured", async () => {
            const run = await runProgram({ exposures: "ingress", ingress: { controller: { serviceType: "NodePort" } } });
            const url: string = run.outputs.urls.ingress;
            assert.match(url, /^pending: the NodePort controller publishes only its ClusterIP/);
            assert.match(url, /kubectl get svc ingress-nginx-controller -n ingress-nginx/);
            assert.match(url, /ingress\.address/);
            assert.doesNotMatch(url, /10\.96\./);
            assert.strictEqual(run.outputs.proxyAddresses.ingress, url, "no reachable controller address either");
        });

        it("say plainly when a LoadBalancer controller has no address yet", async () => {
            const run = await runProgram({ exposures: "ingress" }, { loadBalancer: "none" });
            assert.match(run.outputs.urls.ingress, /^pending: the ingress controller has reported no address yet .*kubectl get ingress veri-ingress -n echo/);
        });

        it("sit beside the other exposures' URLs", async () => {
            const run = await runProgram({ exposures: "clusterIP,nodePort,ingress", ingress: { address: "localhost:8081" } });
            assert.deepStrictEqual(Object.keys(run.outputs.urls).sort(), ["clusterIP", "ingress", "nodePort"]);
            const noIngress = await runProgram({ exposures: "clusterIP" });
            assert.strictEqual(noIngress.outputs.ingressUrls, undefined);
            assert.strictEqual((controllerOf(noIngress) ? 1 : 0) + noIngress.ofType(INGRESS).length, 0);
        });
    });
});
