import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Artifact, findArtifact, LockedFile, loadLock, Lock } from "./lock";

/*
 * The one way the program and the tests read an upstream release file: by artifact, version and
 * path as upstream.lock.json records them, verified against the locked SHA-256.
 *
 * - With ECHO_EXPOSURE_MIRROR set (a folder laid out `<name>/<version>/<path>`, as an air-gapped
 *   site keeps it), the file is read there.
 * - Otherwise it is downloaded from its locked URL into a cache ($XDG_CACHE_HOME/echo-exposure,
 *   else ~/.cache/echo-exposure) and reused from there next time.
 *
 * It is synchronous on purpose: the program resolves everything it needs while reading its
 * settings, before it declares any resource, so a bad file or no network stops `pulumi preview`
 * with nothing touched. The download runs in a child `node` (global fetch) for that reason.
 * The program never guesses a mirror (no ../shared or the like): only the variable names one.
 */

export const MIRROR_ENV = "ECHO_EXPOSURE_MIRROR";

/** A locked file that could not be had or did not match its lock. Thrown before anything is declared. */
export class UpstreamError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UpstreamError";
    }
}

export interface ResolverOptions {
    /** A mirror folder; default: $ECHO_EXPOSURE_MIRROR. */
    mirror?: string;
    /** The download cache; default: $XDG_CACHE_HOME/echo-exposure, else ~/.cache/echo-exposure. */
    cacheDir?: string;
    /** How long one download may take (ms). */
    timeoutMs?: number;
    lock?: Lock;
}

/** The resolver's settings as the environment gives them. */
export function fromEnvironment(env: NodeJS.ProcessEnv = process.env): { mirror?: string; cacheDir: string } {
    const mirror = env[MIRROR_ENV] ? path.resolve(env[MIRROR_ENV]!) : undefined;
    const cacheRoot = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return { mirror, cacheDir: path.join(cacheRoot, "echo-exposure") };
}

function options(o: ResolverOptions): Required<Omit<ResolverOptions, "mirror">> & { mirror?: string } {
    const env = fromEnvironment();
    return {
        mirror: "mirror" in o ? o.mirror : env.mirror,
        cacheDir: o.cacheDir ?? env.cacheDir,
        timeoutMs: o.timeoutMs ?? 120_000,
        lock: o.lock ?? loadLock(),
    };
}

function locked(name: string, version: string, lock: Lock): Artifact {
    const artifact = findArtifact(name, version, lock);
    if (!artifact) {
        const known = lock.artifacts.map((a) => `${a.name} ${a.version}`).join(", ");
        throw new UpstreamError(`upstream artifact ${name} ${version} is not in upstream.lock.json (it holds: ${known})`);
    }
    return artifact;
}

function lockedFile(artifact: Artifact, file: string): LockedFile {
    const entry = artifact.files.find((f) => f.path === file);
    if (!entry) throw new UpstreamError(`upstream.lock.json has no file '${file}' for ${artifact.name} ${artifact.version}`);
    return entry;
}

export function sha256(body: Buffer): string {
    return createHash("sha256").update(body).digest("hex");
}

function mismatch(artifact: Artifact, entry: LockedFile, where: string, actual: string): UpstreamError {
    return new UpstreamError(
        `upstream file ${artifact.name} ${artifact.version} '${entry.path}' (${where}) does not match upstream.lock.json: ` +
            `expected SHA-256 ${entry.sha256}, got ${actual}. Refusing to use it.`,
    );
}

/** Files verified in this process, by path, size and mtime: the program runs many times in the tests. */
const verified = new Map<string, string>();

function verifyOnDisk(artifact: Artifact, entry: LockedFile, file: string, where: string): void {
    const stat = fs.statSync(file);
    const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
    if (verified.get(key) === entry.sha256) return;
    const actual = sha256(fs.readFileSync(file));
    if (actual !== entry.sha256) throw mismatch(artifact, entry, where, actual);
    verified.set(key, entry.sha256);
}

/**
 * The absolute path of a verified copy of one locked file: in the mirror, or in the cache after a
 * download. Throws UpstreamError on a mismatch, a file the mirror lacks, or no mirror and no network.
 */
