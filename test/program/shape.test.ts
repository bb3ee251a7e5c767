import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../support/program";

/*
 * The program's shape: components declare their own args and import nothing from stacks/ (which
 * reads config and maps it into them), and only stacks/ reads pulumi.Config.
 */
describe("program shape", () => {
    const dir = (d: string) =>
        fs
            .readdirSync(path.join(ROOT, d))
            .filter((f) => f.endsWith(".ts"))
            .map((f) => ({ file: `${d}/${f}`, text: fs.readFileSync(path.join(ROOT, d, f), "utf8") }));

    it("components/ import nothing from stacks/", () => {
        assert.deepStrictEqual(
            dir("components")
                .filter((f) => /from "\.\.\/stacks\//.test(f.text))
                .map((f) => f.file),
            [],
        );
    });

    it("only stacks/ reads pulumi.Config", () => {
        const readers = [...dir("components"), { file: "index.ts", text: fs.readFileSync(path.join(ROOT, "index.ts"), "utf8") }].filter((f) =>
            /new pulumi\.Config\(/.test(f.text),
        );
        assert.deepStrictEqual(
            readers.map((f) => f.file),
            [],
        );
    });
});
