import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { hundredths } from "./harness";

/*
 * The Pulumi CLI, timed one invocation at a time (issue 29). The Automation API's `stack.up()`
 * runs `pulumi up` and then three more commands a user's `pulumi up` does not: `pulumi stack
 * output --json`, the same with `--show-secrets`, and `pulumi stack history` (automation/stack.ts
 * `up`: `outputs()`, `info()`); each `stack output` reads the whole state. So the benchmark runs the CLI through a
 * wrapper that logs each command's wall time and its CPU with that of the children it waited for
 * (bash's `times`: the kernel's accounting, proc(5) cutime/cstime), and `pulumi up` is timed as the
 * `up` command alone.
 */

export interface CliCall {
    command: string;
    /** Epoch milliseconds. */
    start: number;
    end: number;
    /** CPU seconds of the command and every process it waited for. */
    cpu: number;
}

// ECHO_EXPOSURE_CLI_UP_ARGS: more arguments for the `up` command (benchProfile.ts: --profiling).
const WRAPPER = `#!/usr/bin/env bash
start=$(date +%s%N)
if [ "$1" = up ] && [ -n "\${ECHO_EXPOSURE_CLI_UP_ARGS:-}" ]; then set -- "$@" $ECHO_EXPOSURE_CLI_UP_ARGS; fi
"$ECHO_EXPOSURE_REAL_PULUMI" "$@"
rc=$?
end=$(date +%s%N)
# times in this shell (not in a command substitution's subshell, whose children are its own)
t=$(mktemp); times > "$t"; { read -r _; read -r children; } < "$t"; rm -f "$t"
printf '%s\\t%s\\t%s\\t%s\\n' "$1" "$start" "$end" "$children" >> "$ECHO_EXPOSURE_CLI_LOG"
exit $rc
`;

/** bash's `times` prints "1m2.345s" per figure. */
function clockSeconds(s: string): number {
    const m = /^(\d+)m([\d.]+)s$/.exec(s);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

/** A folder whose bin/pulumi runs `realRoot`'s, logging each command; `calls()` reads the log so far. */
export function timedCli(realRoot: string): { root: string; calls: () => CliCall[] } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-timed-cli-"));
    const log = path.join(root, "calls.tsv");
    fs.mkdirSync(path.join(root, "bin"));
    fs.writeFileSync(path.join(root, "bin", "pulumi"), WRAPPER, { mode: 0o755 });
    fs.writeFileSync(log, "");
    process.env.ECHO_EXPOSURE_REAL_PULUMI = path.join(realRoot, "bin", "pulumi");
    process.env.ECHO_EXPOSURE_CLI_LOG = log;
    const calls = (): CliCall[] =>
        fs
            .readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => {
                const [command, start, end, children] = line.split("\t");
                const [user, system] = children.split(" ").map(clockSeconds);
                return { command, start: Number(start) / 1e6, end: Number(end) / 1e6, cpu: hundredths(user + system) };
            });
    return { root, calls };
}