export function resolveFile(name: string, version: string, file: string, o: ResolverOptions = {}): string {
    const opts = options(o);
    const artifact = locked(name, version, opts.lock);
    const entry = lockedFile(artifact, file);
    if (opts.mirror) {
        const inMirror = path.join(opts.mirror, name, version, file);
        if (!fs.existsSync(inMirror)) {
            throw new UpstreamError(`upstream file ${name} ${version} '${file}' is not in the mirror ${MIRROR_ENV}=${opts.mirror} (looked for ${inMirror})`);
        }
        verifyOnDisk(artifact, entry, inMirror, `${MIRROR_ENV}=${opts.mirror}`);
        return inMirror;
    }
    const cached = path.join(opts.cacheDir, name, version, file);
    if (fs.existsSync(cached)) {
        try {
            verifyOnDisk(artifact, entry, cached, `cache ${opts.cacheDir}`);
            return cached;
        } catch {
            // A damaged cache entry is not the user's problem: fetch it again and verify that.
            fs.rmSync(cached, { force: true });
        }
    }
    if (entry.url === null) {
        throw new UpstreamError(
            `upstream file ${name} ${version} '${file}' is written by the upstream release process and has no download URL: set ${MIRROR_ENV} to a mirror that holds it`,
        );
    }
    const body = download(entry.url, opts.timeoutMs);
    const actual = sha256(body);
    if (actual !== entry.sha256) throw mismatch(artifact, entry, `downloaded from ${entry.url}`, actual);
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    fs.writeFileSync(partial, body);
    fs.renameSync(partial, cached);
    return cached;
}

/** The text of a verified locked file. */
export function readUpstream(name: string, version: string, file: string, o: ResolverOptions = {}): string {
    return fs.readFileSync(resolveFile(name, version, file, o), "utf8");
}

/**
 * With a mirror: the absolute path of the artifact's chart folder, after verifying every locked file
 * in it and refusing any file the lock does not list (Helm would render an added template). Without
 * a mirror: undefined, and the chart comes from its registry.
 */
export function resolveChartFolder(name: string, version: string, o: ResolverOptions = {}): string | undefined {
    const opts = options(o);
    if (!opts.mirror) return undefined;
    const artifact = locked(name, version, opts.lock);
    if (!artifact.chart) throw new UpstreamError(`upstream artifact ${name} ${version} is not a chart`);
    const prefix = `${artifact.chart.folder}/`;
    const folder = path.join(opts.mirror, name, version, artifact.chart.folder);
    const listed = new Set(artifact.files.filter((f) => f.path.startsWith(prefix)).map((f) => f.path));
    if (!fs.existsSync(folder)) {
        throw new UpstreamError(`upstream chart ${name} ${version} is not in the mirror ${MIRROR_ENV}=${opts.mirror} (looked for ${folder})`);
    }
    for (const file of filesUnder(folder)) {
        const relative = `${prefix}${path.relative(folder, file).split(path.sep).join("/")}`;
        if (!listed.has(relative)) {
            throw new UpstreamError(
                `upstream chart ${name} ${version} in the mirror ${MIRROR_ENV}=${opts.mirror} has a file upstream.lock.json does not list: '${relative}'. Refusing to install it.`,
            );
        }
    }
    for (const file of listed) resolveFile(name, version, file, opts);
    return folder;
}

function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? filesUnder(full) : [full];
    });
}

/** Downloads a URL synchronously, in a child node process (so the caller declares nothing meanwhile). */
function download(url: string, timeoutMs: number): Buffer {
    const script =
        "fetch(process.argv[1], { signal: AbortSignal.timeout(Number(process.argv[2])) })" +
        ".then(async (r) => { if (!r.ok) { process.stderr.write('HTTP ' + r.status); process.exit(2); }" +
        " process.stdout.write(Buffer.from(await r.arrayBuffer())); })" +
        ".catch((e) => { process.stderr.write(String((e && e.cause) || e)); process.exit(3); });";
    try {
        return execFileSync(process.execPath, ["-e", script, url, String(timeoutMs)], {
            maxBuffer: 256 * 1024 * 1024,
            stdio: ["ignore", "pipe", "pipe"],
            timeout: timeoutMs + 5000,
        });
    } catch (e) {
        const reason = String((e as { stderr?: Buffer }).stderr ?? "").trim() || String(e);
        throw new UpstreamError(
            `cannot download ${url} (${reason}), and ${MIRROR_ENV} is not set. ` +
                `Allow access to that URL, or set ${MIRROR_ENV} to a mirror folder laid out <name>/<version>/<path> (README "Upstream files and air-gapped installs").`,
        );
    }
}
