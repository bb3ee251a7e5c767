import { z } from "zod";
import { ConfigError } from "./errors";
import { didYouMean, isPlainObject } from "./validate";

/*
 * The few building blocks stacks/schema.ts declares every config key with. A key is declared once:
 * its type (as JSON Schema, for editors), its default, its one-line description, and the check
 * that reads it, which is one of the validators in validate.ts / kubernetesValues.ts, so the
 * error's "allowed" text is the same wherever the value is refused. zod walks the tree, collects
 * every problem in one pass and gives each its path; errorsOf() turns them into ConfigErrors.
 */

/** A JSON Schema fragment (draft 2020-12) describing what a key accepts, for config.schema.json. */
export type JsonSchema = Record<string, unknown>;

/** What every declared key carries besides its check. */
export interface KeyMeta {
    description: string;
    /** What a wrong value is told (lists; a key's check says it itself). */
    allowed?: string;
    /** The JSON Schema of the values the key takes in Pulumi.<stack>.yaml. */
    json: JsonSchema;
    /** The value used when the key is not set (also in config.schema.json and docs/configuration.md). */
    default?: unknown;
    /** How the default is described where it is not one value ("allocated by the cluster"). */
    defaultText?: string;
    /** An old place of a key that keeps working (with a warning): editors strike it through. */
    deprecated?: boolean;
    /** Where a deprecated key lives now, offered instead of it in a did-you-mean. */
    movedTo?: string;
    /** A key an object must have (JSON Schema `required`). */
    required?: boolean;
}

/** A validator as validate.ts writes them: takes the key (for its error) and the raw value. */
export type Check<T> = (key: string, raw: unknown) => T;

/** Stands for the key in a validator's ConfigError; errorsOf() puts the issue's real path there. */
const HERE = "\u0000";

/** Pulumi hands top-level scalars over as strings: a number or boolean may be written either way. */
export const JSON_TYPES = {
    integer: (minimum: number, maximum: number): JsonSchema => ({
        anyOf: [
            { type: "integer", minimum, maximum },
            { type: "string", pattern: "^[0-9]+$" },
        ],
    }),
    boolean: { anyOf: [{ type: "boolean" }, { enum: ["true", "false"] }] } as JsonSchema,
    string: { type: "string", minLength: 1 } as JsonSchema,
    stringMap: { type: "object", additionalProperties: { type: "string" } } as JsonSchema,
    oneOf: (values: readonly string[]): JsonSchema => ({ enum: [...values] }),
};

function issueFrom(ctx: z.core.ParsePayload<unknown> | { issues: unknown[] }, e: ConfigError, raw: unknown): void {
    (ctx as { issues: unknown[] }).issues.push({
        code: "custom",
        message: e.allowed,
        input: raw,
        path: [],
        params: { suffix: e.key.startsWith(HERE) ? e.key.slice(HERE.length) : "", value: e.value },
    });
}

/** The check's value, or (for a ConfigError) an issue saying what is allowed, and zod's NEVER. */
function checked<T>(ctx: z.core.ParsePayload<unknown> | { issues: unknown[] }, check: Check<T>, raw: unknown): T {
    try {
        return check(HERE, raw);
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        issueFrom(ctx, e, raw);
        return z.NEVER;
    }
}

/**
 * One key: `check` reads the value (and throws the ConfigError that says what is allowed); an unset
 * key takes `meta.default`, or stays undefined when it has none and is not required.
 */
export function key<T>(check: Check<T>, meta: KeyMeta & { default: T }): z.ZodType<T, unknown>;
export function key<T>(check: Check<T>, meta: KeyMeta & { required: true }): z.ZodType<T, unknown>;
export function key<T>(check: Check<T>, meta: KeyMeta): z.ZodType<T | undefined, unknown>;
export function key<T>(check: Check<T>, meta: KeyMeta): z.ZodType<T | undefined, unknown> {
    return z
        .any()
        .transform((raw, ctx) => {
            if (raw === undefined && !meta.required) return meta.default as T | undefined;
            return checked(ctx, check, raw);
        })
        .meta({ ...meta }) as z.ZodType<T | undefined, unknown>;
}

/** Objects: `section` keys are declared in `shape`; any other key is refused, with a did-you-mean. */
export interface SectionMeta {
    description: string;
    /** Absent means "not configured" (undefined), not "every default" ({}). */
    optional?: boolean;
    required?: boolean;
    deprecated?: boolean;
}

