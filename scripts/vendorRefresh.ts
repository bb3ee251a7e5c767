/*
 * Usage: npm run vendor:refresh [-- --write]
 * Needs network access (GitHub). Tests never run it: they only check the vendored files against
 * the SHA-256 recorded in vendor/manifest.json.
 *
 * Each vendored file is a release artifact of a pinned upstream version (the Gateway API CRD
 * bundle, chart values, schemas, the charts' hook templates), listed in vendor/manifest.json with
 * the URL it comes from. This downloads each one and compares it with the vendored copy:
 * - without --write it only reports (exit 1 when anything differs or cannot be downloaded);
 * - with --write it replaces the vendored copy and records the new SHA-256.
 * Run it after changing a pin: add the new version's entries to the manifest (same paths with the
 * new version), run with --write, then `npm test` shows what the new artifacts break.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { loadManifest, MANIFEST, VENDOR } from "./vendorManifest";

async function main(): Promise<void> {
    const write = process.argv.includes("--write");
    const manifest = loadManifest();
    let differences = 0;
    for (const entry of manifest.files) {
        const local = path.join(VENDOR, entry.path);
        let body: Buffer;
        try {
            const response = await fetch(entry.url, { signal: AbortSignal.timeout(30000) });
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            body = Buffer.from(await response.arrayBuffer());
        } catch (e) {
            console.log(`FAIL ${entry.path}: ${entry.url}: ${String(e)}`);
            differences++;
            continue;
        }
        const sha256 = createHash("sha256").update(body).digest("hex");
        const same = sha256 === entry.sha256 && fs.existsSync(local) && fs.readFileSync(local).equals(body);
        console.log(`${same ? "same" : "DIFF"} ${entry.path} ${sha256}`);
        if (!same) {
            differences++;
            if (write) {
                fs.mkdirSync(path.dirname(local), { recursive: true });
                fs.writeFileSync(local, body);
                entry.sha256 = sha256;
            }
        }
    }
    if (write) fs.writeFileSync(MANIFEST, JSON.stringify(manifest, null, 4) + "\n");
    console.log(`${manifest.files.length - differences} same, ${differences} different${write ? " (written)" : ""}`);
    process.exit(differences > 0 && !write ? 1 : 0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
