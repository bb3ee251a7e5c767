/** Parses a value only when the user set it; undefined (and a YAML null) mean "use the default". */
export function optional<T>(raw: unknown, parse: (x: unknown) => T): T | undefined {
    return raw === undefined || raw === null ? undefined : parse(raw);
}
