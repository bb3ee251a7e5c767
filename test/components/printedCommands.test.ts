import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CA_FILE, httpsCheckCommand, KUBECONFIG_FILE, kubectlFor, shellQuote, writeKubeconfigCommand } from "../../components/clientCommands";
import { urlPath } from "../../components/urls";
import { clusterAccess } from "../../stacks/cluster";
import { runProgram } from "../support/program";

/*
 * Issue 24, items 9-13: every printed command is safe to paste (each word quoted for a POSIX
 * shell, checked with `bash -n` and by running the quoted words through sh), the canary checks
 * trust what the tls checks trust, kubectl names the cluster the provider uses, a printed URL
 * reaches its route, and curl is never asked to --resolve an IPv6 literal host.
 */

/** The words a POSIX shell makes of `command` (without running it): printed by sh itself. */
function shellWords(command: string): string[] {
    const out = execFileSync("sh", ["-c", `set -- ${command}; for w in "$@"; do printf '%s\\0' "$w"; done`], { encoding: "utf8" });
    return out.split("\0").slice(0, -1);
}
const bashParses = (command: string) => execFileSync("bash", ["-n", "-c", command]);

/** A hostile ImplementationSpecific path: a backtick, $( ), quotes, ; & | space, brackets, # and %. */
const HOSTILE = "/a`id`$(id)'\";&|<> b[1]#c%20d";

describe("printed commands and URLs (issue 24, round 2)", () => {
    describe("9. every word is quoted for a POSIX shell", () => {
        for (const word of [HOSTILE, "it's-prod", "[2001:db8::1]", "a b", "$HOME", "plain-word_1.2/x:y@z"]) {
            it(`shellQuote(${JSON.stringify(word)}) is one word, as written`, () => assert.deepStrictEqual(shellWords(`x ${shellQuote(word)}`), ["x", word]));
        }
        it("a curl for a hostile path parses and passes the URL as one word", () => {
            const url = `https://h.example.com:8443${urlPath(HOSTILE)}`;
            const command = httpsCheckCommand(url, "localhost:8443", CA_FILE);
            bashParses(command);
            assert.deepStrictEqual(shellWords(command.replace(/^curl /, "")), ["--cacert", CA_FILE, "--resolve", "h.example.com:8443:127.0.0.1", url]);
        });
        it("an IPv6 address in --resolve is quoted (a pathname pattern to sh, an error in zsh)", () => {
            const command = httpsCheckCommand("https://h.example.com/x", "[2001:db8::1]:443");
            assert.match(command, /--resolve 'h\.example\.com:443:\[2001:db8::1\]'/);
            bashParses(command);
        });
    });

    describe("12. a printed URL reaches its route", () => {
        const cases: [string, string][] = [
            ["/vericonf", "/vericonf"],
            ["/a#b", "/a%23b"],
            ["/a?b", "/a%3Fb"],
            ["/a%20b", "/a%2520b"],
            ["/a b", "/a%20b"],
            ["/é", "/%C3%A9"],
            ["/a;b=c,d@e:f+g!h$i&j'k(l)m*n~o", "/a;b=c,d@e:f+g!h$i&j'k(l)m*n~o"],
        ];
        for (const [p, encoded] of cases) it(`${p} -> ${encoded}`, () => assert.strictEqual(urlPath(p), encoded));
    });

    describe("10, 11, 13: through the program", () => {
        const tlsCanary = {
            exposures: "clusterIP,ingress,gateway",
            routing: { hosts: ["s.example.com"], tls: [{ hosts: ["s.example.com"], secretName: "s-tls" }], path: "/v1" },
            certManager: { issuer: "selfSigned" },
            canary: { text: "canary", weight: 10, header: { name: "X-Canary" } },
            ingress: { address: "localhost:8081", httpsAddress: "localhost:8443" },
            gateway: { address: "localhost:8082", httpsAddress: "localhost:8444" },
        };
        it("10. with https routes only, the canary checks go to the https address and trust the tls output's CA", async () => {
            const run = await runProgram(tlsCanary);
            const checks = Object.values(run.outputs.canary.checks).flat() as string[];
            assert.strictEqual(checks.length, 4);
            for (const c of checks) {
                assert.match(
                    c,
                    new RegExp(`curl -sS .*--cacert ${CA_FILE} --resolve s\\.example\\.com:844[34]:127\\.0\\.0\\.1 https://s\\.example\\.com:844[34]/v1`),
                );
                bashParses(c);
            }
            assert.ok(run.outputs.tls.trustCa.endsWith(`> ${CA_FILE}`));
        });

        it("11. kubectl names the provider's context, cluster and kubeconfig file", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
            const file = path.join(dir, "my config");
            fs.writeFileSync(file, "apiVersion: v1\nkind: Config\n");
            const run = await runProgram({ "kubernetes:context": "it's-prod", "kubernetes:cluster": "eks-1", "kubernetes:kubeconfig": file });
            const expected = `kubectl --kubeconfig ${shellQuote(file)} --context 'it'\\''s-prod' --cluster eks-1 `;
            for (const command of [run.outputs.portForward.command, run.outputs.inClusterCheck]) {
                assert.ok(command.startsWith(expected), command);
                bashParses(command);
            }
            assert.strictEqual(run.outputs.writeKubeconfig, undefined);
        });

        it("11. a kubeconfig given as contents: the commands read a file the writeKubeconfig output writes", async () => {
            const run = await runProgram({ "kubernetes:kubeconfig": "apiVersion: v1\nkind: Config\nclusters: []\n" }, {}, "prod");
            assert.ok(run.outputs.portForward.command.startsWith(`kubectl --kubeconfig ${KUBECONFIG_FILE} port-forward`), run.outputs.portForward.command);
            assert.strictEqual(run.outputs.writeKubeconfig, `pulumi config get kubernetes:kubeconfig -s prod > ${KUBECONFIG_FILE}`);
        });

        it("11. ~ in a kubeconfig path is the home folder, as the provider reads it", () => {
            const access = clusterAccess({ get: (k: string) => (k === "kubeconfig" ? "~" : undefined) } as never);
            assert.deepStrictEqual(access.kubeconfig, { path: os.homedir() });
            assert.strictEqual(writeKubeconfigCommand(access, "dev"), undefined);
            assert.strictEqual(kubectlFor(undefined), "kubectl");
        });

        it("13. a route reached by an IPv6 address is curled as it is: no --resolve with an IPv6 literal host (curl < 8.13)", async () => {
            const run = await runProgram({ exposures: "ingress", canary: { text: "c", weight: 5 }, ingress: { address: "[2001:db8::1]:8081" } });
            const [check] = run.outputs.canary.checks.ingress as string[];
            assert.match(check, /curl -sS 'http:\/\/\[2001:db8::1\]:8081\/vericonf'; echo/);
            bashParses(check);
        });
    });
});
