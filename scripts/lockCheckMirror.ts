/*
 * Usage: npm run lock:check-mirror [-- <mirror folder>]   (default: $ECHO_EXPOSURE_MIRROR)
 *
 * Checks an air-gapped mirror against upstream.lock.json before anyone points a stack at it:
 * every locked file present with its locked SHA-256, and no file in a chart folder that the lock
 * does not list (Helm would render it). One line per artifact, exit 1 on any problem. It runs the
 * same resolver the program runs, so a mirror this passes is one `pulumi up` accepts.
 */
import * as path from "path";
import { loadLock } from "../upstream/lock";
import { MIRROR_ENV, resolveChartFolder, resolveFile, UpstreamError } from "../upstream/resolver";

function main(): number {
    const mirror = process.argv[2] ?? process.env[MIRROR_ENV];
    if (!mirror) {
        console.error(`usage: npm run lock:check-mirror -- <mirror folder> (or set ${MIRROR_ENV})`);
        return 2;
    }
    const root = path.resolve(mirror);
    let problems = 0;
    for (const artifact of loadLock().artifacts) {
        const errors: string[] = [];
        for (const file of artifact.files) {
            try {
                resolveFile(artifact.name, artifact.version, file.path, { mirror: root });
            } catch (e) {
                if (!(e instanceof UpstreamError)) throw e;
                errors.push(e.message);
            }
        }
        if (artifact.chart && errors.length === 0) {
            try {
                resolveChartFolder(artifact.name, artifact.version, { mirror: root });
            } catch (e) {
                if (!(e instanceof UpstreamError)) throw e;
                errors.push(e.message);
            }
        }
        problems += errors.length;
        console.log(`${errors.length === 0 ? "ok  " : "FAIL"} ${artifact.name} ${artifact.version}: ${artifact.files.length} files`);
        for (const e of errors) console.log(`     ${e}`);
    }
    console.log(problems === 0 ? `${root} holds every locked file, unchanged` : `${problems} problems in ${root}`);
    return problems === 0 ? 0 : 1;
}

process.exit(main());
