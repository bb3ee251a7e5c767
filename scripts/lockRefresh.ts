/*
 * Usage: npm run lock:refresh [-- --write] [-- --artifact <name>]
 * Needs network access to the upstream URLs (GitHub). The tests never run it.
 *
 * Downloads every file of upstream.lock.json that has a URL and prints its SHA-256 beside the
 * locked one: `same`, `DIFF` (the upstream file changed, or the lock entry is new), or `FAIL` (no
 * download). Without --write it only reports, exiting 1 on any DIFF or FAIL; with --write it
 * records the new SHA-256s in the lock. Nothing is saved but the lock: the files stay upstream.
 *
 * To move a pin: add the new version's artifact to the lock (its files' paths and URLs at the new
 * tag), run this with --write, then `npm test` shows what the new artifacts break. Files whose URL
 * is null are written by the upstream release process; take their SHA-256 from a mirror made from
 * the release (`npm run lock:check-mirror` prints what it finds).
 */
import * as fs from "fs";
import { LOCK_FILE, loadLock } from "../upstream/lock";
import { sha256 } from "../upstream/resolver";

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const write = args.includes("--write");
    const only = args.includes("--artifact") ? args[args.indexOf("--artifact") + 1] : undefined;
    const lock = loadLock();
    let same = 0;
    let changed = 0;
    let failed = 0;
    for (const artifact of lock.artifacts.filter((a) => only === undefined || a.name === only)) {
        for (const file of artifact.files) {
            const label = `${artifact.name} ${artifact.version} ${file.path}`;
            if (file.url === null) {
                console.log(`skip ${label}: no URL (release-generated)`);
                continue;
            }
            let body: Buffer;
            try {
                const response = await fetch(file.url, { signal: AbortSignal.timeout(60_000) });
                if (!response.ok) throw new Error(`HTTP ${response.status}`);
                body = Buffer.from(await response.arrayBuffer());
            } catch (e) {
                console.log(`FAIL ${label}: ${file.url}: ${String((e as { cause?: unknown }).cause ?? e)}`);
                failed++;
                continue;
            }
            const actual = sha256(body);
            if (actual === file.sha256) {
                same++;
                console.log(`same ${label} ${actual}`);
            } else {
                changed++;
                console.log(`DIFF ${label} ${file.sha256} -> ${actual}`);
                if (write) file.sha256 = actual;
            }
        }
    }
    if (write && changed > 0) fs.writeFileSync(LOCK_FILE, JSON.stringify(lock, null, 2) + "\n");
    console.log(`${same} same, ${changed} different${write && changed > 0 ? " (written to upstream.lock.json)" : ""}, ${failed} not downloaded`);
    process.exit(failed > 0 || (changed > 0 && !write) ? 1 : 0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
