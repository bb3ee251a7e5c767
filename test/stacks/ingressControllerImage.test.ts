import * as assert from "assert";
import { chartName, runProgram, runProgramExpectingError } from "../support/program";

/*
 * Issue 17: ingress-nginx is retired; a user who must stay on it can run a maintained fork's
 * controller image, given as a full reference pinned by digest and checked like every image.
 */

const DIGEST = `sha256:${"c".repeat(64)}`;
const controllerValues = async (image?: string) => {
    const run = await runProgram({ exposures: "ingress", ingress: { controller: image === undefined ? {} : { image } } });
    return run.ofType("kubernetes:helm.sh/v3:Release").find((r) => chartName(r.inputs.chart) === "ingress-nginx")!.inputs.values.controller;
};

describe("ingress.controller.image: a maintained fork's controller", () => {
    for (const [ref, repository, tag] of [
        [`ghcr.io/example-fork/ingress-nginx-controller:v1.15.9@${DIGEST}`, "ghcr.io/example-fork/ingress-nginx-controller", "v1.15.9"],
        [`registry.corp.example:5000/mirror/controller:1.15.1-fork.2@${DIGEST}`, "registry.corp.example:5000/mirror/controller", "1.15.1-fork.2"],
        [`cgr.dev/chainguard/ingress-nginx-controller:latest-dev@${DIGEST}`, "cgr.dev/chainguard/ingress-nginx-controller", "latest-dev"],
    ]) {
        it(`${ref} reaches the chart as repository, tag and digest`, async () => {
            assert.deepStrictEqual((await controllerValues(ref)).image, { repository, tag, digest: DIGEST });
        });
    }

    it("unset: the chart's own image (values.yaml controller.image) stays", async () => {
        assert.strictEqual((await controllerValues()).image, undefined);
    });

    for (const [why, image] of [
        ["no digest", "ghcr.io/example-fork/ingress-nginx-controller:v1.15.9"],
        ["no tag (the chart always renders :<tag>)", `ghcr.io/example-fork/ingress-nginx-controller@${DIGEST}`],
        ["a short digest", "ghcr.io/example-fork/controller:v1@sha256:abc"],
        ["upper-case path", `ghcr.io/Example/controller:v1@${DIGEST}`],
        ["whitespace", `ghcr.io/example/controller:v1 @${DIGEST}`],
    ]) {
        it(`refuses ${why}`, async () => {
            const { error, registered } = await runProgramExpectingError({ exposures: "ingress", ingress: { controller: { image } } });
            assert.match(error.message, /^Invalid config 'ingress\.controller\.image': got /);
            assert.strictEqual(registered, 0);
        });
    }
});
