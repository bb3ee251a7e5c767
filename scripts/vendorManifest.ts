import * as fs from "fs";
import * as path from "path";

/** Where the vendored upstream artifacts live, and the list of them with their sources. */
export const VENDOR = path.join(__dirname, "..", "vendor");
export const MANIFEST = path.join(VENDOR, "manifest.json");

export interface VendoredFile {
    /** Relative to vendor/. */
    path: string;
    /** Where `npm run vendor:refresh` downloads it from: a release asset or the file at the release tag. */
    url: string;
    sha256: string;
}

export interface Manifest {
    files: VendoredFile[];
}

export function loadManifest(): Manifest {
    return JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as Manifest;
}
