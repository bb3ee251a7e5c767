import * as assert from "assert";
import * as http from "http";
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
            const checks = await checkStackOutputs({ urls: {}, ingressUrls: [url] }, "hello from the dev stack");
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
});
