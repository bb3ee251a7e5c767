import * as assert from "assert";
import { podLabels, trackSelector } from "../../components/labels";
import { selects } from "../../policy/lib";
import { KubeObject, runProgram, runProgramExpectingError } from "../support/program";
import { gatewayApiCrds, validateAgainstSchema } from "../support/schemas";

/*
 * Issue 18: a canary track beside the stable one, routed by weight and header through both proxies.
 */

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

const routing = {
    hosts: ["echo.example.com", { host: "api.example.com", path: "/v1", pathType: "Exact" }],
    tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }],
};
const base = { exposures: "clusterIP,ingress,gateway", replicas: 2, ingress: routing };
const canary = { text: "hello from the canary", weight: 10, header: { name: "X-Canary", value: "always" } };

const stableDeployment = (run: Awaited<ReturnType<typeof runProgram>>) => run.ofType(DEPLOYMENT).find((d) => d.inputs.metadata.name === "http-echo")!;
const canaryDeployment = (run: Awaited<ReturnType<typeof runProgram>>) => run.ofType(DEPLOYMENT).find((d) => d.inputs.metadata.name === "http-echo-canary");

describe("canary: the tracks", () => {
    it("turning the canary on leaves the stable Deployment exactly as it was (its selector is immutable)", async () => {
        for (const extra of [{}, { replicas: 3 }, { exposures: "ingress" }]) {
            const before = stableDeployment(await runProgram({ ...base, ...extra }));
            const after = stableDeployment(await runProgram({ ...base, ...extra, canary }));
            assert.deepStrictEqual(after.inputs, before.inputs);
            assert.strictEqual(after.name, before.name, "same resource name, so the same URN");
            assert.deepStrictEqual(after.inputs.spec.selector.matchLabels, { app: "http-echo" });
        }
    });

    it("the canary's pods are selected by its Service only; veri-service selects the stable pods only", async () => {
        const run = await runProgram({ ...base, canary });
        const c = canaryDeployment(run)!;
        const canaryPods = c.inputs.spec.template.metadata.labels;
        const stablePods = stableDeployment(run).inputs.spec.template.metadata.labels;
        const services = Object.fromEntries(run.ofType(SERVICE).map((s) => [s.inputs.metadata.name, s.inputs.spec.selector]));
        assert.ok(selects({ matchLabels: services["veri-service-canary"] }, canaryPods));
        assert.ok(!selects({ matchLabels: services["veri-service-canary"] }, stablePods));
        assert.ok(selects({ matchLabels: services["veri-service"] }, stablePods));
        assert.ok(!selects({ matchLabels: services["veri-service"] }, canaryPods), "no stable selector matches a canary pod");
        assert.ok(!selects({ matchLabels: stableDeployment(run).inputs.spec.selector.matchLabels }, canaryPods));
        assert.strictEqual(c.inputs.spec.template.spec.containers[0].args[0], "-text=hello from the canary");
        assert.strictEqual(c.inputs.spec.template.spec.containers[0].image, "hashicorp/http-echo:1.0.0", "the stable image by default");
    });

    it("the NetworkPolicy, and every check through the labels helper, sees the canary's pods too", async () => {
        const run = await runProgram({ ...base, canary });
        const np = run.objects.find((o: KubeObject) => o.kind === "NetworkPolicy")!;
        assert.ok(selects(np.spec.podSelector, canaryDeployment(run)!.inputs.spec.template.metadata.labels));
        assert.ok(selects(np.spec.podSelector, podLabels("canary", "x")) && selects(np.spec.podSelector, podLabels("stable", "x")));
        assert.notDeepStrictEqual(trackSelector("canary"), trackSelector("stable"));
    });

    it("a canary above one replica gets its own PodDisruptionBudget; one replica none", async () => {
        const pdbs = async (replicas: number) =>
            (await runProgram({ ...base, canary: { ...canary, replicas } }))
                .ofType("kubernetes:policy/v1:PodDisruptionBudget")
                .map((p) => p.inputs.spec.selector.matchLabels);
        assert.deepStrictEqual(await pdbs(2), [{ app: "http-echo" }, { app: "http-echo-canary" }]);
        assert.deepStrictEqual(await pdbs(1), [{ app: "http-echo" }]);
    });

    it("every declared object passes the official schemas and the pinned CRDs", async () => {
        const run = await runProgram({ ...base, canary, certManager: { issuer: "selfSigned" } });
        for (const o of run.objects) validateAgainstSchema(o);
        for (const r of run.ofType(ROUTE)) {
            const { violations } = gatewayApiCrds().validate({ ...r.inputs, apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute" });
            assert.deepStrictEqual(violations, [], r.inputs.metadata.name);
        }
    });
});

describe("canary: routing", () => {
    for (const weight of [0, 10, 50, 100]) {
        it(`Gateway: every routed rule splits ${100 - weight}/${weight} between veri-service and the canary`, async () => {
            const run = await runProgram({ ...base, canary: { text: "c", weight } });
            const rules = run.ofType(ROUTE).flatMap((r) => r.inputs.spec.rules);
            const routed = rules.filter((r: any) => r.backendRefs);
            assert.ok(routed.length >= 2);
            for (const r of routed) {
                assert.deepStrictEqual(
                    r.backendRefs.map((b: any) => [b.name, b.weight]),
                    [
                        ["veri-service", 100 - weight],
                        ["veri-service-canary", weight],
                    ],
                );
            }
        });
    }

    it("Gateway: with a header, a rule per path that matches it sends every such request to the canary", async () => {
        const run = await runProgram({ ...base, canary });
        const route = run.ofType(ROUTE).find((r) => r.inputs.spec.hostnames?.[0] === "api.example.com")!;
        assert.deepStrictEqual(route.inputs.spec.rules[0], {
            matches: [{ path: { type: "Exact", value: "/v1" }, headers: [{ type: "Exact", name: "X-Canary", value: "always" }] }],
            backendRefs: [{ name: "veri-service-canary", port: 80 }],
        });
        // The http listener of a TLS host only redirects: no backends there.
        const redirecting = run.ofType(ROUTE).filter((r) => r.inputs.metadata.name.endsWith("-http"));
        for (const r of redirecting) for (const rule of r.inputs.spec.rules) assert.strictEqual(rule.backendRefs, undefined);
    });

    it("ingress-nginx: a canary Ingress with exactly the main Ingress's hosts, paths and path types, its weight and header", async () => {
        const run = await runProgram({ ...base, canary });
        const main = run.ofType(INGRESS).find((i) => i.inputs.metadata.name === "veri-ingress")!.inputs;
        const c = run.ofType(INGRESS).find((i) => i.inputs.metadata.name === "veri-ingress-canary")!.inputs;
        const shape = (ing: any) => ing.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => [p.path, p.pathType])]);
        assert.deepStrictEqual(shape(c), shape(main));
        assert.strictEqual(c.spec.ingressClassName, main.spec.ingressClassName);
        for (const r of c.spec.rules) for (const p of r.http.paths) assert.strictEqual(p.backend.service.name, "veri-service-canary");
        assert.deepStrictEqual(c.metadata.annotations, {
            "nginx.ingress.kubernetes.io/canary": "true",
            "nginx.ingress.kubernetes.io/canary-weight": "10",
            "nginx.ingress.kubernetes.io/canary-by-header": "X-Canary",
            "nginx.ingress.kubernetes.io/canary-by-header-value": "always",
        });
        const registration = run.registrations.find((r) => r.name === "echo-canary-ingress")!;
        assert.ok(
            registration.dependencies.some((u) => u.endsWith("::echo-ingress")),
            "after the main Ingress",
        );
    });

    it("the canary output: the weight, the header, and per proxy commands that count 100 answers", async () => {
        const run = await runProgram({ ...base, ingress: { ...routing, address: "localhost:8081" }, gateway: { address: "localhost:8082" }, canary });
        const out = run.outputs.canary;
        assert.strictEqual(out.weight, 10);
        assert.deepStrictEqual(out.header, { name: "X-Canary", value: "always" });
        assert.deepStrictEqual(Object.keys(out.checks).sort(), ["gateway", "ingress"]);
        for (const [proxy, port] of [
            ["ingress", 8081],
            ["gateway", 8082],
        ] as const) {
            const [split, byHeader] = out.checks[proxy];
            assert.strictEqual(
                split,
                `for i in $(seq 100); do curl -sS --resolve api.example.com:${port}:127.0.0.1 http://api.example.com:${port}/v1; echo; done | sort | uniq -c`,
            );
            assert.ok(byHeader.includes("-H 'X-Canary: always' "), byHeader);
        }
        const none = await runProgram(base);
        assert.strictEqual(none.outputs.canary, undefined);
    });
});

