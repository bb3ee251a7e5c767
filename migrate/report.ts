import * as yaml from "js-yaml";

/** The verdict of one annotation for the Gateway, and what it becomes in the config. */
export interface AnnotationVerdict {
    annotation: string;
    value: string;
    /** `exact`, `approximate: …`, `unsupported: …`, `not recognised: …`. */
    gateway: string;
    /** The config key it becomes, or `dropped`. */
    becomes: string;
}

export interface RuleReport {
    host: string;
    path: string;
    pathType: string;
    backend: string;
    /** The routing entry it becomes, or why it does not. */
    becomes: string;
}

export interface IngressReport {
    ingress: string;
    source: string;
    canary: boolean;
    rules: RuleReport[];
    annotations: AnnotationVerdict[];
    notes: string[];
}

export interface MigrationReport {
    ingresses: IngressReport[];
    /** Objects that are not migrated, and why. */
    skipped: { source: string; object: string; why: string }[];
    /** What changes across the estate: duplicates, semantics, the program's scope. */
    notes: string[];
    summary: { exact: number; approximate: number; unsupported: number; notRecognised: number };
    /** The program's `parity.cutover` for the migrated config (scripts/migrate.ts fills it in). */
    cutover?: string;
}

/** The config block as YAML to paste under `config:` in a Pulumi.<stack>.yaml. */
export function configYaml(config: Record<string, unknown>): string {
    return [
        "# echo-exposure config migrated by `npm run migrate`: paste under `config:` in Pulumi.<stack>.yaml.",
        "# Validated by the program's own schema and rules; read the report for what changes.",
        yaml.dump(config, { lineWidth: -1, noRefs: true }).trimEnd(),
        "",
    ].join("\n");
}

/** The one-line summary: `N exact, N approximate, N unsupported, N not recognised`. */
export function summaryLine(r: MigrationReport): string {
    const s = r.summary;
    return `${s.exact} exact, ${s.approximate} approximate, ${s.unsupported} unsupported, ${s.notRecognised} not recognised`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (head: string[], rows: string[][]) => [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
];

/** The report in Markdown: per Ingress its rules and annotations with the Gateway's verdict, then what was skipped and why. */
export function reportMarkdown(r: MigrationReport): string {
    const out = ["# ingress-nginx estate → echo-exposure routing", "", `**${summaryLine(r)}** (annotations, for the Gateway).`, ""];
    if (r.cutover) out.push(`Cut-over by DNS with this config (the program's \`parity\` output): ${r.cutover}`, "");
    for (const i of r.ingresses) {
        out.push(`## ${i.canary ? "canary " : ""}Ingress ${i.ingress} (${i.source})`, "");
        if (i.rules.length > 0)
            out.push(
                ...table(
                    ["host", "path", "pathType", "backend", "becomes"],
                    i.rules.map((x) => [x.host, x.path, x.pathType, x.backend, x.becomes]),
                ),
                "",
            );
        if (i.annotations.length > 0)
            out.push(
                ...table(
                    ["annotation", "value", "Gateway", "becomes"],
                    i.annotations.map((a) => [a.annotation, a.value, a.gateway, a.becomes]),
                ),
                "",
            );
        out.push(...i.notes.map((n) => `- ${n}`), ...(i.notes.length > 0 ? [""] : []));
    }
    if (r.skipped.length > 0)
        out.push(
            "## Skipped",
            "",
            ...table(
                ["source", "object", "why"],
                r.skipped.map((s) => [s.source, s.object, s.why]),
            ),
            "",
        );
    if (r.notes.length > 0) out.push("## What changes", "", ...r.notes.map((n) => `- ${n}`), "");
    return out.join("\n");
}
