import * as assert from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Lock, loadLock } from "../../upstream/lock";
import { MIRROR_ENV, resolveChartFolder, resolveFile, sha256, UpstreamError } from "../../upstream/resolver";
import { ROOT, runProgram, runProgramExpectingError } from "../support/program";

/*
 * The resolver: files from a mirror or a verified, cached download; refused when they differ from
 * upstream.lock.json; one clear error with no mirror and no network. And the program stops on
 * those errors before it declares anything.
 */

const realMirror = () => {
    const m = process.env[MIRROR_ENV];
    assert.ok(m, `${MIRROR_ENV} is set by the test setup (test/support/mirror.ts) when ../shared/upstream exists`);
    return m;
};

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `echo-exposure-${prefix}-`));

/**
 * A mirror like the real one, with every artifact linked to the real one except `name`/`version`,
 * which is a copy that `change` may alter.
 */
function mirrorWithCopy(name: string, version: string, change: (dir: string) => void): string {
    const real = realMirror();
    const dir = tmp("mirror");
    for (const artifact of fs.readdirSync(real, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        fs.mkdirSync(path.join(dir, artifact.name));
        for (const v of fs.readdirSync(path.join(real, artifact.name))) {
            const target = path.join(dir, artifact.name, v);
            if (artifact.name === name && v === version) {
                fs.cpSync(path.join(real, artifact.name, v), target, { recursive: true });
                execFileSync("chmod", ["-R", "u+w", target]);
            } else {
                fs.symlinkSync(path.join(real, artifact.name, v), target);
            }
        }
    }
    change(path.join(dir, name, version));
    return dir;
}

/** Runs `fn` with environment variables set (undefined: unset), restoring them after. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    };
    apply(vars);
    try {
        return await fn();
    } finally {
        apply(saved);
    }
}

/**
 * A small fake upstream on 127.0.0.1, run by the test in a child process: the resolver downloads
 * synchronously, so a server in this process could not answer it. Serves `files` by URL path.
 */
async function fakeUpstream(files: Record<string, string>): Promise<{ url: string; requests: () => string[]; stop: () => void }> {
    const script = `
        const http = require("http");
        const files = JSON.parse(process.argv[1]);
        const server = http.createServer((req, res) => {
            process.stderr.write(req.url + "\\n");
            if (files[req.url] === undefined) { res.statusCode = 404; return res.end("not found"); }
            res.end(files[req.url]);
        });
        server.listen(0, "127.0.0.1", () => process.stdout.write(String(server.address().port) + "\\n"));`;
    const child: ChildProcess = spawn(process.execPath, ["-e", script, JSON.stringify(files)], { stdio: ["ignore", "pipe", "pipe"] });
    const seen: string[] = [];
    child.stderr!.on("data", (d: Buffer) => seen.push(...d.toString().split("\n").filter(Boolean)));
    const port = await new Promise<string>((resolve, reject) => {
        child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
        child.once("exit", (code) => reject(new Error(`fake upstream exited ${code}`)));
    });
    return { url: `http://127.0.0.1:${port}`, requests: () => [...seen], stop: () => child.kill() };
}

/** oneFileLock's file, by download (no mirror) into `cacheDir`. */
const downloadTiny = (cacheDir: string, lock: Lock) => resolveFile("tiny", "v1.0.0", "deploy/crds.yaml", { mirror: undefined, cacheDir, lock });

/** A lock with one artifact of one file, served from `base`. */
function oneFileLock(base: string, body: string, sha = sha256(Buffer.from(body))): Lock {
    return {
        artifacts: [
            {
                name: "tiny",
                version: "v1.0.0",
                license: "Apache-2.0",
                source: { repository: "https://example.invalid/tiny", tag: "v1.0.0", commit: "0".repeat(40) },
                files: [{ path: "deploy/crds.yaml", sha256: sha, url: `${base}/releases/v1.0.0/crds.yaml` }],
            },
        ],
    };
}

/** Waits until the child's stderr has reported `n` requests (it writes before it answers). */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe("the upstream resolver", () => {
    describe("from a mirror", () => {
        it("gives the mirror's file when it matches the lock", () => {
            const file = resolveFile("gateway-api", "v1.5.1", "standard-install.yaml");
            assert.strictEqual(file, path.join(realMirror(), "gateway-api", "v1.5.1", "standard-install.yaml"));
        });

        it("refuses a changed file, naming the artifact, the file, and both SHA-256s", () => {
            const mirror = mirrorWithCopy("gateway-api", "v1.5.1", (dir) => fs.appendFileSync(path.join(dir, "standard-install.yaml"), "\n# edited\n"));
            const expected = loadLock()
                .artifacts.find((a) => a.name === "gateway-api")!
                .files.find((f) => f.path === "standard-install.yaml")!.sha256;
            const actual = sha256(fs.readFileSync(path.join(mirror, "gateway-api", "v1.5.1", "standard-install.yaml")));
            assert.throws(
                () => resolveFile("gateway-api", "v1.5.1", "standard-install.yaml", { mirror }),
                (e: Error) =>
                    e instanceof UpstreamError &&
                    e.message.includes("gateway-api v1.5.1 'standard-install.yaml'") &&
                    e.message.includes(`expected SHA-256 ${expected}`) &&
                    e.message.includes(`got ${actual}`),
            );
        });

        it("refuses a chart folder with a changed file, a missing file, or a file the lock does not list", () => {
            const changed = mirrorWithCopy("nginx-gateway-fabric", "2.6.7", (dir) => fs.appendFileSync(path.join(dir, "chart", "values.yaml"), "\nextra: 1\n"));
            assert.throws(() => resolveChartFolder("nginx-gateway-fabric", "2.6.7", { mirror: changed }), /'chart\/values\.yaml'.*expected SHA-256/);
            const missing = mirrorWithCopy("cert-manager", "v1.21.1", (dir) => fs.rmSync(path.join(dir, "chart", "templates", "deployment.yaml")));
            assert.throws(
                () => resolveChartFolder("cert-manager", "v1.21.1", { mirror: missing }),
                /'chart\/templates\/deployment\.yaml' is not in the mirror/,
            );
            const added = mirrorWithCopy("ingress-nginx", "4.15.1", (dir) =>
                fs.writeFileSync(path.join(dir, "chart", "templates", "extra.yaml"), "apiVersion: v1\nkind: ConfigMap\n"),
            );
            assert.throws(() => resolveChartFolder("ingress-nginx", "4.15.1", { mirror: added }), /does not list: 'chart\/templates\/extra\.yaml'/);
        });

        it("says which artifact a mirror lacks", () => {
            const empty = tmp("empty-mirror");
            assert.throws(
                () => resolveFile("gateway-api", "v1.5.1", "standard-install.yaml", { mirror: empty }),
                new RegExp(`not in the mirror ${MIRROR_ENV}=`),
            );
        });
    });

    describe("by download", () => {
        it("downloads, verifies and caches a file, then reuses the cache with the upstream gone", async () => {
            const body = "kind: CustomResourceDefinition\n";
            const upstream = await fakeUpstream({ "/releases/v1.0.0/crds.yaml": body });
            const cacheDir = tmp("cache");
            const lock = oneFileLock(upstream.url, body);
            try {
                const file = downloadTiny(cacheDir, lock);
                assert.strictEqual(file, path.join(cacheDir, "tiny", "v1.0.0", "deploy", "crds.yaml"));
                assert.strictEqual(fs.readFileSync(file, "utf8"), body);
                await settle();
                assert.deepStrictEqual(upstream.requests(), ["/releases/v1.0.0/crds.yaml"]);
            } finally {
                upstream.stop();
            }
            // The upstream is gone: the verified cache answers.
            assert.strictEqual(fs.readFileSync(downloadTiny(cacheDir, lock), "utf8"), body);
        });

        it("downloads again when the cached copy was damaged", async () => {
            const body = "kind: CustomResourceDefinition\n";
            const upstream = await fakeUpstream({ "/releases/v1.0.0/crds.yaml": body });
            const cacheDir = tmp("cache");
            const lock = oneFileLock(upstream.url, body);
            try {
                const file = downloadTiny(cacheDir, lock);
                fs.writeFileSync(file, "tampered");
                assert.strictEqual(fs.readFileSync(downloadTiny(cacheDir, lock), "utf8"), body);
                await settle();
                assert.strictEqual(upstream.requests().length, 2);
            } finally {
                upstream.stop();
            }
        });

        it("refuses a download that does not match the lock, and caches nothing", async () => {
            const upstream = await fakeUpstream({ "/releases/v1.0.0/crds.yaml": "something else\n" });
            const cacheDir = tmp("cache");
            const expected = sha256(Buffer.from("what upstream released\n"));
            const lock = oneFileLock(upstream.url, "", expected);
            try {
                assert.throws(
                    () => downloadTiny(cacheDir, lock),
                    (e: Error) =>
                        e instanceof UpstreamError &&
                        e.message.includes("tiny v1.0.0 'deploy/crds.yaml'") &&
                        e.message.includes(`downloaded from ${upstream.url}/releases/v1.0.0/crds.yaml`) &&
                        e.message.includes(`expected SHA-256 ${expected}`) &&
                        e.message.includes(`got ${sha256(Buffer.from("something else\n"))}`),
                );
                assert.ok(!fs.existsSync(path.join(cacheDir, "tiny", "v1.0.0", "deploy", "crds.yaml")), "nothing cached");
            } finally {
                upstream.stop();
            }
        });

        it("with no mirror and no network: one error naming the URL and ECHO_EXPOSURE_MIRROR", async () => {
            // A port on loopback that nothing listens on, as an offline machine answers.
            const upstream = await fakeUpstream({});
            const closed = upstream.url;
            upstream.stop();
            await settle();
            const lock = oneFileLock(closed, "x");
            assert.throws(
                () => downloadTiny(tmp("cache"), lock),
                (e: Error) =>
                    e instanceof UpstreamError &&
                    e.message.includes(`cannot download ${closed}/releases/v1.0.0/crds.yaml`) &&
                    e.message.includes(`${MIRROR_ENV} is not set`),
            );
        });

        it("a 404 is the same one error, with the status", async () => {
            const upstream = await fakeUpstream({});
            try {
                const lock = oneFileLock(upstream.url, "x");
                assert.throws(() => downloadTiny(tmp("cache"), lock), /HTTP 404.*ECHO_EXPOSURE_MIRROR/);
            } finally {
                upstream.stop();
            }
        });
    });

    describe("the program", () => {
        it("stops before declaring anything when a mirror file differs from the lock (the CRD bundle, a chart)", async () => {
            const bundle = mirrorWithCopy("gateway-api", "v1.5.1", (dir) => fs.appendFileSync(path.join(dir, "standard-install.yaml"), "\n"));
            const chart = mirrorWithCopy("cert-manager", "v1.21.1", (dir) => fs.appendFileSync(path.join(dir, "chart", "templates", "deployment.yaml"), "\n"));
            const cases: [string, Record<string, unknown>, RegExp][] = [
                [bundle, { exposures: "gateway" }, /gateway-api v1\.5\.1 'standard-install\.yaml'.*expected SHA-256/],
                [
                    chart,
                    {
                        exposures: "ingress",
                        ingress: { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"], secretName: "a-tls" }] },
                        certManager: { issuer: "selfSigned" },
                    },
                    /cert-manager v1\.21\.1 'chart\/templates\/deployment\.yaml'.*expected SHA-256/,
                ],
            ];
            for (const [mirror, config, message] of cases) {
                const { error, registered } = await withEnv({ [MIRROR_ENV]: mirror }, () => runProgramExpectingError(config));
                assert.match(error.message, message);
                assert.strictEqual(registered, 0, "nothing declared");
            }
        });

        it("without a mirror, installs charts from their registries and the CRDs from the verified cache", async () => {
            const cacheRoot = tmp("xdg");
            const cached = path.join(cacheRoot, "echo-exposure", "gateway-api", "v1.5.1", "standard-install.yaml");
            fs.mkdirSync(path.dirname(cached), { recursive: true });
            fs.copyFileSync(resolveFile("gateway-api", "v1.5.1", "standard-install.yaml"), cached);
            const run = await withEnv({ [MIRROR_ENV]: undefined, XDG_CACHE_HOME: cacheRoot }, () =>
                runProgram({
                    exposures: "ingress,gateway",
                    ingress: { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"], secretName: "a-tls" }] },
                    certManager: { issuer: "selfSigned" },
                }),
            );
            assert.strictEqual(run.one("kubernetes:yaml/v2:ConfigFile").inputs.file, cached);
            const charts = run.ofType("kubernetes:helm.sh/v3:Release").map((r) => [r.inputs.chart, r.inputs.repositoryOpts]);
            assert.deepStrictEqual(charts.sort(), [
                ["ingress-nginx", { repo: "https://kubernetes.github.io/ingress-nginx" }],
                ["oci://ghcr.io/nginx/charts/nginx-gateway-fabric", undefined],
                ["oci://quay.io/jetstack/charts/cert-manager", undefined],
            ]);
        });

        it("with a mirror, installs every chart from the mirror's folder by absolute path, with no repository to reach", async () => {
            const run = await runProgram({
                exposures: "ingress,gateway",
                ingress: { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"], secretName: "a-tls" }] },
                certManager: { issuer: "selfSigned" },
            });
            const mirror = realMirror();
            const charts = run.ofType("kubernetes:helm.sh/v3:Release").map((r) => [r.inputs.chart, r.inputs.repositoryOpts]);
            assert.deepStrictEqual(charts.sort(), [
                [path.join(mirror, "cert-manager", "v1.21.1", "chart"), undefined],
                [path.join(mirror, "ingress-nginx", "4.15.1", "chart"), undefined],
                [path.join(mirror, "nginx-gateway-fabric", "2.6.7", "chart"), undefined],
            ]);
        });
    });
});

describe("the repository holds no upstream release file", () => {
    it("no tracked file is a byte copy of a locked upstream file", function () {
        let tracked: string[];
        try {
            tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT }).toString().split("\0").filter(Boolean);
        } catch {
            this.skip(); // not a git checkout (an unpacked archive): nothing to compare
        }
        const locked = new Map(loadLock().artifacts.flatMap((a) => a.files.map((f) => [f.sha256, `${a.name} ${a.version} ${f.path}`] as const)));
        const copies = tracked
            .filter((f) => fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile())
            .filter((f) => locked.has(sha256(fs.readFileSync(path.join(ROOT, f)))))
            .map((f) => `${f} = ${locked.get(sha256(fs.readFileSync(path.join(ROOT, f))))}`);
        assert.deepStrictEqual(copies, []);
    });
});
