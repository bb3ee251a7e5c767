import * as assert from "assert";
import { MOCK_LB_HOSTNAME, MOCK_LB_IP } from "../support/clusterMocks";
import { ProgramRun, runProgram } from "../support/program";

const SERVICE = "kubernetes:core/v1:Service";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function services(run: ProgramRun) {
    return run.ofType(SERVICE).map((r) => r.state);
}

function serviceOfType(run: ProgramRun, type: string) {
    const found = services(run).filter((s) => s.spec.type === type);
    assert.strictEqual(found.length, 1, `one ${type} Service`);
    return found[0];
}

/** The container port a Service's targetPort resolves to, by number or by name. */
function resolveTargetPort(targetPort: number | string, containerPorts: { name?: string; containerPort: number }[]): number | undefined {
    return typeof targetPort === "number"
        ? containerPorts.find((p) => p.containerPort === targetPort)?.containerPort
        : containerPorts.find((p) => p.name === targetPort)?.containerPort;
}

describe("Service exposures", () => {
    it("declares only a ClusterIP Service named veri-service by default", async () => {
        const run = await runProgram();
        assert.deepStrictEqual(
            services(run).map((s) => [s.metadata.name, s.spec.type]),
            [["veri-service", "ClusterIP"]],
        );
        assert.deepStrictEqual(Object.keys(run.outputs.urls), ["clusterIP"]);
    });

    it("declares one Service per exposure, each with its own explicit, stable name", async () => {
        const run = await runProgram({ exposures: ["clusterIP", "nodePort", "loadBalancer"], serviceName: "echo" });
        const byType = Object.fromEntries(services(run).map((s) => [s.spec.type, s.metadata.name]));
        assert.deepStrictEqual(byType, { ClusterIP: "echo", NodePort: "echo-nodeport", LoadBalancer: "echo-lb" });
        for (const s of run.ofType(SERVICE)) {
            assert.ok(s.inputs.metadata.name, `${s.name} must set metadata.name (no auto-name with a random suffix)`);
        }
    });

    for (const config of [{}, { containerPort: "8443", servicePort: "8080", replicas: "2" }]) {
        it(`selects exactly the echo pods and targets their port (${JSON.stringify(config)})`, async () => {
            const run = await runProgram({ ...config, exposures: "clusterIP,nodePort,loadBalancer" });
            const deployment = run.one(DEPLOYMENT).state;
            const podLabels = deployment.spec.template.metadata.labels;
            const container = deployment.spec.template.spec.containers[0];
            assert.deepStrictEqual(deployment.spec.selector.matchLabels, { app: "http-echo" });
            for (const svc of services(run)) {
                const selector = svc.spec.selector;
                assert.deepStrictEqual(selector, { app: "http-echo" }, `${svc.metadata.name} selector`);
                for (const [k, v] of Object.entries(selector)) {
                    assert.strictEqual(podLabels[k], v, `${svc.metadata.name} selects label ${k}=${v} the pods don't have`);
                }
                assert.strictEqual(svc.metadata.namespace, deployment.metadata.namespace, "Service and pods share a namespace");
                const port = svc.spec.ports[0];
                assert.strictEqual(port.port, Number((config as any).servicePort ?? 80));
                assert.strictEqual(
                    resolveTargetPort(port.targetPort, container.ports),
                    Number((config as any).containerPort ?? 5678),
                    `${svc.metadata.name} targetPort`,
                );
            }
            assert.ok(container.args.includes(`-listen=:${(config as any).containerPort ?? 5678}`));
        });
    }

    it("gives the in-cluster DNS URL for ClusterIP, with the port only when it is not 80", async () => {
        assert.strictEqual((await runProgram()).outputs.urls.clusterIP, "http://veri-service.echo.svc.cluster.local");
        const run = await runProgram({ namespace: "web", serviceName: "hello", servicePort: "8080" });
        assert.strictEqual(run.outputs.urls.clusterIP, "http://hello.web.svc.cluster.local:8080");
    });

    it("reads the node port the API server allocated into the nodePort URL", async () => {
        const run = await runProgram({ exposures: "nodePort", nodeAddress: "192.168.49.2" });
        const allocated = serviceOfType(run, "NodePort").spec.ports[0].nodePort;
        assert.ok(allocated >= 30000 && allocated <= 32767);
        assert.strictEqual(run.outputs.urls.nodePort, `http://192.168.49.2:${allocated}`);
    });

    it("brackets an IPv6 node address, given bare or in brackets, and takes a DNS name as it is", async () => {
        for (const nodeAddress of ["fd00::2", "[fd00::2]"]) {
            const run = await runProgram({ exposures: "nodePort", nodePort: "30080", nodeAddress });
            assert.strictEqual(run.outputs.urls.nodePort, "http://[fd00::2]:30080");
        }
        const named = await runProgram({ exposures: "nodePort", nodePort: "30080", nodeAddress: "node-1.lab.example" });
        assert.strictEqual(named.outputs.urls.nodePort, "http://node-1.lab.example:30080");
    });

    it("uses a fixed node port when one is configured", async () => {
        const run = await runProgram({ exposures: "nodePort", nodePort: "30080" });
        assert.strictEqual(run.one(SERVICE).inputs.spec.ports[0].nodePort, 30080);
        assert.strictEqual(run.outputs.urls.nodePort, "http://localhost:30080");
    });

    it("gives the load balancer's IP as its URL", async () => {
        const run = await runProgram({ exposures: "loadBalancer" }, { loadBalancer: "ip" });
        assert.strictEqual(run.outputs.urls.loadBalancer, `http://${MOCK_LB_IP}`);
    });

    it("gives the load balancer's hostname where the cloud reports only one (AWS)", async () => {
        const run = await runProgram({ exposures: "loadBalancer", servicePort: "8080" }, { loadBalancer: "hostname" });
        assert.strictEqual(run.outputs.urls.loadBalancer, `http://${MOCK_LB_HOSTNAME}:8080`);
    });

    it("says plainly when no load-balancer address is known yet", async () => {
        const run = await runProgram({ exposures: "loadBalancer", loadBalancer: { skipAwait: true } });
        const url: string = run.outputs.urls.loadBalancer;
        assert.match(url, /^pending: .*no address.*skipAwait.*kubectl get svc veri-service-lb -n echo/);
        assert.strictEqual(run.one(SERVICE).inputs.metadata.annotations["pulumi.com/skipAwait"], "true");
    });

    it("passes source ranges and annotations to the LoadBalancer Service only", async () => {
        const run = await runProgram({
            exposures: "clusterIP,loadBalancer",
            loadBalancer: { sourceRanges: ["203.0.113.0/24"], annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
        });
        const lb = serviceOfType(run, "LoadBalancer");
        assert.deepStrictEqual(lb.spec.loadBalancerSourceRanges, ["203.0.113.0/24"]);
        assert.deepStrictEqual(lb.metadata.annotations, { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" });
        assert.strictEqual(serviceOfType(run, "ClusterIP").metadata.annotations, undefined);
    });
});
