import { findArtifact } from "../../upstream/lock";
import { resolveFile } from "../../upstream/resolver";

/*
 * How the tests read upstream release files: through the program's own resolver (a mirror, or a
 * verified download), by artifact, version and the path upstream.lock.json records.
 */

/** The verified local path of one locked file. */
export function upstreamFile(name: string, version: string, file: string): string {
    return resolveFile(name, version, file);
}

/** The verified local paths of every locked file of an artifact under `prefix` (e.g. "chart/templates/"). */
export function upstreamFiles(name: string, version: string, prefix: string): string[] {
    const artifact = findArtifact(name, version);
    if (!artifact) throw new Error(`${name} ${version} is not in upstream.lock.json`);
    return artifact.files.filter((f) => f.path.startsWith(prefix)).map((f) => resolveFile(name, version, f.path));
}
