import * as assert from "assert";
import { runProgramExpectingError, StackConfig } from "../support/program";

/**
 * Every kind of bad config fails the program with one message that names the key, the value and
 * what is allowed, before any resource is registered (so nothing in the cluster is touched).
 */
const cases: { why: string; config: StackConfig; key: string; value: string; allowed: RegExp }[] = [
    { why: "a typo in an exposure name", config: { exposures: "clusterIP,ingres" }, key: "exposures", value: "ingres", allowed: /clusterIP, nodePort, loadBalancer/ },
    { why: "a wrongly cased exposure name", config: { exposures: ["NodePorts"] }, key: "exposures", value: "NodePorts", allowed: /nodePort/ },
    { why: "an empty exposure list", config: { exposures: [] }, key: "exposures", value: "[]", allowed: /non-empty list/ },
    { why: "an empty exposure string", config: { exposures: " " }, key: "exposures", value: '" "', allowed: /non-empty list/ },
    { why: "exposures of the wrong type", config: { exposures: { clusterIP: true } }, key: "exposures", value: "clusterIP", allowed: /list/ },
    { why: "a service port of 0", config: { servicePort: "0" }, key: "servicePort", value: '"0"', allowed: /port number from 1 to 65535/ },
    { why: "a container port above 65535", config: { containerPort: "70000" }, key: "containerPort", value: "70000", allowed: /1 to 65535/ },
    { why: "a local port that is not a number", config: { localPort: "eighty" }, key: "localPort", value: "eighty", allowed: /1 to 65535/ },
    { why: "a node port below the node-port range", config: { exposures: "nodePort", nodePort: "8080" }, key: "nodePort", value: "8080", allowed: /30000 to 32767/ },
    { why: "a node port above the node-port range", config: { nodePort: "32768" }, key: "nodePort", value: "32768", allowed: /30000 to 32767/ },
    { why: "zero replicas", config: { replicas: "0" }, key: "replicas", value: '"0"', allowed: /from 1 to/ },
    { why: "fractional replicas", config: { replicas: "1.5" }, key: "replicas", value: "1.5", allowed: /whole number/ },
    { why: "a service name with capitals", config: { serviceName: "Veri_Service" }, key: "serviceName", value: "Veri_Service", allowed: /DNS-1123 label/ },
    { why: "a service name longer than a DNS label", config: { serviceName: "a".repeat(64) }, key: "serviceName", value: "aaaa", allowed: /at most 63/ },
    { why: "a namespace with a dot", config: { namespace: "echo.dev" }, key: "namespace", value: "echo.dev", allowed: /DNS-1123 label/ },
    { why: "createNamespace that is not a boolean", config: { createNamespace: "yes" }, key: "createNamespace", value: "yes", allowed: /true or false/ },
    { why: "an unpinned image", config: { image: "hashicorp/http-echo" }, key: "image", value: "hashicorp/http-echo", allowed: /pinned/ },
    { why: "the latest tag", config: { image: "hashicorp/http-echo:latest" }, key: "image", value: "latest", allowed: /not 'latest'/ },
    { why: "an empty text", config: { text: "" }, key: "text", value: '""', allowed: /non-empty string/ },
    { why: "a loadBalancer that is not an object", config: { loadBalancer: "yes" }, key: "loadBalancer", value: "yes", allowed: /object/ },
    { why: "a typo inside loadBalancer", config: { loadBalancer: { sourceRange: ["10.0.0.0/8"] } }, key: "loadBalancer.sourceRange", value: "10.0.0.0/8", allowed: /sourceRanges/ },
    { why: "a source range that is not a CIDR", config: { loadBalancer: { sourceRanges: ["10.0.0.0"] } }, key: "loadBalancer.sourceRanges[0]", value: "10.0.0.0", allowed: /CIDR/ },
    { why: "annotations that are not strings", config: { loadBalancer: { annotations: { a: 1 } } }, key: "loadBalancer.annotations", value: '{"a":1}', allowed: /strings/ },
    { why: "skipAwait that is not a boolean", config: { loadBalancer: { skipAwait: "maybe" } }, key: "loadBalancer.skipAwait", value: "maybe", allowed: /true or false/ },
    { why: "malformed JSON", config: { exposures: "[clusterIP" }, key: "exposures", value: "[clusterIP", allowed: /valid JSON/ },
];

describe("bad config", () => {
    for (const c of cases) {
        it(`rejects ${c.why}, naming the key, the value and what is allowed, with nothing registered`, async () => {
            const { error, registered } = await runProgramExpectingError(c.config);
            assert.strictEqual(error.name, "ConfigError", error.stack);
            assert.match(error.message, new RegExp(`'${c.key.replace(/[[\].]/g, "\\$&")}'`), "names the key");
            assert.ok(error.message.includes(c.value), `names the value ${c.value}: ${error.message}`);
            assert.match(error.message, c.allowed, "says what is allowed");
            assert.strictEqual(registered, 0, "no resource may be registered");
        });
    }
});
