import * as assert from "assert";
import { ROOT_CA_SECRET } from "../../components/tlsCertificates";
import { ACME_ACCOUNT_SECRET } from "../../stacks/certManager";
import { runProgram, StackConfig } from "../support/program";
import { BadCase, itRejects } from "../support/badConfig";

/*
 * Issue 17, "Certificates" and "Let's Encrypt's own rules": what cert-manager and Let's Encrypt
 * would refuse only after `pulumi up` (an Issuer or a Certificate that never gets Ready) is
 * refused before anything is declared, with the key where the value was set.
 */

const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const ISSUER = "kubernetes:cert-manager.io/v1:Issuer";

const EMAIL = "platform@corp.dev";
const letsEncrypt = (acme: Record<string, unknown> = {}) => ({ issuer: "letsEncrypt", acme: { email: EMAIL, ...acme } });
/** Routing with one TLS entry per list of hosts, each its own Secret. */
const routing = (...entries: string[][]) => ({
    hosts: [...new Set(entries.flat())],
    tls: entries.map((hosts, i) => ({ hosts, secretName: `tls-${i}` })),
});
/** letsEncrypt through ingress-nginx (LoadBalancer), with these TLS entries. */
const acmeFor = (...entries: string[][]): StackConfig => ({ exposures: "ingress", ingress: routing(...entries), certManager: letsEncrypt() });
const names = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.corp.dev`);

describe("Let's Encrypt's identifier rules for TLS hosts (certManager.issuer letsEncrypt)", () => {
    const cases: BadCase[] = [
        { why: "a host without a dot", config: acmeFor(["echo"]), key: "ingress.tls[0].hosts[0]", value: "echo", allowed: /at least one is needed/ },
        {
            why: "a dotless host in a later entry",
            config: acmeFor(["echo.corp.dev"], ["api.corp.dev", "intranet"]),
            key: "ingress.tls[1].hosts[1]",
            value: "intranet",
            allowed: /without a dot/,
        },
        {
            why: "a host of 11 labels",
            config: acmeFor(["a.b.c.d.e.f.g.h.i.corp.dev"]),
            key: "ingress.tls[0].hosts[0]",
            value: "a.b.c.d.e.f.g.h.i.corp.dev",
            allowed: /more than 10 labels \(it has 11\)/,
        },
        {
            why: "a host under no public suffix (.internal)",
            config: acmeFor(["echo.corp.internal"]),
            key: "ingress.tls[0].hosts[0]",
            value: "echo.corp.internal",
            allowed: /under a public suffix.*'\.internal' is none/,
        },
        { why: "a host under .lan", config: acmeFor(["echo.lan"]), key: "ingress.tls[0].hosts[0]", value: "echo.lan", allowed: /'\.lan' is none/ },
        {
            why: "a host under a reserved TLD (.test)",
            config: acmeFor(["echo.corp.test"]),
            key: "ingress.tls[0].hosts[0]",
            value: "echo.corp.test",
            allowed: /'\.test' is none/,
        },
        {
            why: "a host that is a public suffix (co.uk)",
            config: acmeFor(["co.uk"]),
            key: "ingress.tls[0].hosts[0]",
            value: "co.uk",
            allowed: /a public suffix itself.*'echo\.co\.uk'/,
        },
        {
            why: "a host that is a wildcard-rule public suffix (b.ck, under *.ck)",
            config: acmeFor(["echo.corp.dev"], ["b.ck"]),
            key: "ingress.tls[1].hosts[0]",
            value: "b.ck",
            allowed: /a public suffix itself/,
        },
        {
            why: "101 names in one entry (one order takes at most 100)",
            config: acmeFor(names(101)),
            key: "ingress.tls[0].hosts[100]",
            value: "h100.corp.dev",
            allowed: /at most 100 names in one ingress\.tls entry.*split the hosts/,
        },
        {
            why: "150 names in a second entry",
            config: acmeFor(["echo.corp.dev"], names(150)),
            key: "ingress.tls[1].hosts[100]",
            value: "h100.corp.dev",
            allowed: /at most 100 names/,
        },
        // '--' in a label's third and fourth characters: refused for every host already (validate.ts hostName).
        {
            why: "a reserved '--' label, for any issuer",
            config: acmeFor(["ab--cd.corp.dev"]),
            key: "ingress.hosts[0]",
            value: "ab--cd.corp.dev",
            allowed: /reserved for 'xn--' labels/,
        },
        {
            why: "an 'xn--' label that is no Punycode, for any issuer",
            config: acmeFor(["xn--zz.corp.dev"]),
            key: "ingress.hosts[0]",
            value: "xn--zz.corp.dev",
            allowed: /valid Punycode/,
        },
    ];
    for (const c of cases) itRejects(c);

    it("takes names Let's Encrypt issues for: 10 labels, 100 names, Punycode, ICANN suffixes of every kind", async () => {
        const run = await runProgram(
            acmeFor(["a.b.c.d.e.f.g.h.corp.dev", "xn--bcher-kva.de", "echo.corp.co.uk", "www.ck", "echo.b.ck", "echo.github.io"], names(100)),
        );
        const dnsNames = run.ofType(CERTIFICATE).map((c) => c.inputs.spec.dnsNames.length);
        assert.deepStrictEqual(dnsNames, [6, 100]);
    });

    it("applies them to letsEncrypt only: selfSigned and an existing issuer issue for internal names", async () => {
        for (const certManager of [{ issuer: "selfSigned" }, { issuer: { kind: "ClusterIssuer", name: "corp-ca" }, install: false }]) {
            const run = await runProgram({ exposures: "ingress", ingress: routing(["echo.corp.internal", "intranet"], names(101)), certManager });
            assert.ok(run.ofType(CERTIFICATE).length >= 2, JSON.stringify(certManager));
        }
    });
});

describe("the ACME server is a directory URL", () => {
    const at = (server: string): StackConfig => ({ ...acmeFor(["echo.corp.dev"]), certManager: letsEncrypt({ server }) });
    const cases: [string, string, RegExp][] = [
        ["a bare host", "https://acme.corp.dev", /not a bare host: the directory's path is needed/],
        ["a bare host with a slash", "https://acme.corp.dev/", /not a bare host/],
        ["a bare host and port", "https://acme.corp.dev:14000", /not a bare host/],
        ["plain http", "http://acme.corp.dev/directory", /production, staging, or the https URL of an ACME directory/],
        ["no scheme", "acme.corp.dev/directory", /the https URL of an ACME directory/],
        ["a user and password", "https://acme:secret@acme.corp.dev/directory", /not one with a user or password/],
        ["a fragment", "https://acme.corp.dev/directory#top", /not one with a '#' fragment/],
        ["another name for a server", "letsencrypt", /production, staging/],
    ];
    for (const [why, server, allowed] of cases)
        itRejects({ why: `${why} as certManager.acme.server`, config: at(server), key: "certManager.acme.server", value: server, allowed });

    it("keeps production, staging and https directory URLs (with a port, with a deep path)", async () => {
        const expected: Record<string, string> = {
            production: "https://acme-v02.api.letsencrypt.org/directory",
            staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
            "https://acme.corp.dev:14000/dir": "https://acme.corp.dev:14000/dir",
            "https://ca.corp.dev/acme/acme/directory": "https://ca.corp.dev/acme/acme/directory",
        };
        for (const [server, url] of Object.entries(expected)) {
            const run = await runProgram(at(server));
            assert.strictEqual(run.one(ISSUER).inputs.spec.acme.server, url);
        }
    });
});

describe("the ACME contact is an address Let's Encrypt accepts", () => {
    const at = (email: string): StackConfig => ({ ...acmeFor(["echo.corp.dev"]), certManager: letsEncrypt({ email }) });
    const cases: [string, string, RegExp][] = [
        ["no @", "platform", /a plain address local@domain/],
        ["a display name", "Platform <platform@corp.dev>", /no display name/],
        ["a space", "platform team@corp.dev", /no spaces/],
        ["a '?' (mailto hfields)", "platform?subject=x@corp.dev", /'\?' or '#'/],
        ["a '#'", "platform#1@corp.dev", /'\?' or '#'/],
        ["non-ASCII", "plätform@corp.dev", /non-ASCII/],
        ["a dotless domain", "platform@localhost", /'localhost': a name without a dot/],
        ["a domain under no public suffix", "platform@corp.internal", /'corp\.internal': a name under a public suffix/],
        ["a domain under .local", "platform@corp.local", /'\.local' is none/],
        ["a domain under .test", "platform@corp.test", /'\.test' is none/],
        ["a public suffix as the domain", "platform@co.uk", /a public suffix itself/],
        ["an IPv4 address", "platform@192.0.2.1", /an IP address as the domain/],
        ["an address literal", "platform@[192.0.2.1]", /an IP address as the domain/],
        ["example.com", "platform@example.com", /refuses example\.com, example\.net, example\.org/],
        ["example.net", "ops@example.net", /not the domain 'example\.net'/],
        ["example.org", "ops@EXAMPLE.org", /not the domain 'example\.org'/],
        ["a reserved '--' label", "ops@ab--cd.corp.dev", /reserved for 'xn--'/],
        ["a broken 'xn--' label", "ops@xn--zz.corp.dev", /valid Punycode/],
        ["a label starting with '-'", "ops@-corp.dev", /not at either end/],
        ["an empty label", "ops@corp..dev", /an empty label/],
        ["a domain of 11 labels", "ops@a.b.c.d.e.f.g.h.i.corp.dev", /more than 10 labels/],
        ["a trailing dot", "ops@corp.dev.", /ending in a dot/],
    ];
    for (const [why, email, allowed] of cases)
        itRejects({ why: `${why} in certManager.acme.email`, config: at(email), key: "certManager.acme.email", value: email, allowed });

    it("takes real addresses, in any case (cert-manager lowercases them), without a warning", async () => {
        for (const email of ["Platform-Team@Corp.Dev", "ops+acme@corp.co.uk", "o.p.s@xn--bcher-kva.de"]) {
            // The routing under the top-level key (under ingress it is deprecated, with a warning).
            const { ingress, ...rest } = at(email);
            const run = await runProgram({ ...rest, routing: ingress });
            assert.strictEqual(run.one(ISSUER).inputs.spec.acme.email, email);
            assert.deepStrictEqual(run.warnings, [], email);
        }
    });

    it("lets the shipped placeholder (a .invalid contact) through with a warning, so the shipped stacks preview", async () => {
        const run = await runProgram(at("platform-team@your-company.invalid"));
        assert.ok(
            run.warnings.some((w) => /your-company\.invalid' is a placeholder/.test(w)),
            run.warnings.join("\n"),
        );
    });
});

describe("one Secret per Certificate", () => {
    const tls = (secretNames: string[]) => ({
        hosts: secretNames.map((_, i) => `h${i}.corp.dev`),
        tls: secretNames.map((secretName, i) => ({ hosts: [`h${i}.corp.dev`], secretName })),
    });
    const issuers: [string, Record<string, unknown>][] = [
        ["letsEncrypt", letsEncrypt()],
        ["selfSigned", { issuer: "selfSigned" }],
        ["an existing ClusterIssuer", { issuer: { kind: "ClusterIssuer", name: "corp-ca" }, install: false }],
    ];
    for (const [name, certManager] of issuers) {
        itRejects({
            why: `two entries writing one Secret (${name})`,
            config: { exposures: "ingress", ingress: tls(["echo-tls", "echo-tls"]), certManager },
            key: "ingress.tls[1].secretName",
            value: "echo-tls",
            allowed: /ingress\.tls\[0\] already writes 'echo-tls'/,
        });
        for (const managed of [ROOT_CA_SECRET, ACME_ACCOUNT_SECRET]) {
            itRejects({
                why: `the program's own Secret ${managed} as a TLS Secret (${name})`,
                config: { exposures: "ingress", ingress: tls(["echo-tls", managed]), certManager },
                key: "ingress.tls[1].secretName",
                value: managed,
                allowed: /a Secret the program does not manage itself/,
            });
        }
    }
    itRejects({
        why: "the third entry reusing the first entry's Secret",
        config: { exposures: "ingress", ingress: tls(["a-tls", "b-tls", "a-tls"]), certManager: letsEncrypt() },
        key: "ingress.tls[2].secretName",
        value: "a-tls",
        allowed: /ingress\.tls\[0\] already writes 'a-tls'/,
    });

    it("names the Secrets the component manages (the root CA's, the ACME account key's)", async () => {
        const acme = await runProgram(acmeFor(["echo.corp.dev"]));
        assert.strictEqual(acme.one(ISSUER).inputs.spec.acme.privateKeySecretRef.name, ACME_ACCOUNT_SECRET);
        const self = await runProgram({ exposures: "ingress", ingress: routing(["echo.corp.dev"]), certManager: { issuer: "selfSigned" } });
        assert.ok(self.ofType(CERTIFICATE).some((c) => c.inputs.spec.isCA && c.inputs.spec.secretName === ROOT_CA_SECRET));
    });

    it("still lets provided Secrets (no certManager) serve several entries", async () => {
        const run = await runProgram({ exposures: "ingress", ingress: tls(["shared-tls", "shared-tls"]) });
        assert.deepStrictEqual(
            run.one("kubernetes:networking.k8s.io/v1:Ingress").inputs.spec.tls.map((t: any) => t.secretName),
            ["shared-tls", "shared-tls"],
        );
    });
});

