import * as assert from "assert";
import { ALL_ECHO_PODS } from "../../components/labels";
import { EchoApp, EchoAppArgs } from "../../components/echoApp";
import { declareAlone, SMALL } from "../support/unit";

/* EchoApp on its own, with hand-built Args. */

const args = (extra: Partial<EchoAppArgs> = {}): EchoAppArgs => ({
    namespace: "team-a",
    text: "hi",
    image: "hashicorp/http-echo:1.0.0",
    imagePullPolicy: "IfNotPresent",
    replicas: 1,
    containerPort: 5678,
    resources: SMALL,
    ...extra,
});

describe("EchoApp (hand-built args)", () => {
    it("the stable track selects exactly { app: http-echo } (immutable: an upgrade must not change it), in the namespace it is given", async () => {
        const { ofType } = await declareAlone(() => new EchoApp("e", args()).deployment.metadata.name);
        const [d] = ofType("kubernetes:apps/v1:Deployment");
        assert.strictEqual(d.inputs.metadata.name, "http-echo");
        assert.strictEqual(d.inputs.metadata.namespace, "team-a");
        assert.deepStrictEqual(d.inputs.spec.selector.matchLabels, { app: "http-echo" });
        assert.deepStrictEqual(d.inputs.spec.template.spec.containers[0].args, ["-text=hi", "-listen=:5678"]);
        assert.deepStrictEqual(ofType("kubernetes:core/v1:Namespace"), [], "the namespace is EchoNamespace's");
    });

    it("declares no NetworkPolicy without networkAccess; with it, one that covers every track's pods", async () => {
        assert.deepStrictEqual((await declareAlone(() => new EchoApp("e", args()).namespace)).ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy"), []);
        const { ofType } = await declareAlone(
            () => new EchoApp("e", args({ networkAccess: { sameNamespace: true, namespaces: ["ingress-nginx"], anywhere: false } })).namespace,
        );
        const [p] = ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        assert.deepStrictEqual(p.inputs.spec.podSelector.matchLabels, { ...ALL_ECHO_PODS });
        assert.deepStrictEqual(p.inputs.spec.ingress[0].from, [
            { podSelector: {} },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
        ]);
        assert.deepStrictEqual(p.inputs.spec.egress, []);
    });

    it("above one replica, adds a PodDisruptionBudget and spreads the pods across nodes", async () => {
        const { ofType } = await declareAlone(() => new EchoApp("e", args({ replicas: 3 })).namespace);
        assert.deepStrictEqual(ofType("kubernetes:policy/v1:PodDisruptionBudget")[0].inputs.spec.selector.matchLabels, { app: "http-echo" });
        assert.strictEqual(
            ofType("kubernetes:apps/v1:Deployment")[0].inputs.spec.template.spec.topologySpreadConstraints[0].topologyKey,
            "kubernetes.io/hostname",
        );
    });
});
