import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../support/program";
import { CONTEXT, listObjects, STATE, Tally } from "./harness";

/*
 * Real requests on the local control plane (issue 26): the echo pods run http-echo in network
 * namespaces at their kwok IPs (scripts/cluster/pods.py), kube-proxy programs the Services in the
 * node's namespace (scripts/cluster/traffic.sh). Every request here is sent from ee-client, a
 * pod-like namespace on the node's bridge, to an address that exists only inside the run's
 * namespaces; each is bounded (curl -m 5, at most 60 tries of a wait).
 */

const CLIENT_NS = "ee-client";
/** The node's address on the bridge: NodePorts are served there (kube-proxy --nodeport-addresses). */
export const NODE_IP = "10.244.255.254";

/** Whether cluster:up started the traffic tier (root, the tools, nftables): else its checks are pending. */
export function trafficTier(): boolean {
    const netns = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
    return netns.status === 0 && netns.stdout.includes(CLIENT_NS) && fs.existsSync(path.join(STATE, "pids", "kube-proxy"));
}

/** A command run in a network namespace (none: this machine's own): its exit code and output. */
function runIn(netns: string | undefined, cmd: string[], timeout = 15000): { code: number; out: string } {
    const [bin, ...args] = netns ? ["ip", "netns", "exec", netns, ...cmd] : cmd;
    const r = spawnSync(bin, args, { encoding: "utf8", timeout, cwd: ROOT });
    return { code: r.status ?? -1, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

const inClient = (...cmd: string[]) => runIn(CLIENT_NS, cmd);

/** The body curl gets in a namespace, or undefined (any error, any status but 200). */
function curlIn(netns: string | undefined, url: string, ...extra: string[]): string | undefined {
    const r = runIn(netns, ["curl", "-sS", "-f", "-m", "5", ...extra, url]);
    return r.code === 0 ? r.out : undefined;
}

/** The body curl gets from ee-client, or undefined. */
export function get(url: string, ...extra: string[]): string | undefined {
    return curlIn(CLIENT_NS, url, ...extra);
}

/** Waits (at most 60 × 1 s) until `ok` holds. */
export async function until(ok: () => boolean): Promise<boolean> {
    for (let i = 0; i < 60; i++) {
        if (ok()) return true;
        await new Promise((r) => setTimeout(r, 1000));
    }
    return ok();
}

const echoPods = (app: string) =>
    listObjects("pods", "echo").filter(
        (p) => p.metadata.labels?.app === app && p.status.phase === "Running" && p.status.podIP && !p.metadata.deletionTimestamp,
    );

/** The ready endpoint addresses the Service's EndpointSlices list (what kube-proxy programs). */
function readyEndpoints(service: string): string[] {
    return listObjects("endpointslices", "echo")
        .filter((s) => s.metadata.labels?.["kubernetes.io/service-name"] === service)
        .flatMap((s) => (s.endpoints ?? []).filter((e: any) => e.conditions?.ready !== false).flatMap((e: any) => e.addresses))
        .sort();
}

/**
 * Waits until the Service's endpoints are exactly the running pods, each pod's process answers, and
 * 5 requests in a row through the Service answer: after a rollout or a scale, the endpointslice
 * controller and kube-proxy follow the API server a moment later, as on any cluster.
 */
async function settled(service: string, app: string, text: string): Promise<any[]> {
    let pods: any[] = [];
    await until(() => {
        pods = echoPods(app);
        const ips = pods.map((p) => p.status.podIP).sort();
        return (
            pods.length > 0 &&
            JSON.stringify(readyEndpoints(service)) === JSON.stringify(ips) &&
            pods.every((p) => get(`http://${p.status.podIP}:5678/`) === text) &&
            Array.from({ length: 5 }).every(() => get(`http://${service}`) === text)
        );
    });
    return pods;
}

/** How many requests each echo pod's http-echo has logged (pods.py writes one log per pod). */
function requestsLogged(pod: string): number {
    const file = path.join(STATE, "logs", `pod-${pod}.log`);
    return fs.existsSync(file)
        ? fs
              .readFileSync(file, "utf8")
              .split("\n")
              .filter((l) => l.includes('"GET ')).length
        : 0;
}

/** After dev's up: every Service URL that can be reached here answers with the stack's text. */
export async function trafficChecks(t: Tally, outputs: Record<string, any>, text: string): Promise<void> {
    const pods = echoPods("http-echo");
    const atPods = await until(() => pods.length > 0 && pods.every((p) => get(`http://${p.status.podIP}:5678/`) === text));
    t.check("traffic: each echo pod's http-echo answers at its kwok IP with the stack's text", atPods, pods.map((p) => p.status.podIP).join(", "));
    // urls.clusterIP is the Service's DNS name: CoreDNS resolves it (or the hosts file standing in).
    t.check("traffic: urls.clusterIP answers through kube-proxy (ClusterIP)", await until(() => get(outputs.urls.clusterIP) === text), outputs.urls.clusterIP);
    // urls.nodePort names localhost (kind maps it to the node): here the node is ee-node's bridge address.
    const nodePort = new URL(outputs.urls.nodePort);
    t.check(
        "traffic: urls.nodePort answers through kube-proxy (NodePort on the node's address)",
        get(outputs.urls.nodePort, "--connect-to", `${nodePort.hostname}:${nodePort.port}:${NODE_IP}:${nodePort.port}`) === text,
        outputs.urls.nodePort,
    );
    // The tutorial's check, `wget -O- -q veri-service`, with Debian's busybox-static (1.35) in a pod
    // namespace of the echo namespace. inClusterCheck adds -T 5, which that busybox's wget crashes on.
    const wget = inClient("busybox", "wget", "-O-", "-q", "http://veri-service");
    t.check("traffic: the tutorial's `wget -O- -q veri-service` from a pod namespace answers", wget.code === 0 && wget.out === text, wget.out);
    t.check("traffic: kube-proxy programmed nftables chains for the echo Services in the node's namespace", echoNftLines().length > 0);
    t.check(
        "traffic: the root namespace has no route to the Service range",
        spawnSync("ip", ["route", "get", "10.96.0.10"], { encoding: "utf8" }).status !== 0,
    );
}

/**
 * The portForward output's command, run as printed (`kubectl port-forward … svc/<service> 8080:80`):
 * the API server asks the node's kubelet API, which kwok serves; the pod's kwok PortForward
 * (scripts/cluster/pods.py) connects inside the pod's namespace, as a runtime would. The URL is
 * fetched in the root namespace, where the command listens.
 */
export async function portForwardChecks(t: Tally, outputs: Record<string, any>, text: string): Promise<void> {
    const { command, url } = outputs.portForward;
    const forward = spawn("bash", ["-c", `exec ${command}`], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let printed = "";
    forward.stdout.on("data", (d) => (printed += d));
    forward.stderr.on("data", (d) => (printed += d));
    try {
        t.check(
            "traffic: the portForward output's command, run as printed, answers at its URL",
            await until(() => curlIn(undefined, url) === text),
            `${command}; ${url}: ${printed.trim()}`,
        );
    } finally {
        process.kill(-forward.pid!, "SIGTERM");
    }
}

/**
 * The kind workflow's checker (scripts/e2e-check.ts, run as the workflow runs it) on what can be
 * reached here: the NodePort URL from the pod-like namespace, its host connected to the node's
 * address (--resolve-to, as the workflow connects kind's hosts to 127.0.0.1), and the port-forward
 * from the root namespace, where kubectl reaches the API server. The Ingress, Gateway and
 * LoadBalancer addresses are kwok's simulated ones: nothing serves them here.
 */
export function e2eCheckerChecks(t: Tally, outputs: Record<string, any>, text: string): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "echo-e2e-"));
    const checker = (name: string, subset: object, flags: string[], netns?: string) => {
        const file = path.join(dir, `${name}.json`);
        fs.writeFileSync(file, JSON.stringify(subset));
        const r = runIn(netns, ["npx", "ts-node", "--transpile-only", path.join(ROOT, "scripts", "e2e-check.ts"), file, text, ...flags], 120000);
        return { ok: r.code === 0, out: r.out };
    };
    const nodePort = checker("nodePort", { urls: { nodePort: outputs.urls.nodePort } }, ["--resolve-to", NODE_IP], CLIENT_NS);
    t.check("traffic: scripts/e2e-check.ts passes urls.nodePort (from a pod namespace, --resolve-to the node)", nodePort.ok, nodePort.out);
    const forward = checker("portForward", { urls: {}, portForward: outputs.portForward }, ["--port-forward", "--context", CONTEXT]);
    t.check("traffic: scripts/e2e-check.ts --port-forward passes the portForward command", forward.ok, forward.out);
}

