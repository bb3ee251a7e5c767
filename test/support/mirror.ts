import * as fs from "fs";
import * as path from "path";
import { MIRROR_ENV } from "../../upstream/resolver";

/*
 * Loaded by mocha before any test (.mocharc.json "require"). The tests read upstream release
 * files through the resolver, like the program; on this project's machines there is no network,
 * but the mirror ../shared/upstream sits beside the checkout. Point the resolver at it when it
 * exists and nobody chose a mirror. The program itself never looks for ../shared.
 */
const shared = path.resolve(__dirname, "..", "..", "..", "shared", "upstream");
if (!process.env[MIRROR_ENV] && fs.existsSync(shared)) process.env[MIRROR_ENV] = shared;
