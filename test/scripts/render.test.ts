import * as assert from "assert";
import * as yaml from "js-yaml";
import { renderStack } from "../../scripts/render";
import { validateAgainstSchema } from "../support/schemas";
import { shippedStacks } from "../support/stacks";

describe("npm run render", () => {
    for (const stack of shippedStacks()) {
        it(`renders ${stack} as valid multi-document YAML, labelled as a render (not a preview), the same on every run`, async () => {
            const first = await renderStack(stack);
            const second = await renderStack(stack);
            assert.strictEqual(first.manifests, second.manifests, "deterministic, so PR diffs show only real changes");
            assert.deepStrictEqual(first.outputs, second.outputs);
            assert.match(first.manifests, /^# Rendered by `npm run render`.*not a `pulumi preview`/);
            const docs = yaml.loadAll(first.manifests) as any[];
            assert.strictEqual(docs.length, first.documents);
            for (const doc of docs.filter((d) => d.apiVersion)) validateAgainstSchema(doc);
            assert.ok(docs.some((d) => d.kind === "Deployment"));
            assert.ok((first.outputs.urls as object) !== undefined);
        });
    }

    it("shows Helm releases as their inputs, with a mirror's folder as $ECHO_EXPOSURE_MIRROR", async () => {
        const docs = yaml.loadAll((await renderStack("dev")).manifests) as any[];
        const controller = docs.find((d) => d["# pulumi component"] === "kubernetes:helm.sh/v3:Release" && d["# name"] === "echo-controller");
        assert.strictEqual(controller.inputs.version, "4.15.1");
        assert.strictEqual(controller.inputs.chart, "$ECHO_EXPOSURE_MIRROR/ingress-nginx/4.15.1/chart");
    });

    it("refuses a stack that is not shipped", async () => {
        await assert.rejects(renderStack("nope"), /no Pulumi\.nope\.yaml here/);
    });
});