/** With several replicas: requests to the Service reach every pod (each pod's http-echo logs its own). */
export async function spreadChecks(t: Tally, outputs: Record<string, any>, text: string, replicas: number): Promise<void> {
    const pods = await settled("veri-service", "http-echo", text);
    const before = pods.map((p) => requestsLogged(p.metadata.name));
    const answers = Array.from({ length: 40 }, () => get(outputs.urls.clusterIP));
    const after = pods.map((p) => requestsLogged(p.metadata.name));
    t.check(
        "traffic: 40 requests to the Service all answer",
        answers.every((a) => a === text),
        JSON.stringify(answers.filter((a) => a !== text).slice(0, 3)),
    );
    t.check(
        `traffic: requests reach all ${replicas} pods (each pod's http-echo logged some)`,
        pods.length === replicas && after.every((n, i) => n > before[i]),
        pods.map((p, i) => `${p.metadata.name}: ${after[i] - before[i]}`).join(", "),
    );
}

/** With a canary: its Service answers the canary's text, the stable Service never does. */
export async function canaryTrafficChecks(t: Tally, stableText: string, canaryText: string): Promise<void> {
    const canary = await until(() => echoPods("http-echo-canary").length > 0 && get("http://veri-service-canary") === canaryText);
    t.check("traffic: veri-service-canary answers with the canary's text", canary);
    // kwok marks a pod Ready at once; its sandbox starts within the supervisor's 2 s poll: wait for
    // every stable pod's process and the Service's endpoints first (the readiness a probe would give).
    await settled("veri-service", "http-echo", stableText);
    const stable = Array.from({ length: 20 }, () => get("http://veri-service"));
    t.check(
        "traffic: veri-service answers with the stable text only (20 requests)",
        stable.every((a) => a === stableText),
        JSON.stringify([...new Set(stable)]),
    );
}

/** kube-proxy names its nftables chains after each Service port's namespace/name (pkg/proxy/nftables/proxier.go servicePortChainNameBase). */
function echoNftLines(): string[] {
    return spawnSync("ip", ["netns", "exec", "ee-node", "nft", "list", "ruleset"], { encoding: "utf8" })
        .stdout.split("\n")
        .filter((l) => l.includes("echo/"));
}

/** After destroy: nothing answers, and no pod sandbox is left. */
export async function goneChecks(t: Tally, clusterIpUrl: string): Promise<void> {
    const sandboxes = () =>
        spawnSync("ip", ["netns", "list"], { encoding: "utf8" })
            .stdout.split("\n")
            .filter((l) => l.startsWith("ee-p"));
    t.check("traffic: after destroy no pod sandbox is left", await until(() => sandboxes().length === 0), sandboxes().join(", "));
    t.check("traffic: after destroy the Service URL answers nothing", get(clusterIpUrl) === undefined);
    const left = echoNftLines;
    t.check(
        "traffic: after destroy kube-proxy keeps no nftables chain or rule of the echo Services",
        await until(() => left().length === 0),
        left().slice(0, 5).join("\n"),
    );
}
