import * as fs from "fs";
import * as path from "path";

/*
 * The project's lock of upstream release files (upstream.lock.json at the repository root): for
 * each artifact the program installs or the tests check against, its name, version, source,
 * licence, and the path, URL and SHA-256 of every file that is read. The files themselves are not
 * in the repository; the resolver (./resolver.ts) reads them from a mirror or a verified download.
 */

export const LOCK_FILE = path.join(__dirname, "..", "upstream.lock.json");

export interface LockedFile {
    /** Relative to the artifact's folder, `<name>/<version>/`, in a mirror and in the cache. */
    path: string;
    sha256: string;
    /** Where the file is published; null when only the release process writes it (a mirror has it). */
    url: string | null;
}

export interface LockedChart {
    /** The artifact's sub-folder that is the chart (`helm install <name> <folder>` takes it). */
    folder: string;
    /** Where Helm pulls it from without a mirror: a chart repository URL or an `oci://` registry. */
    repository: string;
    /** The chart's name in that repository. */
    name: string;
    /** The chart version Helm asks the repository for. */
    version: string;
}

export interface Artifact {
    name: string;
    version: string;
    /** SPDX identifier of the artifact's licence (its LICENSE is one of the locked files). */
    license: string;
    source: { repository: string; tag: string; commit: string };
    chart?: LockedChart;
    files: LockedFile[];
}

export interface Lock {
    artifacts: Artifact[];
}

let cached: Lock | undefined;

export function loadLock(): Lock {
    cached ??= JSON.parse(fs.readFileSync(LOCK_FILE, "utf8")) as Lock;
    return cached;
}

/** The locked artifact, or undefined when that name and version are not in the lock. */
export function findArtifact(name: string, version: string, lock: Lock = loadLock()): Artifact | undefined {
    return lock.artifacts.find((a) => a.name === name && a.version === version);
}

/** The versions of an artifact the lock holds: the only ones the program can install or check. */
export function lockedVersions(name: string, lock: Lock = loadLock()): string[] {
    return lock.artifacts.filter((a) => a.name === name).map((a) => a.version);
}

/** Where Helm pulls a locked chart from without a mirror: `oci://…/<name>`, or a repository and a name. */
export function registryChart(chart: LockedChart): { chart: string; repo?: string } {
    return chart.repository.startsWith("oci://") ? { chart: `${chart.repository}/${chart.name}` } : { chart: chart.name, repo: chart.repository };
}
