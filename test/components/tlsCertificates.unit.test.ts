import * as assert from "assert";
import { TlsCertificates, TlsCertificatesArgs } from "../../components/tlsCertificates";
import { declareAlone } from "../support/unit";

/* TlsCertificates on its own, with hand-built Args. */

const CERTIFICATE = "kubernetes:cert-manager.io/v1:Certificate";
const args = (extra: Partial<TlsCertificatesArgs> = {}): TlsCertificatesArgs => ({
    namespace: "team-a",
    certificates: [
        { secretName: "a-tls", hosts: ["a.example.com"] },
        { secretName: "b-tls", hosts: ["b.example.com", "c.example.com"] },
    ],
    issuer: { selfSigned: true },
    ...extra,
});

describe("TlsCertificates (hand-built args)", () => {
    it("issues one Certificate per entry, writing exactly its Secret for exactly its hosts", async () => {
        const { ofType } = await declareAlone(() => new TlsCertificates("t", args()).urn);
        const leaf = ofType(CERTIFICATE).filter((c) => !c.inputs.spec.isCA);
        assert.deepStrictEqual(
            leaf.map((c) => [c.inputs.spec.secretName, c.inputs.spec.dnsNames]),
            [
                ["a-tls", ["a.example.com"]],
                ["b-tls", ["b.example.com", "c.example.com"]],
            ],
        );
        assert.ok(leaf.every((c) => c.inputs.metadata.namespace === "team-a"));
    });

    it("self-signed: a root CA Certificate, and the CA Issuer the leaves name", async () => {
        const { ofType } = await declareAlone(() => new TlsCertificates("t", args()).urn);
        assert.strictEqual(ofType(CERTIFICATE).filter((c) => c.inputs.spec.isCA).length, 1);
        const issuers = ofType("kubernetes:cert-manager.io/v1:Issuer").map((i) => i.inputs.metadata.name);
        const named = new Set(ofType(CERTIFICATE).map((c) => c.inputs.spec.issuerRef.name));
        assert.ok(named.size > 0 && issuers.length > 0, "certificates and issuers are declared");
        for (const n of named) assert.ok(issuers.includes(n), `${n} is one of the declared issuers ${issuers}`);
    });

    it("an existing issuer: no issuer declared, the Certificates name it; without install, no cert-manager release", async () => {
        const { ofType } = await declareAlone(() => new TlsCertificates("t", args({ issuer: { existing: { kind: "ClusterIssuer", name: "corp-ca" } } })).urn);
        assert.deepStrictEqual(ofType("kubernetes:cert-manager.io/v1:Issuer"), []);
        assert.strictEqual(ofType(CERTIFICATE).length, 2, "one Certificate per entry");
        assert.ok(ofType(CERTIFICATE).every((c) => c.inputs.spec.issuerRef.name === "corp-ca" && c.inputs.spec.issuerRef.kind === "ClusterIssuer"));
        assert.deepStrictEqual(ofType("kubernetes:helm.sh/v3:Release"), []);
    });
});