describe("an existing issuer must be able to exist", () => {
    const existing = (kind: string, extra: Record<string, unknown> = {}): StackConfig => ({
        exposures: "ingress",
        ingress: routing(["echo.corp.dev"]),
        certManager: { issuer: { kind, name: "corp-ca" }, ...extra },
    });
    itRejects({
        why: "a ClusterIssuer while the program installs cert-manager (the default)",
        config: existing("ClusterIssuer"),
        key: "certManager.issuer.kind",
        value: "ClusterIssuer",
        allowed: /no ClusterIssuer can exist before the cert-manager the stack is about to install; set certManager\.install: false.*program-made issuer/,
    });
    itRejects({
        why: "a ClusterIssuer with certManager.install true",
        config: existing("ClusterIssuer", { install: true }),
        key: "certManager.issuer.kind",
        value: "ClusterIssuer",
        allowed: /certManager\.install: false/,
    });
    itRejects({
        why: "an Issuer while the program installs cert-manager",
        config: { ...existing("Issuer"), createNamespace: false },
        key: "certManager.issuer.kind",
        value: "Issuer",
        allowed: /no Issuer can exist before the cert-manager/,
    });
    itRejects({
        why: "an Issuer in the echo namespace the program creates (the default)",
        config: existing("Issuer", { install: false }),
        key: "certManager.issuer.kind",
        value: "Issuer",
        allowed: /Certificates' namespace \('echo'\), which the program is about to create.*createNamespace: false/,
    });
    itRejects({
        why: "an Issuer in another namespace the program creates",
        config: { ...existing("Issuer", { install: false }), namespace: "web", createNamespace: true },
        key: "certManager.issuer.kind",
        value: "Issuer",
        allowed: /\('web'\), which the program is about to create/,
    });

    it("takes a ClusterIssuer with install false, and an Issuer in a namespace the program does not create", async () => {
        const cluster = await runProgram(existing("ClusterIssuer", { install: false }));
        assert.strictEqual(cluster.ofType(CERTIFICATE)[0].inputs.spec.issuerRef.kind, "ClusterIssuer");
        const namespaced = await runProgram({ ...existing("Issuer", { install: false }), createNamespace: false });
        assert.deepStrictEqual(namespaced.ofType(CERTIFICATE)[0].inputs.spec.issuerRef, { name: "corp-ca", kind: "Issuer", group: "cert-manager.io" });
    });
});

