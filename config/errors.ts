/**
 * The one error type for bad stack configuration. Its message always names the key (as the user
 * types it in `pulumi config set`), the value that was given, and what is allowed, so that a
 * failing `pulumi preview` tells the user exactly what to change.
 */
export class ConfigError extends Error {
    constructor(
        public readonly key: string,
        public readonly value: unknown,
        public readonly allowed: string,
    ) {
        super(`Invalid config '${key}': got ${describe(value)}; allowed: ${allowed}.`);
        this.name = "ConfigError";
    }
}

/** Renders a bad value the way the user wrote it: strings quoted, objects as JSON. */
export function describe(value: unknown): string {
    if (value === undefined) return "nothing";
    try {
        return JSON.stringify(value);
    } catch {
        return String(value);
    }
}

/**
 * Every problem of a stack config at once, so that one `pulumi preview` says all there is to fix.
 * Each line is one ConfigError's message; `name` stays ConfigError, as the engine prints it.
 */
export class ConfigErrors extends Error {
    constructor(public readonly errors: readonly ConfigError[]) {
        super(`${errors.length} config errors:\n${errors.map((e) => `  - ${e.message}`).join("\n")}`);
        this.name = "ConfigError";
    }
}
