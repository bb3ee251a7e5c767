import { spawn } from "child_process";
import * as http from "http";
import * as https from "https";
import { LookupFunction } from "net";
import * as tls from "tls";

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
    /** Set when the stack has a canary (components/clientCommands.ts canaryHelp). */
    canary?: { weight: number; header?: { name: string; value: string } };
}

/** clusterIP URLs are in-cluster DNS names: the inClusterCheck output covers them. */
const IN_CLUSTER = /\.svc\.cluster\.local(:\d+)?$/;

export interface CheckOptions {
    /** Also run the portForward command and GET its URL. */
    portForward?: boolean;
    /** The kube context for the port-forward (the stack's kubernetes:context), instead of the current one. */
    context?: string;
    /** PEM of the CA that signs the https URLs' certificates (the dev stack's own CA), besides the system's. */
    ca?: string;
    /** Connect every URL's host to this address (kind: 127.0.0.1, where the port mappings are), whatever DNS says. */
    resolveTo?: string;
    /** How long an echo check keeps retrying (a proxy that has just started may answer 404 or 503 for a while). */
    retryForMs?: number;
}

export async function checkStackOutputs(outputs: StackOutputs, text: string, options: CheckOptions = {}): Promise<Check[]> {
    const checks: Check[] = [];
    for (const [exposure, url] of Object.entries(outputs.urls)) {
        if (IN_CLUSTER.test(url)) continue;
        checks.push(await expectEcho(`urls.${exposure}`, url, text, options));
    }
    for (const [name, list] of [
        ["ingressUrls", outputs.ingressUrls],
        ["gatewayUrls", outputs.gatewayUrls],
    ] as const) {
        for (const url of list ?? []) {
            checks.push(await expectEcho(name, url, text, options));
            checks.push(await expectNotRouted(`${name} (unrouted path)`, unroutedSibling(url), options));
        }
    }
    if (options.portForward && outputs.portForward) {
        checks.push(
            await withPortForward(outputs.portForward.command, options.context, () => expectEcho("portForward", outputs.portForward!.url, text, options)),
        );
    }
    return checks;
}

async function expectEcho(what: string, url: string, text: string, options: CheckOptions): Promise<Check> {
    if (!/^https?:\/\//.test(url)) return { what, url, ok: false, detail: "not a URL (an address is not known yet?)" };
    const deadline = Date.now() + (options.retryForMs ?? 60000);
    for (;;) {
        let check: Check;
        try {
            const response = await get(url, options);
            const ok = response.status === 200 && response.body.trim().includes(text);
            check = { what, url, ok, detail: `${response.status} ${JSON.stringify(response.body.trim().slice(0, 80))}` };
        } catch (e) {
            check = { what, url, ok: false, detail: String(e) };
        }
        if (check.ok || Date.now() >= deadline) return check;
        await sleep(3000);
    }
}

async function expectNotRouted(what: string, url: string, options: CheckOptions): Promise<Check> {
    try {
        const response = await get(url, options);
        return { what, url, ok: response.status === 404, detail: `${response.status} (expected 404 from the proxy's default backend)` };
    } catch (e) {
        return { what, url, ok: false, detail: String(e) };
    }
}

/**
 * One GET, not following redirects: over https with the given CA added to the system's, and with
 * the URL's host connected to `resolveTo` when set (the Host header and SNI stay the URL's host,
 * as with curl --resolve).
 */
export function get(
    url: string,
    options: Pick<CheckOptions, "ca" | "resolveTo"> & { headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
    const u = new URL(url);
    const lookup: LookupFunction | undefined = options.resolveTo
        ? (_host, opts, callback) => {
              const family = options.resolveTo!.includes(":") ? 6 : 4;
              // Node asks for all addresses when autoSelectFamily is on (its default since 20).
              if ((opts as { all?: boolean }).all) (callback as any)(null, [{ address: options.resolveTo!, family }]);
              else callback(null, options.resolveTo!, family);
          }
        : undefined;
    const client = u.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = client.get(
            u,
            {
                lookup,
                timeout: 5000,
                headers: options.headers,
                ...(u.protocol === "https:" && options.ca ? { ca: [...tls.rootCertificates, options.ca] } : {}),
            },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (body += chunk));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
            },
        );
        req.on("timeout", () => req.destroy(new Error("timed out after 5 s")));
        req.on("error", reject);
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same origin with a path no rule routes: `/vericonf` becomes `/not-vericonf-<n>`. */
function unroutedSibling(url: string): string {
    const u = new URL(url);
    u.pathname = `/not-${u.pathname.replace(/^\//, "").replace(/\//g, "-") || "root"}-${Date.now()}`;
    return u.toString();
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
