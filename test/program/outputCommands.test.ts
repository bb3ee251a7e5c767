import * as assert from "assert";
import { shellQuote } from "../../components/clientCommands";
import { runProgram, runProgramExpectingError } from "../support/program";

/*
 * Issue 17, "Outputs that work": every kubectl command the outputs print reaches the stack's
 * cluster (its kube context, shell-quoted), and a NodePort proxy's host URLs carry the node port a
 * client must use.
 */

const TLS = { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }] };

/** Every string in the outputs that runs kubectl, including the `pending:` hints. */
function kubectlCommands(outputs: Record<string, any>): string[] {
    const found: string[] = [];
    const walk = (v: unknown) => {
        if (typeof v === "string") found.push(...(v.match(/kubectl [^;|]*/g) ?? []));
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    const { readme: _readme, ...rest } = outputs;
    void _readme;
    walk(rest);
    return found;
}

describe("kubectl commands in the outputs name the stack's kube context", () => {
    const configs: [string, Record<string, unknown>][] = [
        ["ClusterIP and NodePort, pending node port", { exposures: "clusterIP,nodePort" }],
        ["ingress on NodePort without an address (pending hint)", { exposures: "ingress", ingress: { controller: { serviceType: "NodePort" } } }],
        ["gateway on NodePort without an address (pending hint)", { exposures: "gateway", gateway: { controller: { serviceType: "NodePort" } } }],
        ["self-signed TLS (trustCa)", { exposures: "ingress", ingress: TLS, certManager: { issuer: "selfSigned" } }],
    ];
    for (const [context, quoted] of [
        ["kind-echo", "kind-echo"],
        ["my cluster", "'my cluster'"],
        ["it's-prod", "'it'\\''s-prod'"],
        ["arn:aws:eks:eu-west-1:123456789012:cluster/echo", "arn:aws:eks:eu-west-1:123456789012:cluster/echo"],
    ]) {
        for (const [name, config] of configs) {
            it(`${name}, context ${JSON.stringify(context)}`, async () => {
                const run = await runProgram({ ...config, "kubernetes:context": context }, { loadBalancer: "none" });
                const commands = kubectlCommands(run.outputs);
                assert.ok(commands.length >= 2, `kubectl commands found: ${JSON.stringify(commands)}`);
                for (const c of commands) assert.ok(c.startsWith(`kubectl --context ${quoted} `), c);
            });
        }
    }

    it("without kubernetes:context, kubectl uses the current context, as the provider does", async () => {
        const run = await runProgram({ exposures: "clusterIP" });
        for (const c of kubectlCommands(run.outputs)) assert.ok(!c.includes("--context"), c);
    });

    it("shell-quotes what a shell would split or expand", () => {
        assert.strictEqual(shellQuote("kind-echo"), "kind-echo");
        assert.strictEqual(shellQuote("a b"), "'a b'");
        assert.strictEqual(shellQuote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert.strictEqual(shellQuote("x'y"), "'x'\\''y'");
    });
});

describe("a NodePort proxy's host URLs carry the node port clients use", () => {
    it("ingress: a fixed node port per scheme when no ingress.address is set", async () => {
        const run = await runProgram({
            exposures: "ingress",
            ingress: {
                ...TLS,
                hosts: ["echo.example.com", "plain.example.com"],
                controller: { serviceType: "NodePort", nodePorts: { http: 30081, https: 30443 } },
            },
        });
        assert.deepStrictEqual(run.outputs.ingressUrls, ["https://echo.example.com:30443/vericonf", "http://plain.example.com:30081/vericonf"]);
    });

    it("ingress: an allocated node port is not known to the program: pending, with the command that shows it", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: { hosts: ["echo.example.com"], controller: { serviceType: "NodePort" } } });
        assert.match(run.outputs.ingressUrls[0], /^pending: .*kubectl get svc ingress-nginx-controller -n ingress-nginx/);
    });

    it("ingress: ingress.address wins (a kind port mapping), and a LoadBalancer controller keeps the default ports", async () => {
        const mapped = await runProgram({
            exposures: "ingress",
            ingress: { hosts: ["echo.example.com"], address: "localhost:8081", controller: { serviceType: "NodePort", nodePorts: { http: 30081 } } },
        });
        assert.deepStrictEqual(mapped.outputs.ingressUrls, ["http://echo.example.com:8081/vericonf"]);
        const lb = await runProgram({ exposures: "ingress", ingress: { hosts: ["echo.example.com"] } });
        assert.deepStrictEqual(lb.outputs.ingressUrls, ["http://echo.example.com/vericonf"]);
    });

    it("gateway: the fixed node ports, and the http-to-https redirect goes to the https node port", async () => {
        const run = await runProgram({
            exposures: "gateway",
            ingress: TLS,
            gateway: { nodePorts: { http: 30082, https: 30444 }, controller: { serviceType: "NodePort" } },
        });
        assert.deepStrictEqual(run.outputs.gatewayUrls, ["https://echo.example.com:30444/vericonf"]);
        const redirects = run
            .ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
            .flatMap((r) => r.inputs.spec.rules.flatMap((rule: any) => rule.filters ?? []))
            .map((f: any) => f.requestRedirect);
        assert.deepStrictEqual(redirects, [{ scheme: "https", statusCode: 308, port: 30444 }]);
    });

    it("gateway: gateway.httpsAddress (a kind mapping) decides the redirect's port over the node port", async () => {
        const run = await runProgram({
            exposures: "gateway",
            ingress: TLS,
            gateway: { httpsAddress: "localhost:8444", nodePorts: { https: 30444 }, controller: { serviceType: "NodePort" } },
        });
        const redirect = run
            .ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
            .flatMap((r) => r.inputs.spec.rules.flatMap((rule: any) => rule.filters ?? []))[0];
        assert.strictEqual(redirect.requestRedirect.port, 8444);
    });

    for (const [why, gateway] of [
        ["no https node port and no httpsAddress", { controller: { serviceType: "NodePort" } }],
        ["only an http node port", { nodePorts: { http: 30082 }, controller: { serviceType: "NodePort" } }],
        ["only an http address", { address: "localhost:8082", controller: { serviceType: "NodePort" } }],
    ] as const) {
        it(`gateway: a NodePort data plane that redirects to https with ${why} is refused before anything is declared`, async () => {
            const { error, registered } = await runProgramExpectingError({ exposures: "gateway", ingress: TLS, gateway });
            assert.match(error.message, /Invalid config 'gateway\.nodePorts\.https': got nothing; allowed: a fixed https node port, or gateway\.httpsAddress/);
            assert.strictEqual(registered, 0);
        });
    }

    it("gateway: without the redirect (sslRedirect false) the https node port may be allocated", async () => {
        const run = await runProgram({ exposures: "gateway", ingress: { ...TLS, sslRedirect: false }, gateway: { controller: { serviceType: "NodePort" } } });
        assert.match(run.outputs.gatewayUrls[0], /^pending: /);
    });
});

