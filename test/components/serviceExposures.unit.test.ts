import * as assert from "assert";
import { ServiceExposures, ServiceExposuresArgs } from "../../components/serviceExposures";
import { declareAlone } from "../support/unit";

/* ServiceExposures on its own, with hand-built Args. */

const base: ServiceExposuresArgs = {
    namespace: "team-a",
    selector: { app: "http-echo" },
    containerPort: 5678,
    serviceName: "echo",
    servicePort: 8080,
    clusterIP: true,
};

describe("ServiceExposures (hand-built args)", () => {
    it("names each Service after serviceName, selects the given pods, and targets the container port", async () => {
        const { ofType, value } = await declareAlone(
            () =>
                new ServiceExposures("s", {
                    ...base,
                    nodePort: { port: 30080, address: "localhost" },
                    loadBalancer: { sourceRanges: [], annotations: {}, skipAwait: true },
                }).urls,
        );
        const services = ofType("kubernetes:core/v1:Service");
        assert.deepStrictEqual(services.map((s) => [s.inputs.metadata.name, s.inputs.spec.type ?? "ClusterIP"]).sort(), [
            ["echo", "ClusterIP"],
            ["echo-lb", "LoadBalancer"],
            ["echo-nodeport", "NodePort"],
        ]);
        for (const s of services) {
            assert.deepStrictEqual(s.inputs.spec.selector, { app: "http-echo" });
            assert.strictEqual(s.inputs.spec.ports[0].port, 8080);
        }
        assert.strictEqual(services.find((s) => s.inputs.metadata.name === "echo-nodeport")!.inputs.spec.ports[0].nodePort, 30080);
        assert.strictEqual(services.find((s) => s.inputs.metadata.name === "echo-lb")!.inputs.metadata.annotations["pulumi.com/skipAwait"], "true");
        assert.strictEqual(value.clusterIP, "http://echo.team-a.svc.cluster.local:8080");
        assert.strictEqual(value.nodePort, "http://localhost:30080");
    });

    it("declares only what is asked: no ClusterIP Service when clusterIP is false", async () => {
        const { ofType } = await declareAlone(() => new ServiceExposures("s", { ...base, clusterIP: false, nodePort: { address: "localhost" } }).urls);
        assert.deepStrictEqual(
            ofType("kubernetes:core/v1:Service").map((s) => s.inputs.metadata.name),
            ["echo-nodeport"],
        );
    });

    it("admits only the load balancer's source ranges", async () => {
        const { ofType } = await declareAlone(
            () =>
                new ServiceExposures("s", {
                    ...base,
                    clusterIP: false,
                    loadBalancer: { sourceRanges: ["203.0.113.0/24"], annotations: { a: "b" }, skipAwait: false },
                }).urls,
        );
        const [lb] = ofType("kubernetes:core/v1:Service");
        assert.deepStrictEqual(lb.inputs.spec.loadBalancerSourceRanges, ["203.0.113.0/24"]);
        assert.strictEqual(lb.inputs.metadata.annotations.a, "b");
    });
});
