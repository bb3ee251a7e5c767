import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config/errors";

/**
 * Reads one key of the project's config namespace as the user wrote it. Pulumi hands structured
 * values (YAML lists and maps in Pulumi.<stack>.yaml) to the program as JSON text, and scalars as
 * strings; this turns the former back into values so the validators see one shape either way.
 * `structured`: the key may hold a list or an object. Only then is its text read as JSON: a
 * scalar key's text that starts with '[' or '{' ('{"status":"ok"}', '[beta] build 7', an image on
 * an [IPv6] registry) is the value itself.
 */
export function readRaw(config: pulumi.Config, key: string, structured = true): unknown {
    const text = config.get(key);
    if (text === undefined) return undefined;
    if (!structured) return text;
    const trimmed = text.trim();
    // A bracketed IPv6 address ([fd00::2]) is a scalar, not a broken JSON list.
    if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && !/^\[[0-9A-Fa-f:.]+\]$/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            throw new ConfigError(key, text, "valid JSON (or a YAML list/map in the stack file)");
        }
    }
    return text;
}

/** The keys set in the project's config namespace (`<project>:<key>`), without the prefix. */
export function projectKeys(config: pulumi.Config): string[] {
    const prefix = `${config.name}:`;
    return Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length));
}
