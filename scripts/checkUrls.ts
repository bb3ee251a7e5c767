import { spawn } from "child_process";

/*
 * What "the URLs work" means, checked against a real cluster: every URL a stack outputs answers
 * with the echo text, each routed path is routed (and a path that is not routed is not), and the
 * port-forward command gives a working URL. Used by scripts/e2e-check.ts (the e2e workflow) and
 * test/integration (the Automation API test). Needs a cluster: never run by `npm test`.
 */

export interface Check {
    what: string;
    url: string;
    ok: boolean;
    detail: string;
}

export interface StackOutputs {
    urls: Record<string, string>;
    ingressUrls?: string[];
    gatewayUrls?: string[];
    portForward?: { command: string; url: string };
}

/** clusterIP URLs are in-cluster DNS names: the inClusterCheck output covers them. */
const IN_CLUSTER = /\.svc\.cluster\.local(:\d+)?$/;

export interface CheckOptions {
    /** Also run the portForward command and GET its URL. */
    portForward?: boolean;
    /** The kube context for the port-forward (the stack's kubernetes:context), instead of the current one. */
    context?: string;
}

export async function checkStackOutputs(outputs: StackOutputs, text: string, options: CheckOptions = {}): Promise<Check[]> {
    const checks: Check[] = [];
    for (const [exposure, url] of Object.entries(outputs.urls)) {
        if (IN_CLUSTER.test(url)) continue;
        checks.push(await expectEcho(`urls.${exposure}`, url, text));
    }
    for (const [name, list] of [
        ["ingressUrls", outputs.ingressUrls],
        ["gatewayUrls", outputs.gatewayUrls],
    ] as const) {
        for (const url of list ?? []) {
            checks.push(await expectEcho(name, url, text));
            checks.push(await expectNotRouted(`${name} (unrouted path)`, unroutedSibling(url)));
        }
    }
    if (options.portForward && outputs.portForward) {
        checks.push(await withPortForward(outputs.portForward.command, options.context, () => expectEcho("portForward", outputs.portForward!.url, text)));
    }
    return checks;
}

async function expectEcho(what: string, url: string, text: string): Promise<Check> {
    if (!/^https?:\/\//.test(url)) return { what, url, ok: false, detail: "not a URL (an address is not known yet?)" };
    try {
        const response = await fetchWithRetry(url);
        const body = (await response.text()).trim();
        const ok = response.status === 200 && body.includes(text);
        return { what, url, ok, detail: `${response.status} ${JSON.stringify(body.slice(0, 80))}` };
    } catch (e) {
        return { what, url, ok: false, detail: String(e) };
    }
}

async function expectNotRouted(what: string, url: string): Promise<Check> {
    try {
        const response = await fetchWithRetry(url, 1);
        return { what, url, ok: response.status === 404, detail: `${response.status} (expected 404 from the proxy's default backend)` };
    } catch (e) {
        return { what, url, ok: false, detail: String(e) };
    }
}

/** The same origin with a path no rule routes: `/vericonf` becomes `/not-vericonf-<n>`. */
function unroutedSibling(url: string): string {
    const u = new URL(url);
    u.pathname = `/not-${u.pathname.replace(/^\//, "").replace(/\//g, "-") || "root"}-${Date.now()}`;
    return u.toString();
}

/** Load balancers and controllers take a moment to pick up a new backend: retry a few times. */
async function fetchWithRetry(url: string, attempts = 10): Promise<Response> {
    let last: unknown;
    for (let i = 0; i < attempts; i++) {
        try {
            const response = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: "manual" });
            if (response.status < 500 || i === attempts - 1) return response;
            last = new Error(`HTTP ${response.status}`);
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, 3000));
    }
    throw last;
}

async function withPortForward(command: string, context: string | undefined, check: () => Promise<Check>): Promise<Check> {
    const [cmd, ...args] = command.split(" ");
    const child = spawn(cmd, [...(context ? ["--context", context] : []), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    try {
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("port-forward did not start within 20 s")), 20000);
            child.stdout.on("data", (d: Buffer) => d.toString().includes("Forwarding from") && (clearTimeout(timer), resolve()));
            child.on("exit", (code) => reject(new Error(`port-forward exited with ${code}`)));
            // A missing kubectl is an 'error' event (spawn ENOENT); unhandled, it would crash the run.
            child.on("error", (e) => (clearTimeout(timer), reject(new Error(`could not run ${cmd}: ${e.message}`))));
        });
        return await check();
    } catch (e) {
        return { what: "portForward", url: command, ok: false, detail: String(e) };
    } finally {
        child.kill();
    }
}