export function section<S extends z.core.$ZodLooseShape>(
    shape: S,
    meta: SectionMeta & { optional: true },
): z.ZodType<z.output<z.ZodObject<S>> | undefined, unknown>;
export function section<S extends z.core.$ZodLooseShape>(shape: S, meta: SectionMeta): z.ZodType<z.output<z.ZodObject<S>>, unknown>;
export function section<S extends z.core.$ZodLooseShape>(shape: S, meta: SectionMeta): z.ZodType<unknown, unknown> {
    const keys = Object.keys(shape);
    // Deprecated keys are still read, but not offered: the docs and the errors show only the new place.
    const metaAt = (k: string) => z.globalRegistry.get(shape[k] as z.ZodType) as KeyMeta | undefined;
    const offered = keys.filter((k) => !metaAt(k)?.deprecated);
    const moved = Object.fromEntries(keys.flatMap((k) => (metaAt(k)?.movedTo ? [[k, metaAt(k)!.movedTo!]] : [])));
    const allowed = `an object with any of the keys ${offered.join(", ")}`;
    const object = z.looseObject(shape);
    return z
        .any()
        .transform((raw, ctx) => {
            if (raw === undefined && meta.optional) return undefined;
            const o = raw === undefined && !meta.required ? {} : raw;
            if (!isPlainObject(o)) {
                issueFrom(ctx, new ConfigError(HERE, raw, allowed), raw);
                return z.NEVER;
            }
            const issues = ctx.issues as unknown[];
            for (const k of Object.keys(o)) {
                if (!keys.includes(k))
                    issues.push({ code: "custom", path: [k], message: "", input: o[k], params: { unknownKey: k, known: offered, moved, value: o[k] } });
            }
            // Every declared key present (undefined when unset), so each one's default applies.
            const r = object.safeParse({ ...Object.fromEntries(keys.map((k) => [k, undefined])), ...o });
            if (!r.success) issues.push(...r.error.issues);
            if (!r.success || issues.length > 0) return z.NEVER;
            return Object.fromEntries(keys.map((k) => [k, (r.data as Record<string, unknown>)[k]]));
        })
        .meta({ ...meta, shape });
}

/** A list whose items are each declared by `item`; `allowed` is what a value that is no list is told. */
export function list<T>(item: z.ZodType<T, unknown>, meta: KeyMeta & { allowed: string; default: T[] }): z.ZodType<T[], unknown>;
export function list<T>(item: z.ZodType<T, unknown>, meta: KeyMeta & { allowed: string }): z.ZodType<T[] | undefined, unknown>;
export function list<T>(item: z.ZodType<T, unknown>, meta: KeyMeta & { allowed: string }): z.ZodType<T[] | undefined, unknown> {
    return z
        .any()
        .transform((raw, ctx) => {
            if (raw === undefined && !meta.required) return meta.default as T[] | undefined;
            if (!Array.isArray(raw)) {
                issueFrom(ctx, new ConfigError(HERE, raw, meta.allowed), raw);
                return z.NEVER;
            }
            const r = z.array(item).safeParse(raw);
            if (r.success) return r.data;
            (ctx.issues as unknown[]).push(...r.error.issues);
            return z.NEVER;
        })
        .meta({ ...meta, item }) as z.ZodType<T[] | undefined, unknown>;
}

/** One of several shapes (a host name, or a `{ host, path }` object): the first whose test the value passes. */
export function either<T>(
    branches: { when: (raw: unknown) => boolean; then: z.ZodType<unknown, unknown> }[],
    otherwise: Check<never>,
    meta: KeyMeta,
): z.ZodType<T, unknown> {
    return z
        .any()
        .transform((raw, ctx) => {
            const branch = branches.find((b) => b.when(raw));
            if (branch) {
                const r = branch.then.safeParse(raw);
                if (r.success) return r.data;
                (ctx.issues as unknown[]).push(...r.error.issues);
                return z.NEVER;
            }
            return checked(ctx, otherwise, raw);
        })
        .meta({ ...meta, either: branches.map((b) => b.then) }) as z.ZodType<T, unknown>;
}

/** `a.b[0].c`, as the user types the key in errors and docs. */
export function keyOf(path: readonly PropertyKey[]): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** The schema's issues as ConfigErrors, each naming the key, the value and what is allowed. */
export function errorsOf(issues: readonly z.core.$ZodIssue[], input: unknown, rootName: string): ConfigError[] {
    return issues.map((issue) => {
        const params =
            (issue as { params?: { suffix?: string; value?: unknown; unknownKey?: string; known?: string[]; moved?: Record<string, string> } }).params ?? {};
        const at = keyOf(issue.path);
        if (params.unknownKey !== undefined) {
            const parent = keyOf(issue.path.slice(0, -1)) || rootName;
            return new ConfigError(
                at,
                params.value,
                `no such key${suggestion(params.unknownKey, params.known ?? [], params.moved ?? {})}; ${parent} takes ${(params.known ?? []).join(", ")}`,
            );
        }
        const value = "value" in params ? params.value : valueAt(input, issue.path);
        return new ConfigError(`${at}${params.suffix ?? ""}`, value, issue.message);
    });
}