describe("the tls output's checks work against the issuer's chain", () => {
    const letsEncrypt = (server: string) => ({ issuer: "letsEncrypt", acme: { email: "platform@corp.dev", server, solver: "ingress" } });
    const routing = { hosts: ["echo.corp.dev", "api.corp.dev"], tls: [{ hosts: ["echo.corp.dev", "api.corp.dev"], secretName: "echo-tls" }] };

    it("Let's Encrypt staging: trustCa fetches both staging roots, and every check trusts that file", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: routing, certManager: letsEncrypt("staging") });
        const tls = run.outputs.tls;
        assert.strictEqual(
            tls.trustCa,
            "curl -fsS https://letsencrypt.org/certs/staging/letsencrypt-stg-root-x1.pem https://letsencrypt.org/certs/staging/letsencrypt-stg-root-x2.pem > letsencrypt-staging-roots.pem",
        );
        assert.strictEqual(tls.checks.length, 2);
        for (const c of tls.checks) assert.match(c, /^curl --cacert letsencrypt-staging-roots\.pem /);
    });

    it("Let's Encrypt production and another ACME directory: publicly trusted, no trust step, plain curls", async () => {
        for (const server of ["production", "https://acme.zerossl.com/v2/DV90"]) {
            const run = await runProgram({ exposures: "ingress", ingress: routing, certManager: letsEncrypt(server) });
            assert.strictEqual(run.outputs.tls.trustCa, undefined, server);
            for (const c of run.outputs.tls.checks) assert.ok(!c.includes("--cacert"), c);
        }
    });

    it("self-signed: trustCa reads the root CA from the stack's cluster, and the checks trust it", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: routing, certManager: { issuer: "selfSigned" }, "kubernetes:context": "kind-echo" });
        assert.match(run.outputs.tls.trustCa, /^kubectl --context kind-echo get secret echo-root-ca -n echo /);
        for (const c of run.outputs.tls.checks) assert.match(c, /^curl --cacert echo-exposure-ca\.crt /);
    });
});
