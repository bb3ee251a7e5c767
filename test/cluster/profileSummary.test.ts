import * as assert from "assert";
import { apiRequests, profileByOrigin, providerOperations, requestsBetween } from "./profileSummary";

const URN = "urn:pulumi:dev::echo-exposure::echo-exposure:index:TlsCertificates$kubernetes:helm.sh/v3:Release::echo-cert-manager";
const grpcLine = (method: string, urn: string | undefined, seconds: number, progress?: string) =>
    JSON.stringify({ method, request: urn ? { urn } : {}, duration: seconds * 1e9, ...(progress ? { progress } : {}) });

describe("profileSummary (bench:up's BENCH_PROFILE)", () => {
    it("sums the provider's calls per resource and method, longest first, from the gRPC log", () => {
        const log = [
            grpcLine("/pulumirpc.ResourceProvider/Check", URN, 0.1),
            grpcLine("/pulumirpc.ResourceProvider/Create", URN, 13.25),
            grpcLine("/pulumirpc.ResourceProvider/Create", URN, 1, "request_started"),
            grpcLine("/pulumirpc.ResourceMonitor/RegisterResource", URN, 99),
            grpcLine("/pulumirpc.ResourceProvider/Create", "urn:pulumi:dev::echo-exposure::kubernetes:core/v1:Service::echo-clusterip", 10.3),
            grpcLine("/pulumirpc.ResourceProvider/GetPluginInfo", undefined, 0.01),
            "not json",
        ].join("\n");
        assert.deepStrictEqual(providerOperations(log), [
            { resource: "echo-cert-manager (Release)", seconds: { Check: 0.1, Create: 13.25 } },
            { resource: "echo-clusterip (Service)", seconds: { Create: 10.3 } },
        ]);
    });

    it("counts the API server's requests between two readings, without watches", () => {
        const metrics = (gets: number, watches: number) =>
            [
                "# HELP apiserver_request_total ...",
                `apiserver_request_total{code="200",component="apiserver",group="",resource="namespaces",scope="resource",subresource="",verb="GET",version="v1"} ${gets}`,
                `apiserver_request_total{code="404",component="apiserver",group="",resource="namespaces",scope="resource",subresource="",verb="GET",version="v1"} 2`,
                `apiserver_request_total{code="200",component="apiserver",group="apps",resource="deployments",scope="resource",subresource="status",verb="PUT",version="v1"} 5`,
                `apiserver_request_total{code="0",component="apiserver",group="",resource="pods",scope="cluster",subresource="",verb="WATCH",version="v1"} ${watches}`,
                `apiserver_request_total{code="200",component="",group="",resource="",scope="",subresource="/apis",verb="GET",version=""} ${gets}`,
            ].join("\n");
        assert.deepStrictEqual(requestsBetween(apiRequests(metrics(10, 1)), apiRequests(metrics(40, 3))), [
            ["GET /apis", 30],
            ["GET namespaces", 30],
        ]);
    });

    it("splits a V8 profile's samples by where the code comes from, idle left out", () => {
        const frame = (functionName: string, url: string) => ({ functionName, url });
        const profile = {
            nodes: [
                { id: 1, callFrame: frame("(idle)", "") },
                { id: 2, callFrame: frame("S.U", "file:///work/main/node_modules/google-protobuf/google-protobuf.js") },
                { id: 3, callFrame: frame("(garbage collector)", "") },
                { id: 4, callFrame: frame("debuggablePromise", "file:///work/main/node_modules/@pulumi/pulumi/runtime/debuggable.js") },
                { id: 5, callFrame: frame("readRoutes", "file:///work/main/stacks/routes.ts") },
            ],
            samples: [1, 2, 2, 3, 4, 5],
            timeDeltas: [5e6, 1e6, 0.5e6, 0.25e6, 0.25e6, 0.1e6],
        };
        assert.deepStrictEqual(profileByOrigin(profile), [
            ["google-protobuf", 1.5],
            ["(garbage collector)", 0.25],
            ["@pulumi/pulumi", 0.25],
            ["project", 0.1],
        ]);
    });
});
