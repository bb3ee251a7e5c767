/*
 * Usage: npm run migrate -- [--json] [--config <file>] [--report <file>] [--class <name>] <file>... | -
 *
 * Reads an ingress-nginx estate's Ingresses (YAML or JSON files, multi-document, or the List that
 * `kubectl get ingress -A -o yaml` prints; `-` is standard input) and writes this program's
 * routing config for them (YAML, validated by the program itself) and a report of every rule and
 * annotation with its verdict for the Gateway (Markdown, or JSON with --json). With neither
 * --config nor --report both go to standard output, the config first.
 * Exit 0 when a config was produced (unsupported annotations included: the report says so);
 * 1 when nothing usable was; 2 when the program refused the migrated config (a bug in migrate).
 */
import * as fs from "fs";
import { migrateEstate, Migration } from "../migrate/estate";
import { Manifest, readManifests } from "../migrate/manifests";
import { configYaml, reportMarkdown, summaryLine } from "../migrate/report";
import { runProgram } from "../test/support/program";

interface Args {
    inputs: string[];
    json: boolean;
    config?: string;
    report?: string;
    className?: string;
}

function parseArgs(argv: string[]): Args {
    const args: Args = { inputs: [], json: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--json") args.json = true;
        else if (a === "--config" || a === "--report" || a === "--class") {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${a} needs a value`);
            if (a === "--config") args.config = v;
            else if (a === "--report") args.report = v;
            else args.className = v;
        } else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
        else args.inputs.push(a);
    }
    if (args.inputs.length === 0) throw new Error("name at least one file of Ingress manifests, or - for standard input");
    return args;
}

/** Runs the program under mocks with the migrated config: its rules refuse it, or its parity output says whether DNS can move. */
async function validated(m: Migration): Promise<string> {
    const run = await runProgram(m.config!, { deterministic: true }, "migrated");
    return run.outputs.parity.cutover as string;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const manifests: Manifest[] = [];
    const unreadable: string[] = [];
    for (const input of args.inputs) {
        try {
            const text = input === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(input, "utf8");
            manifests.push(...readManifests(text, input === "-" ? "stdin" : input));
        } catch (e) {
            unreadable.push((e as Error).message);
        }
    }
    const migration = migrateEstate(manifests, { className: args.className });
    migration.report.notes.unshift(...unreadable.map((u) => `not read: ${u}`));
    if (migration.config) {
        try {
            migration.report.cutover = await validated(migration);
        } catch (e) {
            process.stderr.write(`migrate: the program refuses the migrated config, which is a bug in migrate:\n${(e as Error).message}\n`);
            return 2;
        }
    }
    const report = args.json ? JSON.stringify(migration.report, null, 2) + "\n" : reportMarkdown(migration.report);
    const config = migration.config ? configYaml(migration.config) : "";
    if (args.config) fs.writeFileSync(args.config, config);
    if (args.report) fs.writeFileSync(args.report, report);
    if (!args.config && !args.report) process.stdout.write(`${config}${config ? "\n" : ""}${report}`);
    else if (!args.report) process.stdout.write(report);
    else if (!args.config) process.stdout.write(config);
    process.stderr.write(`migrate: ${summaryLine(migration.report)}${migration.config ? "" : "; no config: nothing usable"}\n`);
    return migration.config ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`migrate: ${(e as Error).message}\n`);
        process.exit(1);
    },
);
