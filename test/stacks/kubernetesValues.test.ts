import * as assert from "assert";
import { chartName, ProgramRun, runProgram, StackConfig } from "../support/program";
import { itRejects } from "../support/badConfig";

/*
 * Issue 17: values the API server (or the kubelet) refuses, or takes in a way nobody means, fail
 * `pulumi preview` naming the config key, before anything is declared. The rules and their
 * upstream sources: docs/verification.md, "Kubernetes value rules (issue 17)".
 */

const RELEASE = "kubernetes:helm.sh/v3:Release";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SERVICE = "kubernetes:core/v1:Service";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const releaseOf = (run: ProgramRun, chart: string) => run.ofType(RELEASE).find((r) => chartName(r.inputs.chart) === chart)!.inputs;
const container = (run: ProgramRun) => run.one(DEPLOYMENT).inputs.spec.template.spec.containers[0];

/** A DNS subdomain of exactly `length` characters, in labels of at most 50. */
function className(length: number): string {
    for (const label of [50, 49]) {
        const name = Array.from({ length }, (_, i) => (i % (label + 1) === label ? "." : "a")).join("");
        if (!name.endsWith(".")) return name;
    }
    throw new Error(`no name of ${length} characters`);
}

const KIB_256 = 256 * 1024;
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const TLS = { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }] };

