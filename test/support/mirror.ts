import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MIRROR_ENV } from "../../upstream/resolver";

/*
 * Loaded by mocha before any test (.mocharc.json "require"). The tests read upstream release
 * files through the resolver, like the program; on this project's machines there is no network,
 * but the mirror ../shared/upstream sits beside the checkout (or beside the checkout a clone was
 * made from, when CI clones it elsewhere). Point the resolver at it when it exists and nobody
 * chose a mirror. The program itself never looks for ../shared.
 */
const ROOT = path.resolve(__dirname, "..", "..");

/** The checkout this one was cloned from, when that is a local folder (CI's clean clone). */
function origin(): string | undefined {
    try {
        const url = execFileSync("git", ["-C", ROOT, "config", "--get", "remote.origin.url"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
        return url && path.isAbsolute(url) ? url : undefined;
    } catch {
        return undefined;
    }
}

export function sharedMirror(): string | undefined {
    const checkouts = [ROOT, origin()].filter((c): c is string => c !== undefined);
    return checkouts.map((c) => path.resolve(c, "..", "shared", "upstream")).find((m) => fs.existsSync(m));
}

if (!process.env[MIRROR_ENV]) {
    const found = sharedMirror();
    if (found) process.env[MIRROR_ENV] = found;
}
