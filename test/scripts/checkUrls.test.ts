import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { checkStackOutputs } from "../../scripts/checkUrls";

/**
 * The e2e checker against a stand-in for the echo app on loopback, so the checks the e2e workflow
 * relies on are known to pass on a good deployment and fail on a broken one.
 */
describe("the e2e URL checker", () => {
    let server: http.Server;
    let base: string;
    before(async () => {
        server = http.createServer((req, res) => {
            if (req.url === "/vericonf" || req.url === "/") {
                res.writeHead(200).end("hello from the dev stack\n");
            } else if (req.url === "/wrong") {
                res.writeHead(200).end("some other app\n");
            } else {
                res.writeHead(404).end("default backend - 404");
            }
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());

    it("passes when every URL answers with the text and unrouted paths get 404", async () => {
        const checks = await checkStackOutputs(
            {
                urls: { clusterIP: "http://veri-service.echo.svc.cluster.local", nodePort: `${base}/`, ingress: `${base}/vericonf` },
                ingressUrls: [`${base}/vericonf`],
            },
            "hello from the dev stack",
            { retryForMs: 0 },
        );
        assert.deepStrictEqual(
            checks.map((c) => [c.what, c.ok]),
            [
                ["urls.nodePort", true],
                ["urls.ingress", true],
                ["ingressUrls", true],
                ["ingressUrls (unrouted path)", true],
            ],
        );
    });

    it("fails on the wrong text, a pending address, and an unrouted path that answers", async () => {
        const checks = await checkStackOutputs(
            { urls: { ingress: `${base}/wrong`, loadBalancer: "pending: the load balancer has reported no address yet" }, ingressUrls: [`${base}/`] },
            "hello from the dev stack",
            { retryForMs: 0 },
        );
        assert.deepStrictEqual(
            checks.filter((c) => !c.ok).map((c) => c.what),
            ["urls.ingress", "urls.loadBalancer"],
        );
    });

    it("fails when a path that no rule routes still reaches the app (a catch-all)", async () => {
        const catchAll = http.createServer((_req, res) => res.writeHead(200).end("hello from the dev stack\n"));
        await new Promise<void>((r) => catchAll.listen(0, "127.0.0.1", r));
        try {
            const url = `http://127.0.0.1:${(catchAll.address() as AddressInfo).port}/vericonf`;
            const checks = await checkStackOutputs({ urls: {}, ingressUrls: [url] }, "hello from the dev stack", { retryForMs: 0 });
            assert.deepStrictEqual(
                checks.map((c) => [c.what, c.ok]),
                [
                    ["ingressUrls", true],
                    ["ingressUrls (unrouted path)", false],
                ],
            );
        } finally {
            catchAll.close();
        }
    });

    it("reports a port-forward whose command cannot run (no kubectl) as a failed check, without crashing", async () => {
        const checks = await checkStackOutputs(
            { urls: {}, portForward: { command: "no-such-kubectl-here port-forward -n echo svc/veri-service 8080:80", url: "http://localhost:8080" } },
            "hello from the dev stack",
            { portForward: true, context: "kind-echo" },
        );
        assert.strictEqual(checks.length, 1);
        assert.strictEqual(checks[0].ok, false);
        assert.match(checks[0].detail, /could not run no-such-kubectl-here: .*ENOENT/);
    });

    describe("https through a proxy's address, against the stack's own CA (as for the dev stack on kind)", () => {
        let server: https.Server;
        let ca: string;
        let port: number;
        before(async function () {
            // A CA and a certificate for echo.localtest.me it signs, as cert-manager's CA issuer makes them.
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "echo-ca-"));
            const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
            try {
                openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=test CA");
            } catch {
                return this.skip(); // no openssl here: the https path is then not checked
            }
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=echo.localtest.me");
            fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=DNS:echo.localtest.me\n");
            openssl(
                "x509",
                "-req",
                "-in",
                "tls.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "tls.crt",
                "-days",
                "1",
                "-extfile",
                "san.ext",
            );
            ca = fs.readFileSync(path.join(dir, "ca.crt"), "utf8");
            server = https.createServer({ key: fs.readFileSync(path.join(dir, "tls.key")), cert: fs.readFileSync(path.join(dir, "tls.crt")) }, (req, res) =>
                req.url === "/vericonf" && req.headers.host?.startsWith("echo.localtest.me")
                    ? res.writeHead(200).end("hello from the dev stack\n")
                    : res.writeHead(404).end(),
            );
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            port = (server.address() as AddressInfo).port;
        });
        after(() => server?.close());

        it("reaches the host's URL through the given address, trusting the given CA, with the host's name for SNI and Host", async () => {
            const url = `https://echo.localtest.me:${port}/vericonf`;
            const checks = await checkStackOutputs({ urls: {}, ingressUrls: [url] }, "hello from the dev stack", { ca, resolveTo: "127.0.0.1", retryForMs: 0 });
            assert.deepStrictEqual(
                checks.map((c) => [c.what, c.ok]),
                [
                    ["ingressUrls", true],
                    ["ingressUrls (unrouted path)", true],
                ],
            );
        });

        it("fails without the CA (the chain is not publicly trusted)", async () => {
            const url = `https://echo.localtest.me:${port}/vericonf`;
            const checks = await checkStackOutputs({ urls: { ingress: url } }, "hello from the dev stack", { resolveTo: "127.0.0.1", retryForMs: 0 });
            assert.strictEqual(checks[0].ok, false);
            assert.match(checks[0].detail, /self[- ]signed|unable to (get|verify)/i);
        });
    });
});
