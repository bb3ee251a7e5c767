import * as assert from "assert";
import * as path from "path";
import { chartName, runProgram } from "../support/program";
import { MIRROR_ENV } from "../../upstream/resolver";
import { validateAgainstSchema } from "../support/schemas";
import { stackConfig } from "../support/stacks";

const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const ISSUER = "kubernetes:cert-manager.io/v1:Issuer";
const RELEASE = "kubernetes:helm.sh/v3:Release";

const tlsRouting = {
    address: "localhost:8081",
    httpsAddress: "localhost:8443",
    hosts: [{ path: "/vericonf" }, "echo.localtest.me", "api.localtest.me"],
    tls: [
        { hosts: ["echo.localtest.me"], secretName: "echo-tls" },
        { hosts: ["api.localtest.me"], secretName: "api-tls" },
    ],
};
const letsEncrypt = (acme: Record<string, unknown>) => ({ issuer: "letsEncrypt", acme: { email: "platform@corp.dev", ...acme } });

const certManagerRelease = (run: Awaited<ReturnType<typeof runProgram>>) => run.ofType(RELEASE).find((r) => chartName(r.inputs.chart) === "cert-manager");

describe("TLS by cert-manager", () => {
    it("issues exactly each ingress.tls Secret for exactly its hosts, and waits until each Certificate is Ready", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: tlsRouting, certManager: { issuer: "selfSigned" } });
        const certs = run
            .ofType(CERTIFICATE)
            .map((c) => c.inputs)
            .filter((c) => !c.spec.isCA);
        assert.deepStrictEqual(
            certs.map((c) => [c.metadata.namespace, c.spec.secretName, c.spec.dnsNames, c.spec.issuerRef.name]),
            [
                ["echo", "echo-tls", ["echo.localtest.me"], "echo-ca"],
                ["echo", "api-tls", ["api.localtest.me"], "echo-ca"],
            ],
        );
        for (const c of [...run.ofType(CERTIFICATE), ...run.ofType(ISSUER)]) {
            assert.strictEqual(c.inputs.metadata.annotations["pulumi.com/waitFor"], "condition=Ready", c.name);
        }
        // The Ingress uses the same Secrets unchanged.
        assert.deepStrictEqual(
            run.one("kubernetes:networking.k8s.io/v1:Ingress").inputs.spec.tls.map((t: any) => t.secretName),
            ["echo-tls", "api-tls"],
        );
        for (const obj of run.objects.filter((o) => o.apiVersion.startsWith("cert-manager.io/"))) validateAgainstSchema(obj);
    });

    it("selfSigned: a SelfSigned Issuer signs a root CA, a CA Issuer on its Secret signs the rest, in the echo namespace", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: tlsRouting, certManager: { issuer: "selfSigned" } });
        const issuers = Object.fromEntries(run.ofType(ISSUER).map((i) => [i.inputs.metadata.name, i.inputs.spec]));
        assert.deepStrictEqual(issuers, { "echo-selfsigned": { selfSigned: {} }, "echo-ca": { ca: { secretName: "echo-root-ca" } } });
        const root = run.ofType(CERTIFICATE).find((c) => c.inputs.spec.isCA)!.inputs;
        assert.strictEqual(root.spec.secretName, "echo-root-ca");
        // Trusted by users, it signs only the stack's hosts, and is not re-keyed under them every 60 days.
        assert.deepStrictEqual(root.spec.nameConstraints, { critical: true, permitted: { dnsDomains: ["echo.localtest.me", "api.localtest.me"] } });
        assert.strictEqual(root.spec.duration, "87600h");
        assert.deepStrictEqual(root.spec.issuerRef, { name: "echo-selfsigned", kind: "Issuer", group: "cert-manager.io" });
        const caIssuer = run.registrations.find((r) => r.type === ISSUER && r.name === "echo-ca-issuer")!;
        assert.ok(
            caIssuer.dependencies.some((u) => u.endsWith("::echo-root-ca")),
            "the CA Issuer waits for its Secret's Certificate",
        );
    });

    it("installs cert-manager by a Helm release (its startupapicheck is a post-install hook), pinned, with its CRDs, in a restricted namespace", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: tlsRouting, certManager: { issuer: "selfSigned" } });
        const release = certManagerRelease(run)!.inputs;
        // The mirror's chart folder (the test setup sets one), by absolute path, with no repository.
        assert.strictEqual(release.chart, path.join(process.env[MIRROR_ENV]!, "cert-manager", "v1.21.1", "chart"));
        assert.strictEqual(release.repositoryOpts, undefined);
        assert.strictEqual(release.version, "v1.21.1");
        assert.strictEqual(release.namespace, "cert-manager");
        assert.deepStrictEqual(release.values.crds, { enabled: true, keep: true });
        assert.strictEqual(release.values.config, undefined, "Gateway API support only for the gateway solver");
        assert.deepStrictEqual(release.values.global, { leaderElection: { namespace: "cert-manager" } }, "Leases and their Roles not in kube-system");
        assert.strictEqual(release.values.webhook.replicaCount, 2, "the fail-closed webhook survives a node drain");
        assert.deepStrictEqual(release.values.webhook.podDisruptionBudget, { enabled: true });
        const ns = run.ofType("kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "cert-manager")!;
        assert.strictEqual(ns.inputs.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        const issuer = run.registrations.find((r) => r.type === ISSUER && r.name === "echo-selfsigned-issuer")!;
        assert.ok(
            issuer.dependencies.some((u) => u.includes("Release::echo-cert-manager")),
            "issuers wait for cert-manager",
        );
    });

    it("letsEncrypt through ingress-nginx: an ACME Issuer whose HTTP-01 solver Ingress has the class, issuance after the controller", async () => {
        const run = await runProgram({
            exposures: "ingress",
            ingress: { ...tlsRouting, className: "public" },
            certManager: letsEncrypt({ server: "staging" }),
        });
        const acme = run.one(ISSUER).inputs.spec.acme;
        assert.strictEqual(acme.server, "https://acme-staging-v02.api.letsencrypt.org/directory");
        assert.strictEqual(acme.email, "platform@corp.dev");
        assert.deepStrictEqual(acme.solvers, [{ http01: { ingress: { ingressClassName: "public", serviceType: "ClusterIP" } } }]);
        const cert = run.registrations.find((r) => r.type === CERTIFICATE)!;
        assert.ok(
            cert.dependencies.some((u) => u.includes("IngressExposure$kubernetes:helm.sh/v3:Release::echo-controller")),
            JSON.stringify(cert.dependencies),
        );
        for (const obj of run.objects.filter((o) => o.apiVersion.startsWith("cert-manager.io/"))) validateAgainstSchema(obj);
    });

    it("letsEncrypt through the Gateway: the solver route attaches to its http listener, cert-manager runs with Gateway API support", async () => {
        const run = await runProgram({ exposures: "gateway", ingress: tlsRouting, certManager: letsEncrypt({ solver: "gateway" }) });
        const acme = run.one(ISSUER).inputs.spec.acme;
        assert.strictEqual(acme.server, "https://acme-v02.api.letsencrypt.org/directory", "production by default");
        assert.deepStrictEqual(acme.solvers, [
            {
                http01: {
                    gatewayHTTPRoute: {
                        parentRefs: [{ kind: "Gateway", name: "echo-gateway", namespace: "echo", sectionName: "http" }],
                        serviceType: "ClusterIP",
                    },
                },
            },
        ]);
        assert.deepStrictEqual(certManagerRelease(run)!.inputs.values.config, { gatewayAPI: { enabled: true } });
        const release = run.registrations.find((r) => r.type === RELEASE && r.name === "echo-cert-manager")!;
        assert.ok(
            release.dependencies.some((u) => u.endsWith("Gateway::echo-gateway")),
            "cert-manager with Gateway API support starts after the Gateway API CRDs (and the Gateway)",
        );
        for (const obj of run.objects.filter((o) => o.apiVersion.startsWith("cert-manager.io/"))) validateAgainstSchema(obj);
    });

    it("uses an issuer that already exists, and can leave an installed cert-manager alone", async () => {
        const run = await runProgram({
            exposures: "ingress",
            ingress: tlsRouting,
            certManager: { issuer: { kind: "ClusterIssuer", name: "corp-dns01" }, install: false },
        });
        assert.strictEqual(run.ofType(ISSUER).length, 0);
        assert.strictEqual(certManagerRelease(run), undefined);
        assert.deepStrictEqual(run.ofType(CERTIFICATE)[0].inputs.spec.issuerRef, { kind: "ClusterIssuer", name: "corp-dns01", group: "cert-manager.io" });
    });

    it("tells how to trust the dev CA and gives a ready curl per https URL, through each proxy", async () => {
        const run = await runProgram({
            exposures: "ingress,gateway",
            ingress: tlsRouting,
            gateway: { address: "localhost:8082", httpsAddress: "localhost:8444" },
            certManager: { issuer: "selfSigned" },
            "kubernetes:context": "kind-echo",
        });
        const tls = run.outputs.tls;
        assert.strictEqual(
            tls.trustCa,
            "kubectl --context kind-echo get secret echo-root-ca -n echo -o jsonpath='{.data.ca\\.crt}' | base64 --decode > echo-exposure-ca.crt",
            "from the stack's cluster, whatever the current context",
        );
        assert.deepStrictEqual(tls.checks, [
            "curl --cacert echo-exposure-ca.crt --resolve echo.localtest.me:8443:127.0.0.1 https://echo.localtest.me:8443/vericonf",
            "curl --cacert echo-exposure-ca.crt --resolve api.localtest.me:8443:127.0.0.1 https://api.localtest.me:8443/vericonf",
            "curl --cacert echo-exposure-ca.crt --resolve echo.localtest.me:8444:127.0.0.1 https://echo.localtest.me:8444/vericonf",
            "curl --cacert echo-exposure-ca.crt --resolve api.localtest.me:8444:127.0.0.1 https://api.localtest.me:8444/vericonf",
        ]);
        const none = await runProgram({ exposures: "ingress", ingress: tlsRouting });
        assert.strictEqual(none.outputs.tls, undefined, "no certManager, no tls output");
    });

    it("reaches an https URL behind a load balancer's hostname with --connect-to (curl's --resolve takes only addresses)", async () => {
        const run = await runProgram(
            { exposures: "ingress", ingress: { hosts: ["echo.corp.dev"], tls: [{ hosts: ["echo.corp.dev"], secretName: "t" }] }, certManager: letsEncrypt({}) },
            { loadBalancer: "hostname" },
        );
        assert.match(run.outputs.tls.checks[0], /^curl --connect-to echo\.corp\.dev:443:a1b2c3d4e5-[^:]+:443 https:\/\/echo\.corp\.dev\/vericonf$/);
        assert.strictEqual(run.outputs.tls.trustCa, undefined, "a public CA needs no trust step");
    });
});

describe("TLS by cert-manager: placeholders", () => {
    it("warns in the preview when the ACME contact or the hosts are placeholders Let's Encrypt refuses (the shipped staging and prod)", async () => {
        const staging = (await runProgram(stackConfig("staging"), {}, "staging")).warnings;
        assert.ok(
            staging.some((w) => /certManager\.acme\.email '.*@your-company\.invalid' is a placeholder/.test(w)),
            staging.join("\n"),
        );
        assert.ok(
            staging.some((w) => /echo\.staging\.example\.com are placeholders/.test(w)),
            staging.join("\n"),
        );
        const real = await runProgram({
            exposures: "ingress",
            routing: { hosts: ["echo.corp.dev"], tls: [{ hosts: ["echo.corp.dev"], secretName: "t" }] },
            certManager: { issuer: "letsEncrypt", acme: { email: "platform@corp.dev" } },
        });
        assert.deepStrictEqual(real.warnings, [], "real names: no warning");
    });
});