describe("Kubernetes value rules (issue 17)", () => {
    describe("annotation keys are qualified names with an optional DNS-subdomain prefix", () => {
        const where: { key: string; config: (a: Record<string, string>) => StackConfig }[] = [
            { key: "ingress.annotations", config: (a) => ({ exposures: "ingress", ingress: { annotations: a } }) },
            { key: "loadBalancer.annotations", config: (a) => ({ exposures: "loadBalancer", loadBalancer: { annotations: a } }) },
            { key: "ingress.controller.serviceAnnotations", config: (a) => ({ exposures: "ingress", ingress: { controller: { serviceAnnotations: a } } }) },
            { key: "gateway.controller.serviceAnnotations", config: (a) => ({ exposures: "gateway", gateway: { controller: { serviceAnnotations: a } } }) },
        ];
        const badKeys: { why: string; name: string; allowed: RegExp }[] = [
            { why: "two '/'", name: "example.com/team/owner", allowed: /more than one '\/'/ },
            { why: "a name starting with '-'", name: "-owner", allowed: /start and end with a letter or digit/ },
            { why: "a space in the name", name: "cost center", allowed: /character other than letters, digits/ },
            { why: "a prefix with '_' (not a DNS subdomain)", name: "my_corp.com/owner", allowed: /prefix 'my_corp\.com' is not a DNS subdomain/ },
            { why: "an empty name after the prefix", name: "example.com/", allowed: /name part \(after the '\/'\) is empty/ },
            { why: "a name of 64 characters", name: `example.com/${"n".repeat(64)}`, allowed: /has 64 characters/ },
            { why: "a prefix longer than 253 characters", name: `${className(254)}/owner`, allowed: /DNS subdomain of at most 253/ },
        ];
        where.forEach((w, i) => {
            // Every map gets several bad keys; each bad key is tried in at least one map.
            for (const bad of badKeys.filter((_, j) => (i + j) % 2 === 0 || j === i)) {
                itRejects({
                    why: `an annotation key with ${bad.why} in ${w.key}`,
                    config: w.config({ [bad.name]: "x" }),
                    key: w.key,
                    value: bad.name.slice(0, 40),
                    allowed: new RegExp(`annotation key the API server accepts.*${bad.allowed.source}`),
                });
            }
        });

        it("accepts ordinary keys, upper case included (the API server checks them lower-cased), and passes them on unchanged", async () => {
            const annotations = {
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                "Example.COM/Owner_Team.v2": "platform",
                owner: "platform",
                [`${"p".repeat(63)}.example.com/${"n".repeat(63)}`]: "long but legal",
            };
            const run = await runProgram({ exposures: "loadBalancer,ingress", loadBalancer: { annotations }, ingress: { annotations } });
            const lb = run.ofType(SERVICE).find((s) => s.inputs.spec.type === "LoadBalancer")!;
            assert.deepStrictEqual(lb.inputs.metadata.annotations, annotations);
            assert.deepStrictEqual(run.one(INGRESS).inputs.metadata.annotations, annotations);
        });
    });

    describe("an object's annotations are at most 256 KiB of keys and values", () => {
        itRejects({
            why: "ingress.annotations over 256 KiB",
            config: { exposures: "ingress", ingress: { annotations: { a: "x".repeat(KIB_256) } } },
            key: "ingress.annotations",
            value: `${KIB_256 + 1} bytes`,
            allowed: /at most 262144 bytes \(256 KiB\)/,
        });
        itRejects({
            why: "loadBalancer.annotations over 256 KiB in several entries, counted in UTF-8 bytes",
            config: { exposures: "loadBalancer", loadBalancer: { annotations: { a: "é".repeat(KIB_256 / 4), b: "é".repeat(KIB_256 / 4) } } },
            key: "loadBalancer.annotations",
            value: `${KIB_256 + 2} bytes`,
            allowed: /256 KiB/,
        });
        itRejects({
            why: "loadBalancer.annotations at the limit when skipAwait adds pulumi.com/skipAwait to the same Service",
            config: { exposures: "loadBalancer", loadBalancer: { skipAwait: true, annotations: { a: "x".repeat(KIB_256 - 1) } } },
            key: "loadBalancer.annotations",
            value: `${KIB_256} bytes`,
            allowed: /including the 24 bytes the program adds \(pulumi\.com\/skipAwait\)/,
        });
        itRejects({
            why: "ingress.annotations at the limit when the program adds its TLS annotations to the Ingress",
            config: { exposures: "ingress", ingress: { ...TLS, sslRedirect: false, annotations: { a: "x".repeat(KIB_256 - 1) } } },
            key: "ingress.annotations",
            value: `${KIB_256} bytes`,
            allowed: /the program adds \(echo-exposure\/tls-secrets-provided, nginx\.ingress\.kubernetes\.io\/ssl-redirect\)/,
        });
        itRejects({
            why: "gateway.controller.serviceAnnotations over 256 KiB",
            config: { exposures: "gateway", gateway: { controller: { serviceAnnotations: { "example.com/big": "x".repeat(KIB_256) } } } },
            key: "gateway.controller.serviceAnnotations",
            value: "bytes of keys and values",
            allowed: /256 KiB/,
        });

        it("accepts exactly 256 KiB when the program adds nothing", async () => {
            const run = await runProgram({ exposures: "loadBalancer", loadBalancer: { annotations: { a: "x".repeat(KIB_256 - 1) } } });
            const lb = run.ofType(SERVICE).find((s) => s.inputs.spec.type === "LoadBalancer")!;
            assert.strictEqual(lb.inputs.metadata.annotations.a.length, KIB_256 - 1);
        });
    });

    describe("a kubernetes.io/ingress.class annotation must not contradict ingress.className", () => {
        const KEY = "ingress.annotations.kubernetes.io/ingress.class";
        itRejects({
            why: "another class than the default nginx",
            config: { exposures: "ingress", ingress: { annotations: { "kubernetes.io/ingress.class": "public" } } },
            key: KEY,
            value: "public",
            allowed: /same class as ingress\.className \('nginx'\).*refuses an Ingress whose annotation names another class/,
        });
        itRejects({
            why: "nginx when ingress.className is internal",
            config: { exposures: "ingress", ingress: { className: "internal", annotations: { "kubernetes.io/ingress.class": "nginx" } } },
            key: KEY,
            value: "nginx",
            allowed: /same class as ingress\.className \('internal'\)/,
        });
        itRejects({
            why: "the class in another case (the comparison is exact)",
            config: { exposures: "ingress", ingress: { className: "edge", annotations: { "kubernetes.io/ingress.class": "Edge" } } },
            key: KEY,
            value: "Edge",
            allowed: /set ingress\.className instead/,
        });
        itRejects({
            why: "an empty class",
            config: { exposures: "ingress", ingress: { className: "edge", annotations: { "kubernetes.io/ingress.class": "" } } },
            key: KEY,
            value: '""',
            allowed: /no kubernetes\.io\/ingress\.class annotation, or the same class/,
        });

        for (const cls of ["nginx", "edge", "internal.example.com"]) {
            it(`accepts the annotation equal to ingress.className '${cls}' (redundant, accepted by the API server) and keeps it`, async () => {
                const run = await runProgram({ exposures: "ingress", ingress: { className: cls, annotations: { "kubernetes.io/ingress.class": cls } } });
                const ingress = run.one(INGRESS).inputs;
                assert.strictEqual(ingress.spec.ingressClassName, cls);
                assert.strictEqual(ingress.metadata.annotations["kubernetes.io/ingress.class"], cls);
            });
        }
    });

    describe("the installed IngressClass's spec.controller (k8s.io/ingress-<className>) fits in 250 characters", () => {
        for (const length of [236, 240, 253]) {
            itRejects({
                why: `a ${length}-character ingress.className with the controller installed`,
                config: { exposures: "ingress", ingress: { className: className(length) } },
                key: "ingress.className",
                value: className(length).slice(0, 30),
                allowed: /at most 235 characters while the program installs the controller.*'k8s\.io\/ingress-<className>'.*limits to 250/,
            });
        }

        it("accepts a 235-character class: the controller value is exactly 250 characters", async () => {
            const cls = className(235);
            const run = await runProgram({ exposures: "ingress", ingress: { className: cls } });
            const resource = releaseOf(run, "ingress-nginx").values.controller.ingressClassResource;
            assert.strictEqual(resource.controllerValue, `k8s.io/ingress-${cls}`);
            assert.strictEqual(resource.controllerValue.length, 250);
        });

        it("accepts a long class of a controller that is not installed (the program creates no IngressClass)", async () => {
            const cls = className(253);
            const run = await runProgram({ exposures: "ingress", ingress: { className: cls, controller: { install: false, namespace: "ingress-nginx" } } });
            assert.strictEqual(run.one(INGRESS).inputs.spec.ingressClassName, cls);
            assert.strictEqual(run.ofType(RELEASE).length, 0);
        });
    });

    describe("resource quantities: the Kubernetes grammar, in units that make sense for the resource", () => {
        const bad: { why: string; resources: Record<string, unknown>; key: string; value: string; allowed: RegExp }[] = [
            {
                why: "memory in milli-bytes ('128m' is 0.128 bytes)",
                resources: { limits: { memory: "128m" } },
                key: "limits.memory",
                value: "128m",
                allowed: /did you mean '128Mi'/,
            },
            { why: "memory in micro-bytes", resources: { requests: { memory: "16u" } }, key: "requests.memory", value: "16u", allowed: /a fraction of a byte/ },
            {
                why: "memory below 1 byte",
                resources: { requests: { memory: "0.5" } },
                key: "requests.memory",
                value: "0.5",
                allowed: /whole number of bytes, at least 1/,
            },
            { why: "memory of 0", resources: { requests: { memory: "0" } }, key: "requests.memory", value: "0", allowed: /at least 1/ },
            {
                why: "memory in a fraction of a byte by exponent",
                resources: { requests: { memory: "15e-1" } },
                key: "requests.memory",
                value: "15e-1",
                allowed: /whole number of bytes/,
            },
            {
                why: "CPU with a binary suffix ('1Ki' is 1024 cores)",
                resources: { limits: { cpu: "1Ki" } },
                key: "limits.cpu",
                value: "1Ki",
                allowed: /binary suffix 'Ki'.*1024 cores/,
            },
            { why: "CPU in Mi", resources: { requests: { cpu: "1Mi" } }, key: "requests.cpu", value: "1Mi", allowed: /binary suffix 'Mi'/ },
            {
                why: "CPU finer than 1m",
                resources: { requests: { cpu: "0.0001" } },
                key: "requests.cpu",
                value: "0.0001",
                allowed: /whole number of millicores/,
            },
            { why: "CPU in micro-cores below 1m", resources: { requests: { cpu: "500u" } }, key: "requests.cpu", value: "500u", allowed: /1m is the finest/ },
            { why: "a negative CPU", resources: { requests: { cpu: "-100m" } }, key: "requests.cpu", value: "-100m", allowed: /not negative/ },
            { why: "a quantity with two dots", resources: { requests: { cpu: "1.2.3" } }, key: "requests.cpu", value: "1.2.3", allowed: /quantity of cpu/ },
            {
                why: "a quantity with an unknown suffix",
                resources: { limits: { memory: "1GB" } },
                key: "limits.memory",
                value: "1GB",
                allowed: /quantity of memory.*'64Mi'/,
            },
            { why: "a quantity with a space", resources: { limits: { memory: "64 Mi" } }, key: "limits.memory", value: "64 Mi", allowed: /quantity of memory/ },
        ];
        const over: { why: string; resources: Record<string, unknown>; key: string; value: string; allowed: RegExp }[] = [
            {
                why: "a CPU request above its limit",
                resources: { requests: { cpu: "2" }, limits: { cpu: "1" } },
                key: "requests.cpu",
                value: '"2"',
                allowed: /at most the limit .*limits\.cpu \(1\): the API server refuses a request greater than its limit/,
            },
            {
                why: "a memory request above the default limit",
                resources: { requests: { memory: "4Gi" } },
                key: "requests.memory",
                value: "4Gi",
                allowed: /at most the limit .*limits\.memory/,
            },
            {
                why: "a memory request above its limit in other units (1025Mi > 1Gi)",
                resources: { requests: { memory: "1025Mi" }, limits: { memory: "1Gi" } },
                key: "requests.memory",
                value: "1025Mi",
                allowed: /limits\.memory \(1Gi\)/,
            },
            {
                why: "a CPU request above its limit by exponent (1e3 cores > 2000m)",
                resources: { requests: { cpu: "1e3" }, limits: { cpu: "2000m" } },
                key: "requests.cpu",
                value: "1e3",
                allowed: /limits\.cpu \(2000m\)/,
            },
        ];
        const where: { key: string; config: (r: Record<string, unknown>) => StackConfig }[] = [
            { key: "resources", config: (r) => ({ resources: r }) },
            { key: "ingress.controller.resources", config: (r) => ({ exposures: "ingress", ingress: { controller: { resources: r } } }) },
            { key: "gateway.controller.resources", config: (r) => ({ exposures: "gateway", gateway: { controller: { resources: r } } }) },
        ];
        for (const w of where) {
            for (const c of [...bad, ...over]) {
                itRejects({ why: `${c.why} in ${w.key}`, config: w.config(c.resources), key: `${w.key}.${c.key}`, value: c.value, allowed: c.allowed });
            }
        }

        it("accepts ordinary quantities and passes them on as written", async () => {
            const resources = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "0.5", memory: "1e9" } };
            const run = await runProgram({ resources });
            assert.deepStrictEqual(container(run).resources, resources);
        });

        it("accepts a request equal to its limit in other units (1Gi = 1024Mi, 1 = 1000m), and numbers from YAML", async () => {
            const run = await runProgram({ resources: { requests: { cpu: "1000m", memory: "1Gi" }, limits: { cpu: 1, memory: "1024Mi" } } });
            assert.deepStrictEqual(container(run).resources, { requests: { cpu: "1000m", memory: "1Gi" }, limits: { cpu: "1", memory: "1024Mi" } });
        });

        it("accepts the controllers' quantities (fractions of binary units, exponents, micro-cores that are whole millicores)", async () => {
            const resources = { requests: { cpu: "250000u", memory: "0.5Gi" }, limits: { cpu: "2", memory: "1.5Gi" } };
            const run = await runProgram({ exposures: "ingress", ingress: { controller: { resources } } });
            assert.deepStrictEqual(releaseOf(run, "ingress-nginx").values.controller.resources, resources);
        });
    });

    describe("image references: the distribution/reference grammar, pinned to a tag or digest", () => {
        const bad: { why: string; image: string; allowed: RegExp }[] = [
            { why: "an upper-case repository path", image: "hashicorp/HTTP-Echo:1.0.0", allowed: /'HTTP-Echo' has upper-case letters/ },
            {
                why: "an upper-case first component (it would be taken for a registry host)",
                image: "HashiCorp/http-echo:1.0.0",
                allowed: /a registry host has a '\.' or a ':port'/,
            },
            { why: "an upper-case one-component name", image: "Echo:1.0.0", allowed: /'Echo' has upper-case letters/ },
            { why: "a trailing space", image: "hashicorp/http-echo:1.0.0 ", allowed: /no whitespace/ },
            { why: "a space before the tag", image: "hashicorp/http-echo: 1.0.0", allowed: /no whitespace/ },
            { why: "a tag starting with '-'", image: "hashicorp/http-echo:-rc1", allowed: /the tag '-rc1' is not 1 to 128/ },
            { why: "a tag of 129 characters", image: `hashicorp/http-echo:${"1".repeat(129)}`, allowed: /is not 1 to 128/ },
            { why: "an empty tag", image: "hashicorp/http-echo:", allowed: /the tag '' is not/ },
            { why: "a short digest", image: "hashicorp/http-echo@sha256:abc123", allowed: /the digest 'sha256:abc123' is not/ },
            { why: "an upper-case digest", image: `hashicorp/http-echo@${DIGEST.toUpperCase()}`, allowed: /lower-case hex/ },
            { why: "an unknown digest algorithm", image: `hashicorp/http-echo@md5:${"0".repeat(32)}`, allowed: /sha256:, sha384: or sha512:/ },
            {
                why: "a port that is not a number",
                image: "registry.example.com:http/team/echo:1.2",
                allowed: /registry 'registry\.example\.com:http' is not a host name/,
            },
            { why: "an empty path component", image: "registry.example.com//echo:1.2", allowed: /component '' is not lower-case letters/ },
            { why: "three underscores", image: "team/echo___app:1.2", allowed: /'echo___app' is not lower-case letters and digits separated by/ },
            { why: "a scheme", image: "https://registry.example.com/echo:1.2", allowed: /registry 'https:' is not a host name/ },
            { why: "a repository path over 255 characters", image: `registry.example.com/${"a".repeat(256)}:1.0`, allowed: /256 characters, more than 255/ },
        ];
        for (const c of bad) {
            itRejects({
                why: `an image with ${c.why}`,
                config: { image: c.image },
                key: "image",
                value: c.image.slice(0, 40),
                allowed: new RegExp(`image reference .*${c.allowed.source}`),
            });
        }
        // The rules the program had before issue 17, kept.
        for (const image of ["hashicorp/http-echo", "registry.example.com:5000/team/echo", "hashicorp/http-echo:latest", "localhost:5000/echo:latest"]) {
            itRejects({
                why: `the unpinned image ${image}`,
                config: { image },
                key: "image",
                value: image,
                allowed: /pinned to a release tag or digest.*not 'latest'/,
            });
        }

        for (const image of [
            "hashicorp/http-echo:1.0.0",
            `hashicorp/http-echo@${DIGEST}`,
            `hashicorp/http-echo:1.0.0@${DIGEST}`,
            "registry.example.com:5000/team/echo:1.2",
            "Registry.Example.com/team/echo:1.2",
            "localhost/echo:dev_1",
            "ghcr.io/team/sub-team/echo.app__v2:v1.2.3-rc.1",
            `echo@sha512:${"ab".repeat(64)}`,
        ]) {
            it(`accepts ${image.length > 60 ? `${image.slice(0, 60)}…` : image} and deploys it as written`, async () => {
                const run = await runProgram({ image });
                assert.strictEqual(container(run).image, image);
            });
        }
    });
});