describe("HTTP-01 is answerable on port 80 from outside", () => {
    const viaIngress = (controller: Record<string, unknown>, acme: Record<string, unknown> = {}): StackConfig => ({
        exposures: "ingress,gateway",
        ingress: { ...routing(["echo.corp.dev"]), controller },
        certManager: letsEncrypt(acme),
    });
    const viaGateway = (gateway: Record<string, unknown>): StackConfig => ({
        exposures: "gateway",
        ingress: routing(["echo.corp.dev"]),
        gateway,
        certManager: letsEncrypt({ solver: "gateway" }),
    });
    const cases: BadCase[] = [
        {
            why: "the ingress solver through a ClusterIP controller (default solver)",
            config: viaIngress({ serviceType: "ClusterIP" }),
            key: "ingress.controller.serviceType",
            value: "ClusterIP",
            allowed: /NodePort \(with something forwarding port 80.*kind's extraPortMappings\).*hostPort: true.*port 80 from the internet/,
        },
        {
            why: "the ingress solver, chosen, through a ClusterIP controller",
            config: viaIngress({ serviceType: "ClusterIP" }, { solver: "ingress" }),
            key: "ingress.controller.serviceType",
            value: "ClusterIP",
            allowed: /nothing outside the cluster reaches a ClusterIP Service/,
        },
        {
            why: "the gateway solver through a ClusterIP data plane",
            config: viaGateway({ controller: { serviceType: "ClusterIP" } }),
            key: "gateway.controller.serviceType",
            value: "ClusterIP",
            allowed: /LoadBalancer, or NodePort \(with something forwarding port 80/,
        },
        {
            why: "the gateway solver on an http listener at 8080 behind a load balancer",
            config: viaGateway({ httpPort: 8080 }),
            key: "gateway.httpPort",
            value: "8080",
            allowed: /80 when HTTP-01 answers through the Gateway/,
        },
        {
            why: "the gateway solver on an http listener at 8000, with another team's implementation",
            config: viaGateway({ httpPort: "8000", controller: { install: false } }),
            key: "gateway.httpPort",
            value: "8000",
            allowed: /80 when HTTP-01 answers through the Gateway/,
        },
    ];
    for (const c of cases) itRejects(c);

    it("takes a LoadBalancer, a NodePort, a hostPort controller, another proxy for the solver, and proxies it does not manage", async () => {
        const ok: StackConfig[] = [
            viaIngress({ serviceType: "NodePort" }),
            viaIngress({ serviceType: "ClusterIP", hostPort: true }),
            viaIngress({ serviceType: "ClusterIP" }, { solver: "gateway" }),
            viaIngress({ serviceType: "ClusterIP", install: false }),
            viaGateway({}),
            viaGateway({ httpsAddress: "echo.corp.dev:30444", controller: { serviceType: "NodePort" } }),
            viaGateway({ httpPort: 8080, httpsAddress: "echo.corp.dev:30444", controller: { serviceType: "NodePort" } }),
            viaGateway({ existing: { name: "shared", namespace: "edge" }, httpPort: 8080 }),
            { ...viaIngress({ serviceType: "ClusterIP" }), certManager: { issuer: "selfSigned" } },
        ];
        for (const config of ok) {
            const run = await runProgram(config);
            assert.ok(run.ofType(CERTIFICATE).length >= 1, JSON.stringify(config));
        }
    });
});
