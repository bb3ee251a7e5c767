/**
 * Offline validation of Kubernetes objects against the CustomResourceDefinitions that define them,
 * replicating what kube-apiserver (apiextensions-apiserver) does to a custom resource on create:
 *
 *  1. structural defaulting (`default:` values, apiextensions-apiserver/pkg/apiserver/schema/defaulting),
 *  2. OpenAPI v3 schema validation (kube-openapi) and the `x-kubernetes-list-type` invariants
 *     (apiextensions-apiserver/pkg/apiserver/schema/listtype),
 *  3. every `x-kubernetes-validations` CEL rule (apiextensions-apiserver/pkg/apiserver/schema/cel),
 *     evaluated with @bufbuild/cel plus the Kubernetes extension functions the locked CRDs use.
 *
 * One deliberate difference: the API server silently prunes fields the schema does not declare;
 * here they are violations, because a field the server drops is a bug in the program sending it.
 */
import * as fs from "fs";
import * as net from "net";
import * as yaml from "js-yaml";
import { celEnv, celFunc, CelScalar, isCelError, parse, plan } from "@bufbuild/cel";
import type { CelInput, CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

/** One problem found in an object: its field path (`spec.listeners[0].name`; "" for the object root) and what is wrong. */
export interface CrdViolation {
    path: string;
    message: string;
}

/** Where a CEL rule sits in a CRD and why it does not compile. */
export interface CelRuleFailure {
    crd: string;
    path: string;
    rule: string;
    error: string;
}

/** What loading the CRDs did with their `x-kubernetes-validations` rules (each occurrence counts once). */
export interface CelRuleReport {
    /** Rules that compiled and run on create. */
    compiled: number;
    /** Rules that compiled but reference `oldSelf`: transition rules, skipped on create as the API server does. */
    transition: number;
    /** Rules that do not compile; validating a node that carries one reports it as a violation. */
    failures: CelRuleFailure[];
    /** Distinct CEL programs planned (identical rule texts share one). */
    programs: number;
}

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps that structural CRD schemas use. */
interface Schema {
    type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
    properties?: Record<string, Schema>;
    additionalProperties?: Schema | boolean;
    items?: Schema;
    required?: string[];
    enum?: unknown[];
    pattern?: string;
    format?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: boolean;
    exclusiveMaximum?: boolean;
    multipleOf?: number;
    minItems?: number;
    maxItems?: number;
    minProperties?: number;
    maxProperties?: number;
    nullable?: boolean;
    default?: unknown;
    allOf?: Schema[];
    anyOf?: Schema[];
    oneOf?: Schema[];
    not?: Schema;
    "x-kubernetes-preserve-unknown-fields"?: boolean;
    "x-kubernetes-int-or-string"?: boolean;
    "x-kubernetes-list-type"?: "atomic" | "set" | "map";
    "x-kubernetes-list-map-keys"?: string[];
    "x-kubernetes-validations"?: ValidationRule[];
}

interface ValidationRule {
    rule: string;
    message?: string;
    messageExpression?: string;
    fieldPath?: string;
    reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
    optionalOldSelf?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ---------------------------------------------------------------------------------------------
// Paths, in the format of k8s.io/apimachinery field.Path: `a.b`, `a[0]`, `a[key]`.

const child = (path: string, name: string) => (path === "" ? name : `${path}.${name}`);
const at = (path: string, indexOrKey: number | string) => `${path}[${indexOrKey}]`;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown) => {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** JSON with object keys sorted, so that equal values print equally (Go's json.Marshal sorts map keys). */
function canonical(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
    if (isObject(v)) {
        const keys = Object.keys(v).sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
    }
    return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// The CEL environment: cel-go's standard library (built into @bufbuild/cel), the strings extension
// and the parts of the Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library) the CRDs call.

/** Kubernetes `isIP(string)`: netip.ParseAddr succeeds, with no zone and not an IPv4-mapped IPv6 address (library/ip.go). */
function isIP(s: string): boolean {
    if (net.isIPv4(s)) return true;
    return net.isIPv6(s) && !s.includes("%") && !isIPv4MappedIPv6(s);
}

/** True for ::ffff:a.b.c.d in any spelling (netip.Addr.Is4In6). Expects a valid IPv6 literal without zone. */
function isIPv4MappedIPv6(s: string): boolean {
    const groups = (part: string) =>
        part === ""
            ? []
            : part.split(":").flatMap((g) => {
                  if (!g.includes(".")) return [parseInt(g, 16)];
                  const [a, b, c, d] = g.split(".").map(Number);
                  return [a * 256 + b, c * 256 + d];
              });
    const [head, tail] = s.split("::");
    const h = groups(head);
    const t = tail === undefined ? [] : groups(tail);
    const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
    return all.slice(0, 5).every((g) => g === 0) && all[5] === 0xffff;
}

const kubernetesFuncs = [celFunc("isIP", [CelScalar.STRING], CelScalar.BOOL, isIP)];
const env = celEnv({ funcs: [...strings, ...kubernetesFuncs] });

type Program = (bindings: Record<string, CelInput>) => CelResult;
type Expr = ReturnType<typeof parse>["expr"];
type CallExpr = Extract<Expr["exprKind"], { case: "callExpr" }>["value"];
type ComprehensionExpr = Extract<Expr["exprKind"], { case: "comprehensionExpr" }>["value"];
type Scope = ReadonlyMap<string, Schema | undefined>;

/** Calls the planner handles itself rather than through the function registry (operators and macros' helpers). */
const PLANNER_CALLS = new Set(["_[_]", "_[?_]", "_?._", "_?_:_", "_&&_", "_||_", "@not_strictly_false", "__not_strictly_false__"]);

// ---------------------------------------------------------------------------------------------
// Kubernetes property-name escaping for CEL (k8s.io/apiserver/pkg/cel/escaping.go): object
// properties are CEL fields, so names that are CEL reserved words or contain `.`, `-` or `/` are
// escaped (`namespace` -> `__namespace__`, `a-b` -> `a__dash__b`); names that cannot be escaped
// are not accessible from CEL. Keys of additionalProperties maps are map keys and never escaped.

const CEL_RESERVED = new Set([
    ...["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let"],
    ...["loop", "package", "namespace", "return", "var", "void", "while"],
]);
const ESCAPES: Record<string, string> = { __: "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__" };

/** The CEL field name of an object property, or undefined when Kubernetes cannot expose it to CEL. */
function escapeCelName(name: string): string | undefined {
    if (name === "" || /^[0-9]/.test(name) || !/^[a-zA-Z0-9_.\-/]+$/.test(name)) return undefined;
    if (CEL_RESERVED.has(name)) return `__${name}__`;
    return name.replace(/__|[-./]/g, (m) => ESCAPES[m]);
}

const escapedNames = new WeakMap<Schema, Map<string, string>>();

/** Escaped CEL field name -> property name, for a schema with properties. */
function celFieldNames(s: Schema): Map<string, string> {
    let names = escapedNames.get(s);
    if (!names) {
        names = new Map();
        for (const name of Object.keys(s.properties ?? {})) {
            const escaped = escapeCelName(name);
            if (escaped !== undefined) names.set(escaped, name);
        }
        escapedNames.set(s, names);
    }
    return names;
}

const additional = (s: Schema): Schema | undefined => (isObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined);

const rootViews = new WeakMap<Schema, Schema>();

/**
 * At the root of a custom resource, CEL sees `apiVersion`, `kind` and only `metadata.name` and
 * `metadata.generateName` (model.WithTypeAndObjectMeta), whatever the CRD declares for metadata.
 */
function withTypeAndObjectMeta(s: Schema): Schema {
    let view = rootViews.get(s);
    if (!view) {
        const metadata: Schema = { type: "object", properties: { name: { type: "string" }, generateName: { type: "string" } } };
        view = { ...s, properties: { ...s.properties, apiVersion: { type: "string" }, kind: { type: "string" }, metadata } };
        rootViews.set(s, view);
    }
    return view;
}

// ---------------------------------------------------------------------------------------------
// Compiling rules. @bufbuild/cel has no type checker, so "compiles" means what can be checked
// without one: the rule parses and plans, every function it calls exists, every identifier is
// declared, and every field it selects on a schema object is a declared (escaped) property, as the
// API server's type-checked compilation requires.

interface Planned {
    expr?: Expr;
    program?: Program;
    error?: string;
}

interface CompiledRule {
    rule: ValidationRule;
    program?: Program;
    message?: Program;
    /** References `oldSelf`: a transition rule, evaluated on update only. */
    transition: boolean;
    /** The rule's fieldPath as path segments appended to the node's path. */
    fieldPath: (path: string) => string;
    error?: string;
}

/** Parses and plans CEL expressions once per distinct text. */
class ProgramCache {
    private readonly planned = new Map<string, Planned>();

    get size(): number {
        return this.planned.size;
    }

    plan(source: string): Planned {
        let p = this.planned.get(source);
        if (!p) {
            try {
                const parsed = parse(source);
                p = { expr: parsed.expr, program: plan(env, parsed) as Program };
            } catch (e) {
                p = { error: (e as Error).message };
            }
            this.planned.set(source, p);
        }
        return p;
    }
}

/** Static checks of one expression against the schema of `self`; collects problems and whether it uses oldSelf. */
class RuleChecker {
    readonly problems = new Set<string>();
    usesOldSelf = false;

    check(e: Expr, scope: Scope): Schema | undefined {
        const k = e.exprKind;
        switch (k.case) {
            case "identExpr":
                if (k.value.name === "oldSelf") this.usesOldSelf = true;
                if (!scope.has(k.value.name)) this.problems.add(`undeclared reference to '${k.value.name}'`);
                return scope.get(k.value.name);
            case "selectExpr":
                return this.select(this.check(k.value.operand!, scope), k.value.field);
            case "callExpr":
                return this.call(k.value, scope);
            case "listExpr":
                k.value.elements.forEach((x) => this.check(x, scope));
                return undefined;
            case "structExpr":
                for (const entry of k.value.entries) {
                    if (entry.keyKind.case === "mapKey") this.check(entry.keyKind.value, scope);
                    if (entry.value) this.check(entry.value, scope);
                }
                return undefined;
            case "comprehensionExpr":
                return this.comprehension(k.value, scope);
            default:
                return undefined;
        }
    }

    private call(c: CallExpr, scope: Scope): Schema | undefined {
        const target = c.target?.exprKind;
        const qualified = target?.case === "identExpr" && !scope.has(target.value.name) ? `${target.value.name}.${c.function}` : undefined;
        if (qualified !== undefined && env.funcs.find(qualified)) {
            c.args.forEach((a) => this.check(a, scope));
            return undefined;
        }
        if (!PLANNER_CALLS.has(c.function) && !env.funcs.find(c.function)) this.problems.add(`undeclared function '${c.function}'`);
        if (c.target) this.check(c.target, scope);
        const args = c.args.map((a) => this.check(a, scope));
        return c.function === "_[_]" && args[0] ? elementSchema(args[0]) : undefined;
    }

    private comprehension(c: ComprehensionExpr, scope: Scope): Schema | undefined {
        const range = this.check(c.iterRange!, scope);
        this.check(c.accuInit!, scope);
        const inner = new Map(scope);
        inner.set(c.iterVar, range && iterationSchema(range));
        if (c.iterVar2) inner.set(c.iterVar2, range && elementSchema(range));
        inner.set(c.accuVar, undefined);
        [c.loopCondition, c.loopStep, c.result].forEach((x) => x && this.check(x, inner));
        return undefined;
    }

    /** The schema of `operand.field`; undefined when the operand's type is dynamic. */
    private select(operand: Schema | undefined, field: string): Schema | undefined {
        if (!operand || operand["x-kubernetes-int-or-string"]) return undefined;
        if (operand.properties) {
            const name = celFieldNames(operand).get(field);
            if (name === undefined) this.problems.add(`undefined field '${field}'`);
            return name === undefined ? undefined : operand.properties[name];
        }
        if (additional(operand)) return additional(operand);
        if (operand.type !== undefined && operand.type !== "object") this.problems.add(`type '${operand.type}' does not support field selection ('${field}')`);
        return undefined;
    }
}

/** The schema of `x[i]` / `x[key]`. */
function elementSchema(s: Schema): Schema | undefined {
    return s.type === "array" ? s.items : additional(s);
}

/** The schema of a comprehension's variable: list elements, or map keys (strings). */
function iterationSchema(s: Schema): Schema | undefined {
    if (s.type === "array") return s.items;
    return s.type === "object" ? { type: "string" } : undefined;
}

/**
 * Validates a rule's `fieldPath` (`.a.b`, `['a.b']`) against the node's schema, as the API server
 * does when the CRD is written, and returns how it extends a violation's path.
 */
function fieldPathOf(fieldPath: string, s: Schema): (path: string) => string {
    const token = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/y;
    const segments: { name: string; key: boolean }[] = [];
    let node = s;
    while (token.lastIndex < fieldPath.length) {
        const m = token.exec(fieldPath);
        if (!m) throw new Error(`invalid fieldPath ${fieldPath}`);
        const name = m[1] ?? m[2].replace(/\\(.)/g, "$1");
        const next = node.properties ? node.properties[name] : additional(node);
        if (!next) throw new Error(`fieldPath ${fieldPath} does not refer to a valid field`);
        segments.push({ name, key: !node.properties });
        node = next;
    }
    return (path) => segments.reduce((p, seg) => (seg.key ? at(p, seg.name) : child(p, seg.name)), path);
}

function compileRule(rule: ValidationRule, self: Schema, programs: ProgramCache): CompiledRule {
    const compiled: CompiledRule = { rule, transition: false, fieldPath: (p) => p };
    const scope = new Map<string, Schema | undefined>([
        ["self", self],
        ["oldSelf", self],
    ]);
    try {
        const checker = new RuleChecker();
        compiled.program = checked(programs.plan(rule.rule), checker, scope);
        compiled.transition = checker.usesOldSelf;
        if (rule.messageExpression) compiled.message = checked(programs.plan(rule.messageExpression), new RuleChecker(), scope);
        if (rule.fieldPath) compiled.fieldPath = fieldPathOf(rule.fieldPath, self);
    } catch (e) {
        compiled.program = undefined;
        compiled.error = (e as Error).message;
    }
    return compiled;
}

function checked(p: Planned, checker: RuleChecker, scope: Scope): Program {
    if (p.error !== undefined || !p.expr || !p.program) throw new Error(p.error ?? "no program");
    checker.check(p.expr, scope);
    if (checker.problems.size > 0) throw new Error([...checker.problems].join("; "));
    return p.program;
}

// ---------------------------------------------------------------------------------------------
// Structural defaulting (apiextensions-apiserver/pkg/apiserver/schema/defaulting/algorithm.go):
// a property absent from an object (or null while not nullable) gets a deep copy of its default,
// then defaulting recurses into every property, additionalProperties value and array item,
// including values that were just defaulted. Defaults inside a missing parent apply only once a
// default or the input creates that parent.

function applyDefaults(x: Json, s: Schema | undefined): void {
    if (!s) return;
    if (Array.isArray(x)) {
        x.forEach((_, i) => defaultEntry(x, i, s.items));
    } else if (isObject(x)) {
        for (const [name, prop] of Object.entries(s.properties ?? {})) {
            if (hasDefault(prop) && (!(name in x) || isNonNullableNull(x[name], prop))) x[name] = structuredClone(prop.default as Json);
        }
        for (const name of Object.keys(x)) {
            if (s.properties?.[name]) applyDefaults(x[name], s.properties[name]);
            else defaultEntry(x, name, additional(s));
        }
    }
}

/** An array item or additionalProperties value: a non-nullable null takes the default, then recurse. */
function defaultEntry(x: Json[] | JsonObject, slot: number | string, s: Schema | undefined): void {
    const container = x as Record<number | string, Json>;
    if (s && isNonNullableNull(container[slot], s) && hasDefault(s)) container[slot] = structuredClone(s.default as Json);
    applyDefaults(container[slot], s);
}

const hasDefault = (s: Schema) => s.default !== undefined && s.default !== null;
const isNonNullableNull = (v: unknown, s: Schema) => v === null && !s.nullable;

// ---------------------------------------------------------------------------------------------
// Structural validation (OpenAPI v3 value validations as kube-openapi applies them). Errors the
// API server classes as blocking (wrong type, enum, required, maxLength, maxItems/maxProperties)
// stop CEL evaluation, as in customResourceStrategy.Validate (hasBlockingErr).

interface Issue extends CrdViolation {
    blocking?: boolean;
}

interface Ctx {
    issues: Issue[];
    /** Inside anyOf/oneOf/allOf/not: only value validations apply (no unknown-field or list-type checks). */
    branch: boolean;
}

function validateNode(value: Json, s: Schema, path: string, ctx: Ctx): void {
    const report: Report = (message, blocking = false) => void ctx.issues.push({ path, message, blocking });
    if (value === null) {
        if (!s.nullable) report(`Invalid value: null: must be of type ${expectedType(s)}`, true);
        return;
    }
    const wrongType = typeMismatch(value, s);
    if (wrongType) {
        report(`Invalid value: ${show(value)}: must be of type ${wrongType}`, true);
        return;
    }
    if (s.enum && !s.enum.some((e) => canonical(e) === canonical(value))) {
        report(`Unsupported value: ${show(value)}: supported values: ${s.enum.map(show).join(", ")}`, true);
    }
    if (typeof value === "string") validateString(value, s, report);
    else if (typeof value === "number") validateNumber(value, s, report);
    else if (Array.isArray(value)) validateArray(value, s, path, ctx);
    else if (isObject(value)) validateObject(value, s, path, ctx);
    validateCombinators(value, s, path, ctx);
}

function expectedType(s: Schema): string {
    return s["x-kubernetes-int-or-string"] ? "integer or string" : (s.type ?? "any");
}

function typeMismatch(value: Json, s: Schema): string | undefined {
    const ok = (() => {
        if (s["x-kubernetes-int-or-string"]) return Number.isInteger(value) || typeof value === "string";
        switch (s.type) {
            case undefined:
                return true;
            case "integer":
                return Number.isInteger(value);
            case "number":
                return typeof value === "number" && Number.isFinite(value);
            case "array":
                return Array.isArray(value);
            case "object":
                return isObject(value);
            default:
                return typeof value === s.type;
        }
    })();
    return ok ? undefined : expectedType(s);
}

type Report = (message: string, blocking?: boolean) => void;

function validateString(value: string, s: Schema, report: Report): void {
    const length = [...value].length; // Go counts runes
    if (s.maxLength !== undefined && length > s.maxLength) report(`Too long: may not be more than ${s.maxLength} characters`, true);
    if (s.minLength !== undefined && length < s.minLength) report(`Invalid value: ${show(value)}: should be at least ${s.minLength} chars long`);
    if (s.pattern !== undefined && !patternMatches(s.pattern, value)) report(`Invalid value: ${show(value)}: should match '${s.pattern}'`);
    if (s.format !== undefined && FORMATS[s.format] && !FORMATS[s.format](value)) report(`Invalid value: ${show(value)}: must be of format ${s.format}`);
}

const regexps = new Map<string, RegExp | ((s: string) => boolean)>();
let re2Matches: Program | undefined;

/**
 * Schema patterns are Go RE2 syntax. The CRDs' patterns mean the same as JavaScript regular
 * expressions; a pattern JavaScript rejects (e.g. `(?i)`) falls back to CEL's RE2 `matches`.
 */
function patternMatches(pattern: string, value: string): boolean {
    let re = regexps.get(pattern);
    if (!re) {
        try {
            re = new RegExp(pattern, "u");
        } catch {
            re = (v: string) => (re2Matches ??= plan(env, parse("value.matches(pattern)")) as Program)({ value: v, pattern }) === true;
        }
        regexps.set(pattern, re);
    }
    return typeof re === "function" ? re(value) : re.test(value);
}

/** String formats kube-openapi validates (strfmt); the others CRDs may name are not checked here. */
const FORMATS: Record<string, (v: string) => boolean> = {
    ipv4: (v) => net.isIPv4(v),
    ipv6: (v) => net.isIPv6(v),
    cidr: (v) => {
        const [ip, bits, ...rest] = v.split("/");
        const max = net.isIPv4(ip) ? 32 : net.isIPv6(ip) ? 128 : -1;
        return rest.length === 0 && /^[0-9]+$/.test(bits ?? "") && Number(bits) <= max;
    },
    uuid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
    byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
    date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
    "date-time": (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
};

function validateNumber(value: number, s: Schema, report: Report): void {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum)) {
        report(`Invalid value: ${value}: should be greater than ${s.exclusiveMinimum ? "" : "or equal to "}${s.minimum}`);
    }
    if (s.maximum !== undefined && (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum)) {
        report(`Invalid value: ${value}: should be less than ${s.exclusiveMaximum ? "" : "or equal to "}${s.maximum}`);
    }
    if (s.multipleOf !== undefined && value % s.multipleOf !== 0) report(`Invalid value: ${value}: should be a multiple of ${s.multipleOf}`);
}

function validateArray(value: Json[], s: Schema, path: string, ctx: Ctx): void {
    if (s.maxItems !== undefined && value.length > s.maxItems) {
        ctx.issues.push({ path, message: `Too many: ${value.length}: must have at most ${s.maxItems} items`, blocking: true });
    }
    if (s.minItems !== undefined && value.length < s.minItems) ctx.issues.push({ path, message: `Invalid value: should have at least ${s.minItems} items` });
    if (!ctx.branch) validateListType(value, s, path, ctx.issues);
    if (s.items) value.forEach((item, i) => validateNode(item, s.items!, at(path, i), ctx));
}

/**
 * `x-kubernetes-list-type: set` items and `map` items' key tuples must be unique; map items must be
 * objects; an absent key counts as a value of its own (listtype/validation.go).
 */
function validateListType(value: Json[], s: Schema, path: string, issues: Issue[]): void {
    const type = s["x-kubernetes-list-type"];
    if (type !== "set" && type !== "map") return;
    const badItem = type === "map" ? value.findIndex((x) => x !== null && !isObject(x)) : -1;
    if (badItem >= 0) {
        issues.push({ path: at(path, badItem), message: `Invalid value: ${show(value[badItem])}: must be an object for an array of list-type map` });
        return;
    }
    const keyOf = (x: Json): Json =>
        type === "set"
            ? x
            : Object.fromEntries((s["x-kubernetes-list-map-keys"] ?? []).filter((k) => isObject(x) && k in x).map((k) => [k, (x as JsonObject)[k]]));
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
        const key = canonical(keyOf(item));
        const times = seen.get(key) ?? 0;
        seen.set(key, times + 1);
        if (times === 1) issues.push({ path: at(path, i), message: `Duplicate value: ${show(keyOf(item))}` });
    });
}

function validateObject(value: JsonObject, s: Schema, path: string, ctx: Ctx): void {
    const count = Object.keys(value).length;
    if (s.maxProperties !== undefined && count > s.maxProperties) {
        ctx.issues.push({ path, message: `Too many: ${count}: must have at most ${s.maxProperties} items`, blocking: true });
    }
    if (s.minProperties !== undefined && count < s.minProperties) {
        ctx.issues.push({ path, message: `Invalid value: should have at least ${s.minProperties} properties` });
    }
    for (const name of s.required ?? []) {
        // Non-nullable nulls are pruned before validation (PruneNonNullableNullsWithoutDefaults), so they count as absent.
        const prop = s.properties?.[name];
        if (!(name in value) || (value[name] === null && !prop?.nullable)) {
            ctx.issues.push({ path: child(path, name), message: "Required value", blocking: true });
        }
    }
    for (const [name, v] of Object.entries(value)) validateProperty(name, v, s, path, ctx);
}

function validateProperty(name: string, v: Json, s: Schema, path: string, ctx: Ctx): void {
    const prop = s.properties?.[name];
    const sub = prop ?? additional(s);
    const subPath = sub === prop ? child(path, name) : at(path, name);
    if (!sub) {
        const preserved = s["x-kubernetes-preserve-unknown-fields"] || s.additionalProperties === true;
        if (!preserved && !ctx.branch) ctx.issues.push({ path: subPath, message: "Unknown field: not declared in the schema (the API server would prune it)" });
    } else if (v === null && !sub.nullable) {
        // PruneNonNullableNullsWithoutDefaults drops it before validation: report it, but it is not a type error.
        if (!ctx.branch) ctx.issues.push({ path: subPath, message: "Invalid value: null: the field is not nullable (the API server would prune it)" });
    } else {
        validateNode(v, sub, subPath, ctx);
    }
}

function validateCombinators(value: Json, s: Schema, path: string, ctx: Ctx): void {
    const branchIssues = (b: Schema) => {
        const inner: Ctx = { issues: [], branch: true };
        validateNode(value, b, path, inner);
        return inner.issues;
    };
    for (const b of s.allOf ?? []) ctx.issues.push(...branchIssues(b));
    const summary = (issues: Issue[][]) => issues.map((list) => list.map((i) => i.message).join("; ")).join(" | ");
    if (s.anyOf) {
        const results = s.anyOf.map(branchIssues);
        if (results.every((r) => r.length > 0)) {
            ctx.issues.push({ path, message: `Invalid value: ${show(value)}: must validate at least one schema (anyOf): ${summary(results)}` });
        }
    }
    if (s.oneOf) {
        const results = s.oneOf.map(branchIssues);
        const passing = results.filter((r) => r.length === 0).length;
        if (passing !== 1) {
            const why = passing === 0 ? `: ${summary(results)}` : ` (${passing} match)`;
            ctx.issues.push({ path, message: `Invalid value: ${show(value)}: must validate one and only one schema (oneOf)${why}` });
        }
    }
    if (s.not && branchIssues(s.not).length === 0) ctx.issues.push({ path, message: `Invalid value: ${show(value)}: must not validate the schema (not)` });
}

// ---------------------------------------------------------------------------------------------
// CEL values (k8s.io/apiserver/pkg/cel/common/values.go, UnstructuredToVal): objects with
// properties expose their declared properties as escaped fields, null-valued ones as absent;
// additionalProperties objects are maps with their keys as is; `integer` is CEL int (bigint),
// `number` is double, int-or-string is int or string; `date-time`/`date` strings are timestamps,
// `duration` strings durations, `byte` strings bytes.

const conversions = new Map<string, Program>();

/** Converts through a CEL built-in (timestamp(), duration()), keeping the string when it does not parse. */
function viaCel(fn: string, v: string): CelInput {
    let p = conversions.get(fn);
    if (!p) conversions.set(fn, (p = plan(env, parse(`${fn}(v)`)) as Program));
    const r = p({ v });
    return isCelError(r) ? v : (r as CelInput);
}

function toCel(value: Json, s: Schema | undefined): CelInput {
    if (value === null) return null;
    if (!s || (s.type === undefined && !s["x-kubernetes-int-or-string"])) return untypedToCel(value);
    if (typeof value === "number") return s.type === "number" || !Number.isInteger(value) ? value : BigInt(value);
    if (typeof value === "string") return stringToCel(value, s.format);
    if (Array.isArray(value)) return value.map((item) => toCel(item, s.items));
    if (isObject(value)) return objectToCel(value, s);
    return value;
}

function stringToCel(value: string, format: string | undefined): CelInput {
    switch (format) {
        case "date-time":
            return viaCel("timestamp", value);
        case "date":
            return viaCel("timestamp", `${value}T00:00:00Z`);
        case "duration":
            return viaCel("duration", value);
        case "byte":
            return new Uint8Array(Buffer.from(value, "base64"));
        default:
            return value;
    }
}

function objectToCel(value: JsonObject, s: Schema): CelInput {
    const m = new Map<string, CelInput>();
    if (s.properties) {
        for (const [escaped, name] of celFieldNames(s)) {
            if (name in value && value[name] !== null) m.set(escaped, toCel(value[name], s.properties[name]));
        }
    } else if (additional(s)) {
        for (const [k, v] of Object.entries(value)) m.set(k, toCel(v, additional(s)));
    }
    // An object with x-kubernetes-preserve-unknown-fields and no properties is an empty object to CEL.
    return m;
}

/** Data without a schema (under x-kubernetes-preserve-unknown-fields). Kubernetes makes it opaque; here it is plain data. */
function untypedToCel(value: Json): CelInput {
    if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
    if (Array.isArray(value)) return value.map(untypedToCel);
    if (isObject(value)) return new Map(Object.entries(value).map(([k, v]) => [k, untypedToCel(v)]));
    return value;
}

// ---------------------------------------------------------------------------------------------
// Evaluating rules, walking the object like apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go:
// rules of a node run on its non-null value, then its properties, map values and items.

function evaluateRules(value: Json, s: Schema, path: string, index: RuleIndex, issues: Issue[], root = false): void {
    if (value === null) return;
    const rules = index.get(s) ?? [];
    if (rules.length > 0) {
        const self = toCel(value, root ? withTypeAndObjectMeta(s) : s);
        for (const r of rules) evaluateRule(r, self, path, issues);
    }
    if (Array.isArray(value)) {
        if (s.items) value.forEach((item, i) => evaluateRules(item, s.items!, at(path, i), index, issues));
    } else if (isObject(value)) {
        for (const [name, v] of Object.entries(value)) {
            const prop = s.properties?.[name];
            const extra = additional(s);
            if (prop) evaluateRules(v, prop, child(path, name), index, issues);
            else if (extra) evaluateRules(v, extra, at(path, name), index, issues);
        }
    }
}

function evaluateRule(r: CompiledRule, self: CelInput, path: string, issues: Issue[]): void {
    const ruleText = (r.rule.message ?? "").trim() || r.rule.rule.trim();
    if (r.error !== undefined || !r.program) {
        issues.push({ path, message: `rule compile error: ${r.error} (rule: ${ruleText})` });
        return;
    }
    // Transition rules need the old object; on create the API server skips them (optionalOldSelf
    // rules would run with oldSelf = optional.none(), which @bufbuild/cel does not model: skipped too).
    if (r.transition) return;
    const result = r.program({ self });
    if (isCelError(result)) {
        issues.push({ path, message: `${result.message} evaluating rule: ${ruleText}` });
    } else if (result !== true) {
        issues.push({ path: r.fieldPath(path), message: withReason(r.rule.reason, ruleMessage(r, self)) });
    }
}

/** messageExpression when it yields a non-empty single-line string, else message, else "failed rule: <rule>". */
function ruleMessage(r: CompiledRule, self: CelInput): string {
    if (r.message) {
        const m = r.message({ self });
        if (typeof m === "string" && m.trim() !== "" && !m.includes("\n")) return m.trim();
    }
    return r.rule.message?.trim() || `failed rule: ${r.rule.rule.trim()}`;
}

/** The field.Error type the rule's reason selects (fieldErrorForReason), as the API server prints it. */
function withReason(reason: ValidationRule["reason"], message: string): string {
    switch (reason) {
        case "FieldValueForbidden":
            return `Forbidden: ${message}`;
        case "FieldValueRequired":
            return `Required value: ${message}`;
        case "FieldValueDuplicate":
            return `Duplicate value: ${message}`;
        default:
            return message;
    }
}

// ---------------------------------------------------------------------------------------------
// The catalog.

type RuleIndex = Map<Schema, CompiledRule[]>;

interface CrdVersion {
    crd: string;
    served: boolean;
    schema: Schema;
}

interface CrdDocument {
    kind?: string;
    metadata?: { name?: string };
    spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema?: Schema } }[] };
}

