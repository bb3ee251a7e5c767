import * as assert from "assert";
import { runProgramExpectingError, StackConfig } from "./program";

/** A config the program must refuse: the key the error names, the value, and what is allowed. */
export interface BadCase {
    why: string;
    config: StackConfig;
    key: string;
    value: string;
    allowed: RegExp;
}

/** One case: the program fails with a ConfigError naming the key, the value and what is allowed, and registers nothing. */
export function itRejects(c: BadCase): void {
    it(`rejects ${c.why}, naming the key, the value and what is allowed, with nothing registered`, async () => {
        const { error, registered } = await runProgramExpectingError(c.config);
        assert.strictEqual(error.name, "ConfigError", error.stack);
        assert.ok(error.message.includes(`'${c.key}'`), `names the key ${c.key}: ${error.message}`);
        assert.ok(error.message.includes(c.value), `names the value ${c.value}: ${error.message}`);
        assert.match(error.message, c.allowed, `says what is allowed: ${error.message}`);
        assert.strictEqual(registered, 0, "no resource may be registered");
    });
}