/** The did-you-mean for an unknown key: a known key, or the new place of a deprecated one. */
function suggestion(unknown: string, known: string[], moved: Record<string, string>): string {
    const hint = didYouMean(unknown, [...known, ...Object.keys(moved)]);
    const to = Object.entries(moved).find(([k]) => hint === ` (did you mean '${k}'?)`);
    return to ? ` (did you mean '${to[1]}'?)` : hint;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
    let here: unknown = input;
    for (const p of path) here = isPlainObject(here) || Array.isArray(here) ? (here as Record<PropertyKey, unknown>)[p] : undefined;
    return here;
}

/** What a declared schema node carries (the metadata key(), section(), list() and either() attach). */
interface NodeMeta extends Partial<KeyMeta> {
    /** Written once under config.schema.json's $defs by this name, and referenced where it appears. */
    shared?: string;
    shape?: Record<string, z.ZodType>;
    item?: z.ZodType;
    either?: z.ZodType[];
    optional?: boolean;
}

/**
 * Whether a key may hold a list or an object: a section, a list, or a key whose JSON Schema allows
 * an array or an object. Only such a key's text is read as JSON (a scalar may start with '[' or '{').
 */
export function takesStructure(schema: z.ZodType): boolean {
    const m = metaOf(schema);
    if (m.shape || m.item) return true;
    const types = (j: Record<string, unknown> | undefined): unknown[] =>
        j ? [j.type, ...((j.anyOf ?? j.oneOf ?? []) as Record<string, unknown>[]).flatMap((x) => types(x))] : [];
    return types(m.json).some((t) => t === "array" || t === "object") || (m.either ?? []).some(takesStructure);
}

/** Marks a declared node as shared: config.schema.json writes it once, under $defs[name], and refers to it. */
export function shared<T extends z.ZodType>(schema: T, name: string): T {
    const meta = metaOf(schema);
    z.globalRegistry.remove(schema);
    z.globalRegistry.add(schema, { ...meta, shared: name });
    return schema;
}

export function metaOf(schema: z.ZodType): NodeMeta {
    const m = z.globalRegistry.get(schema) as NodeMeta | undefined;
    if (!m) throw new Error("schemaKit: a schema node not declared with key(), section(), list() or either()");
    return m;
}

/**
 * The JSON Schema of a declared node: what config.schema.json says of the key. `leaf` may widen
 * what a single value (not an object or a list) may be, inside the node (a secret, for one).
 */
export function jsonSchemaOf(schema: z.ZodType, leaf: (json: JsonSchema) => JsonSchema = (j) => j, defs?: Record<string, JsonSchema>): JsonSchema {
    const inner = (s: z.ZodType) => {
        const json = jsonSchemaOf(s, leaf, defs);
        const name = metaOf(s).shared;
        if (!defs || !name) return metaOf(s).shape || metaOf(s).item ? json : leaf(json);
        // A shared node: its body once under $defs (the same wherever it appears but for its
        // description), and here a reference with this place's description.
        const { description, ...rest } = json;
        const body = metaOf(s).shape || metaOf(s).item ? rest : leaf(rest);
        if (defs[name] && JSON.stringify(defs[name]) !== JSON.stringify(body)) throw new Error(`schemaKit: shared node ${name} differs between its places`);
        defs[name] = body;
        return { description, $ref: `#/$defs/${name}` };
    };
    const m = metaOf(schema);
    const common: JsonSchema = { description: m.description, ...(m.deprecated ? { deprecated: true } : {}) };
    if (m.shape) {
        const entries = Object.entries(m.shape);
        const required = entries.filter(([, s]) => metaOf(s).required).map(([k]) => k);
        return {
            type: "object",
            ...common,
            properties: Object.fromEntries(entries.map(([k, s]) => [k, inner(s)])),
            ...(required.length > 0 ? { required } : {}),
            additionalProperties: false,
        };
    }
    if (m.item) return { ...m.json, ...common, items: inner(m.item), ...(m.default !== undefined ? { default: m.default } : {}) };
    // Shapes no branch declares (plain strings an `otherwise` check takes) are in the node's own json.anyOf.
    if (m.either) return { ...common, anyOf: [...((m.json?.anyOf as JsonSchema[] | undefined) ?? []), ...m.either.map((s) => jsonSchemaOf(s, leaf, defs))] };
    return { ...m.json, ...common, ...(m.default !== undefined ? { default: m.default } : {}) };
}

/** One documented key: its dotted name and what it was declared with. */
export interface DeclaredKey {
    key: string;
    meta: NodeMeta;
}

/** Every declared key, depth first (a section, then its keys), as docs/configuration.md lists them. */
export function declaredKeys(shape: Record<string, z.ZodType>, prefix = ""): DeclaredKey[] {
    return Object.entries(shape).flatMap(([k, s]) => {
        const meta = metaOf(s);
        const name = prefix ? `${prefix}.${k}` : k;
        return [{ key: name, meta }, ...(meta.shape ? declaredKeys(meta.shape, name) : [])];
    });
}
