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
