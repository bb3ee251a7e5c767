import * as fs from "fs";
import { hundredths } from "./harness";

/*
 * CPU used during an operation, per group of processes (issue 29), read from /proc.
 *
 * The total is exact: every process the benchmark starts (the Pulumi CLI and, under it, the
 * providers; helm and kubectl for the peer; the program runs inside the benchmark) is waited
 * for, so when it exits the kernel adds its CPU, and that of the children it waited for, to its
 * parent's cutime/cstime (proc(5)): the growth of this process's own cutime/cstime over the
 * operation is all of it. The split by group comes from sampling every process's utime/stime
 * every SAMPLE_MS: a process's last sample misses at most one interval of its CPU, and a process
 * that lives less than an interval may be missed whole; what the samples do not explain is
 * reported as "unattributed". The control plane's daemons never exit: sampled at the start and
 * the end.
 */

const SAMPLE_MS = 200;
/** sysconf(_SC_CLK_TCK): 100 on Linux (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/** The groups the issue asks for, by the process's name (comm, at most 15 characters) and command line. */
const GROUPS: [string, (comm: string, cmdline: string) => boolean][] = [
    ["engine (pulumi CLI)", (comm) => comm === "pulumi"],
    ["kubernetes provider (with its Helm)", (comm) => comm.startsWith("pulumi-resource")],
    ["helm", (comm) => comm === "helm"],
    ["kubectl", (comm) => comm === "kubectl"],
    ["control plane (API server, etcd, controllers, kwok)", (comm) => /^(kube-apiserver|etcd|kube-controller|kube-scheduler|kwok)/.test(comm)],
];

interface ProcSample {
    group: string;
    ticks: number;
}

interface Proc {
    pid: string;
    ppid: string;
    comm: string;
    cmdline: string;
    key: string;
    ticks: number;
}

function readProc(pid: string): Proc | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // comm is in parentheses and may hold spaces: the fields after it are split on spaces.
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        // f[1]: ppid (field 4 of proc(5)); f[11], f[12]: utime, stime (14, 15); f[19]: starttime (22).
        return { pid, ppid: f[1], comm, cmdline, key: `${pid}@${f[19]}`, ticks: Number(f[11]) + Number(f[12]) };
    } catch {
        return undefined; // the process exited between readdir and read
    }
}

/**
 * utime + stime of every process in a group, keyed by pid and start time (a pid may be reused):
 * the benchmark's own descendants, and the control plane's daemons. Other processes that run
 * meanwhile (the traffic tier's supervisor polls kubectl every 2 s) are left out.
 */
function sampleAll(): Map<string, ProcSample> {
    const procs = new Map<string, Proc>();
    for (const pid of fs.readdirSync("/proc")) {
        const p = /^\d+$/.test(pid) ? readProc(pid) : undefined;
        if (p) procs.set(pid, p);
    }
    const self = String(process.pid);
    const ours = (p: Proc): boolean => {
        for (let q: Proc | undefined = p, hops = 0; q && hops < 64; q = procs.get(q.ppid), hops++) if (q.ppid === self) return true;
        return false;
    };
    const out = new Map<string, ProcSample>();
    for (const p of procs.values()) {
        const group = GROUPS.find(([, is]) => is(p.comm, p.cmdline))?.[0];
        if (group && (group.startsWith("control plane") || ours(p))) out.set(p.key, { group, ticks: p.ticks });
    }
    return out;
}

/** This process's reaped children's CPU (cutime + cstime), in ticks. */
function childrenTicks(): number {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[13]) + Number(f[14]);
}

export interface CpuUse {
    /** CPU seconds of everything the operation started (exact, from the kernel's accounting). */
    total: number;
    /** CPU seconds per group, sampled; the control plane's is not part of `total`. */
    groups: Record<string, number>;
    /** CPU seconds the sampling itself took in this process (to be taken out of this process's own). */
    sampler: number;
}

/** Runs `op` and reports the CPU it used, per group. */
export async function measureCpu<T>(op: () => Promise<T>): Promise<[T, CpuUse]> {
    let samplerMicros = 0;
    const sample = (into: Map<string, ProcSample>) => {
        const own = process.cpuUsage();
        sampleAll().forEach((s, k) => into.set(k, s));
        const used = process.cpuUsage(own);
        samplerMicros += used.user + used.system;
    };
    const first = new Map<string, ProcSample>();
    sample(first);
    const last = new Map(first);
    const timer = setInterval(() => sample(last), SAMPLE_MS);
    const before = childrenTicks();
    try {
        const result = await op();
        const childTicks = childrenTicks() - before;
        sample(last);
        return [result, { ...use(first, last, childTicks), sampler: hundredths(samplerMicros / 1e6) }];
    } finally {
        clearInterval(timer);
    }
}

function use(first: Map<string, ProcSample>, last: Map<string, ProcSample>, childTicks: number): Omit<CpuUse, "sampler"> {
    const groups: Record<string, number> = {};
    for (const [key, s] of last) groups[s.group] = (groups[s.group] ?? 0) + s.ticks - (first.get(key)?.ticks ?? 0);
    const total = childTicks / TICKS_PER_SECOND;
    const perGroup = Object.fromEntries(Object.entries(groups).map(([g, t]) => [g, t / TICKS_PER_SECOND]));
    const attributed = Object.entries(perGroup)
        .filter(([g]) => !g.startsWith("control plane"))
        .reduce((sum, [, s]) => sum + s, 0);
    return { total, groups: { ...perGroup, unattributed: Math.max(0, hundredths(total - attributed)) } };
}