/** The custom resource definitions of some YAML files, ready to default and validate objects. */
export class CrdCatalog {
    private readonly versions = new Map<string, CrdVersion>();
    private readonly rules: RuleIndex = new Map();
    private readonly programs = new ProgramCache();
    private readonly report: CelRuleReport = { compiled: 0, transition: 0, failures: [], programs: 0 };

    /** Load every CustomResourceDefinition found in the given multi-document YAML files. */
    static fromFiles(files: string[]): CrdCatalog {
        const catalog = new CrdCatalog();
        for (const file of files) {
            for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
                const crd = doc as CrdDocument | null;
                if (crd?.kind === "CustomResourceDefinition" && crd.spec) catalog.add(crd);
            }
        }
        catalog.report.programs = catalog.programs.size;
        return catalog;
    }

    /** The CRD versions known: "group/version Kind" (served versions only: the API server refuses the others). */
    kinds(): string[] {
        return [...this.versions].filter(([, v]) => v.served).map(([k]) => k);
    }

    /** What happened to every `x-kubernetes-validations` rule of the loaded CRDs, all versions included. */
    celRules(): CelRuleReport {
        return { ...this.report, failures: [...this.report.failures] };
    }

    /**
     * Default, then validate structurally and with every CEL rule. Returns the violations (empty when valid)
     * and the defaulted object. Throws when no served CRD version defines the object's apiVersion and kind.
     */
    validate(obj: { apiVersion: string; kind: string; [k: string]: unknown }): { violations: CrdViolation[]; defaulted: unknown } {
        const key = `${obj.apiVersion} ${obj.kind}`;
        const version = this.versions.get(key);
        if (!version?.served) throw new Error(`no served CustomResourceDefinition version for ${key}`);
        // What the API server receives: JSON (undefined properties vanish).
        const defaulted = JSON.parse(JSON.stringify(obj)) as JsonObject;
        applyDefaults(defaulted, version.schema);
        const ctx: Ctx = { issues: [], branch: false };
        validateMetadata(defaulted.metadata, ctx.issues);
        validateNode(defaulted, { ...version.schema, properties: { ...version.schema.properties, metadata: LOOSE_METADATA } }, "", ctx);
        if (ctx.issues.some((i) => i.blocking)) {
            ctx.issues.push({
                path: "",
                message: "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            });
        } else {
            evaluateRules(defaulted, version.schema, "", this.rules, ctx.issues, true);
        }
        return { violations: ctx.issues.map(({ path, message }) => ({ path, message })), defaulted };
    }

    private add(crd: CrdDocument): void {
        const spec = crd.spec!;
        for (const v of spec.versions) {
            const schema = v.schema?.openAPIV3Schema;
            if (!schema) continue;
            const crdName = `${crd.metadata?.name ?? spec.names.kind} ${v.name}`;
            this.versions.set(`${spec.group}/${v.name} ${spec.names.kind}`, { crd: crdName, served: v.served, schema });
            this.compileTree(schema, crdName, "", true);
        }
    }

    /** Compiles the rules of a schema node and its descendants (properties, items, additionalProperties, allOf). */
    private compileTree(s: Schema, crd: string, path: string, root = false): void {
        const rules = [...(s["x-kubernetes-validations"] ?? []), ...(s.allOf ?? []).flatMap((b) => b["x-kubernetes-validations"] ?? [])];
        if (rules.length > 0) {
            const view = root ? withTypeAndObjectMeta(s) : s;
            const compiled = rules.map((rule) => compileRule(rule, view, this.programs));
            this.rules.set(s, compiled);
            for (const c of compiled) this.count(c, crd, path);
        }
        for (const [name, prop] of Object.entries(s.properties ?? {})) this.compileTree(prop, crd, child(path, name));
        if (s.items) this.compileTree(s.items, crd, `${path}[*]`);
        const extra = additional(s);
        if (extra) this.compileTree(extra, crd, at(path, "*"));
    }

    private count(c: CompiledRule, crd: string, path: string): void {
        if (c.error !== undefined) this.report.failures.push({ crd, path, rule: c.rule.rule, error: c.error });
        else if (c.transition) this.report.transition++;
        else this.report.compiled++;
    }
}

/** `metadata` is validated by the API server's ObjectMeta rules, not the CRD schema; only its shape is checked here. */
const LOOSE_METADATA: Schema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };

function validateMetadata(metadata: Json | undefined, issues: Issue[]): void {
    if (!isObject(metadata)) {
        issues.push({ path: "metadata", message: "Required value: metadata must be an object", blocking: true });
    } else if (typeof metadata.name !== "string" || metadata.name === "") {
        issues.push({ path: "metadata.name", message: "Required value: name is required and must be a string", blocking: true });
    }
}
