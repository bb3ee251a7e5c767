/*
 * Usage: ts-node scripts/e2e-check.ts <outputs.json> <expected text> [--port-forward] [--context <kube context>]
 *                                     [--ca <pem file>] [--resolve-to <ip>] [--canary-text <canary's text> [--canary-requests <n>]]
 * where outputs.json is `pulumi stack output --json`. --ca trusts the stack's own CA (the tls
 * output's trustCa writes it) for its https URLs; --resolve-to connects every URL's host to that
 * address (kind: 127.0.0.1, where the port mappings are), as curl --resolve does. Exits non-zero
 * when any URL fails. --canary-text also counts answers (100, or --canary-requests) through each
 * routed URL of each proxy (the stack's `canary` output gives the weight and header) and checks
 * the split and the header (scripts/canarySplit.ts). Writes a table of every URL and what it returned to $GITHUB_STEP_SUMMARY
 * when that is set (GitHub Actions). Needs the stack deployed on a reachable cluster.
 */
import * as fs from "fs";
import { checkCanary } from "./canarySplit";
import { Check, checkStackOutputs, StackOutputs } from "./checkUrls";

function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
}

function summary(checks: Check[]): string {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    return [
        "| check | URL | result |",
        "| --- | --- | --- |",
        ...checks.map((c) => `| ${c.ok ? "✅" : "❌"} ${cell(c.what)} | \`${cell(c.url)}\` | ${cell(c.detail)} |`),
    ].join("\n");
}

async function main(): Promise<void> {
    const [file, text, ...flags] = process.argv.slice(2);
    if (!file || !text) {
        console.error(
            "usage: e2e-check <outputs.json> <expected text> [--port-forward] [--context <ctx>] [--ca <file>] [--resolve-to <ip>] [--canary-text <text> [--canary-requests <n>]]",
        );
        process.exit(2);
    }
    const outputs = JSON.parse(fs.readFileSync(file, "utf8")) as StackOutputs;
    const caFile = flag(flags, "--ca");
    const checks = await checkStackOutputs(outputs, text, {
        portForward: flags.includes("--port-forward"),
        context: flag(flags, "--context"),
        ca: caFile ? fs.readFileSync(caFile, "utf8") : undefined,
        resolveTo: flag(flags, "--resolve-to"),
    });
    const canaryText = flag(flags, "--canary-text");
    if (canaryText !== undefined) {
        if (!outputs.canary) throw new Error("--canary-text: the stack has no canary output (is echo-exposure:canary set?)");
        // Every routed URL of each proxy: the canary Ingress and the weighted rules exist per host.
        // Only the proxies the stack exposes (a stack without gateway has no gatewayUrls).
        const proxies = { ingress: outputs.ingressUrls, gateway: outputs.gatewayUrls };
        const routed = Object.fromEntries(Object.entries(proxies).filter((e): e is [string, string[]] => e[1] !== undefined));
        const requests = flag(flags, "--canary-requests");
        checks.push(
            ...(await checkCanary(outputs.canary, routed, {
                requests: requests === undefined ? undefined : Number(requests),
                stableText: text,
                canaryText,
                ca: caFile ? fs.readFileSync(caFile, "utf8") : undefined,
                resolveTo: flag(flags, "--resolve-to"),
            })),
        );
    }
    for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.what} ${c.url} -> ${c.detail}`);
    const failed = checks.filter((c) => !c.ok).length;
    console.log(`${checks.length - failed} passed, ${failed} failed`);
    if (process.env.GITHUB_STEP_SUMMARY) {
        fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### URLs of the dev stack\n\n${summary(checks)}\n\n`);
    }
    process.exit(failed > 0 || checks.length === 0 ? 1 : 0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