describe("canary: refused before anything is declared", () => {
    it("a header value ingress-nginx would refuse is fine through the Gateway alone", async () => {
        const run = await runProgram({ exposures: "gateway", canary: { ...canary, header: { name: "X-Canary", value: "v2+beta" } } });
        assert.ok(run.ofType(ROUTE).length > 0);
    });

    const cases: [string, Record<string, unknown>, string, RegExp][] = [
        ["a weight above 100", { ...base, canary: { text: "c", weight: 101 } }, "canary.weight", /a whole percentage of requests for the canary from 0 to 100/],
        ["a negative weight", { ...base, canary: { text: "c", weight: -5 } }, "canary.weight", /from 0 to 100/],
        ["a fractional weight", { ...base, canary: { text: "c", weight: "10.5" } }, "canary.weight", /from 0 to 100/],
        ["a weight in words", { ...base, canary: { text: "c", weight: "ten" } }, "canary.weight", /from 0 to 100/],
        ["a header name with a space", { ...base, canary: { ...canary, header: { name: "X Canary" } } }, "canary.header.name", /letters, digits and '-'/],
        ["a header name with a colon", { ...base, canary: { ...canary, header: { name: "X-Canary:" } } }, "canary.header.name", /letters, digits and '-'/],
        ["a header name with non-ASCII", { ...base, canary: { ...canary, header: { name: "X-Kanärie" } } }, "canary.header.name", /letters, digits and '-'/],
        [
            "a header value ingress-nginx's webhook refuses",
            { ...base, canary: { ...canary, header: { name: "X-Canary", value: "v2+beta" } } },
            "canary.header.value",
            /ingress-nginx/,
        ],
        // Issue 24.6: names and values one proxy would never match, refused whatever the exposures.
        ...["X_Canary", "X-Canary!", "X.Canary", "X~Canary", "X/Canary", "X:Canary"].map((name): [string, Record<string, unknown>, string, RegExp] => [
            `a header name ${name} NGINX drops or NGF refuses`,
            { exposures: "gateway", canary: { ...canary, header: { name } } },
            "canary.header.name",
            /letters, digits and '-'.*NGINX drops/,
        ]),
        ...[" v2", "v2 ", "v2,beta", "v\t2", "\t"].map((value): [string, Record<string, unknown>, string, RegExp] => [
            `a header value ${JSON.stringify(value)} NGINX trims or NGF splits`,
            { exposures: "gateway", canary: { ...canary, header: { name: "X-Canary", value } } },
            "canary.header.value",
            /no space at either end, no ','/,
        ]),
        ["a canary with only Services", { exposures: "clusterIP,nodePort", canary }, "canary", /only with the ingress or gateway exposure/],
        ["a canary with only a load balancer", { exposures: "loadBalancer", canary }, "canary", /only with the ingress or gateway exposure/],
        ["an unknown key inside canary", { ...base, canary: { text: "c", weigth: 10 } }, "canary.weigth", /did you mean 'weight'/],
        ["an unknown key inside the header", { ...base, canary: { ...canary, header: { name: "X-C", val: "1" } } }, "canary.header.val", /no such key/],
        ["no text (the answers could not be told apart)", { ...base, canary: { weight: 10 } }, "canary.text", /a non-empty string/],
        ["an unpinned canary image", { ...base, canary: { ...canary, image: "hashicorp/http-echo:latest" } }, "canary.image", /image/],
    ];
    for (const [why, config, key, allowed] of cases) {
        it(why, async () => {
            const { error, registered } = await runProgramExpectingError(config);
            assert.ok(error.message.startsWith(`Invalid config '${key}': got `), error.message);
            assert.match(error.message, allowed);
            assert.strictEqual(registered, 0);
        });
    }
});
