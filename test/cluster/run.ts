/*
 * npm run test:cluster — the shipped stacks under the real Pulumi engine, the real kubernetes
 * provider and its Helm, against the local control plane (npm run cluster:up: a real API server,
 * controller manager and scheduler; kwok's fake nodes and pods). Ends with `N passed, N failed`.
 *
 * The program runs as an Automation API inline program (stack.ts). The stack
 * config is each shipped Pulumi.<stack>.yaml, unmodified for dev; staging's and prod's placeholders
 * (their kube context, the ACME contact) are replaced by test values.
 */
import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// Like the offline suite: the mirror beside the checkout, when nobody named one (test/support/mirror.ts).
import "../support/mirror";
import { ROOT } from "../support/program";
import { canaryTrafficChecks, e2eCheckerChecks, goneChecks, portForwardChecks, spreadChecks, trafficChecks, trafficTier } from "./traffic";
import { criticalPath } from "./criticalPath";
import { BIN, clusterEnv, CONTEXT, TOOLS, getObject, listObjects, missingTools, PROVIDER_VERSION, run, scratchProject, seconds, STATE, Tally } from "./harness";
import { benchUp } from "./bench";
import { openStack, timer } from "./stack";
import { runPeer } from "./peer";

/** dev's change step scales the echo Deployment to this (issue 26: requests then reach every pod). */
const REPLICAS = 3;
/** Namespaces the program creates (dev: all four; staging and prod: three of them). */
const PROGRAM_NAMESPACES = ["echo", "ingress-nginx", "nginx-gateway", "cert-manager"];

/**
 * The program's own warnings in an operation's event stream (issue 27): diagnostics of severity
 * warning on the stack resource or on no resource (the Node.js SDK's `pulumi.log.warn` without a
 * resource sends an empty URN). The CLI's notes about where it found a plugin are not the program's.
 */
function programWarnings(): { onEvent: (e: EngineEvent) => void; list: string[] } {
    const list: string[] = [];
    return {
        list,
        onEvent: (e) => {
            const d = e.diagnosticEvent;
            if (d?.severity !== "warning" || (d.urn && !d.urn.includes("::pulumi:pulumi:Stack::"))) return;
            if (/plugin/i.test(d.message) && !d.urn) return;
            list.push(d.message.trim());
        },
    };
}

/** Runs a preview or up with a warnings watch, and fails it when the program warned. */
async function quietly<T>(t: Tally, name: string, op: (onEvent: (e: EngineEvent) => void) => Promise<T>, also?: (e: EngineEvent) => void): Promise<T> {
    const warnings = programWarnings();
    const result = await op((e) => (warnings.onEvent(e), also?.(e)));
    t.check(`${name}: no warning from the program`, warnings.list.length === 0, warnings.list.join("\n"));
    return result;
}

/** Appends the CLI's output of each operation to STATE/logs/<stack>.log, for reading after a run. */
function logTo(stack: string): (out: string) => void {
    const file = path.join(STATE, "logs", `pulumi-${stack}.log`);
    return (out) => fs.appendFileSync(file, out);
}

interface Speed {
    previewSeconds?: number;
    upSeconds?: number;
    destroySeconds?: number;
    criticalPathSeconds?: number;
    criticalPath?: string[];
    peerSeconds?: number;
    peerSteps?: Record<string, number>;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
    const start = Date.now();
    const result = await fn();
    return [result, Date.now() - start];
}

/** Only the timed part of dev: preview, up (with its critical path), destroy; for side-by-side timing against the peer. */
async function devSpeed(t: Tally, backend: string, speed: Speed): Promise<void> {
    console.log("dev, timed (preview, up, destroy):");
    const stack = await openStack("dev", scratchProject("dev"), backend);
    const [, previewMs] = await timed(() => stack.preview({ onOutput: logTo("dev") }));
    const clock = timer();
    const [up, upMs] = await timed(() => t.step("up", () => stack.up({ onEvent: clock.onEvent, onOutput: logTo("dev") })));
    if (up) {
        const cp = criticalPath(clock.times, (await stack.exportStack()).deployment.resources);
        Object.assign(speed, { criticalPathSeconds: seconds(cp.ms), criticalPath: cp.chain });
    }
    const [, destroyMs] = await timed(() => destroy(t, stack, "dev"));
    Object.assign(speed, { previewSeconds: seconds(previewMs), upSeconds: seconds(upMs), destroySeconds: seconds(destroyMs) });
    checkClean(t, "dev");
}

/**
 * Issue 24.5: a text set with `pulumi config set --secret` is encrypted in the state the engine
 * writes (the exported deployment holds only ciphertext for it), yet the pods answer with it.
 */
async function secretText(t: Tally, stack: Stack, backend: string): Promise<void> {
    const text = "a secret answer 7f3c";
    await stack.setConfig("echo-exposure:text", { value: text, secret: true });
    if (await t.step("up with text set as a secret", () => stack.up({ onOutput: logTo("dev") }))) {
        // The state file the engine wrote (the Automation API's exportStack shows secrets decrypted).
        const file = stateFile(backend, "dev");
        const state = file ? fs.readFileSync(file, "utf8") : "";
        const plain = file
            ? (JSON.parse(state).checkpoint?.latest?.resources ?? []).flatMap((r: any) => pathsOf(r, text).map((p) => `${r.urn}: ${p}`))
            : ["no state file"];
        t.check("the exported state holds the secret text only encrypted", !state.includes(text) && state.includes("ciphertext"), plain.slice(0, 8).join("\n"));
        const args: string[] = getObject("deployment", "http-echo", "echo")?.spec?.template?.spec?.containers?.[0]?.args ?? [];
        t.check("the Deployment still runs http-echo with that text", args.includes(`-text=${text}`), JSON.stringify(args));
    }
}

/** The file backend's state file of a stack (`.pulumi/stacks/<project>/<stack>.json`). */
function stateFile(backend: string, stack: string): string | undefined {
    const find = (dir: string): string | undefined => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) {
                const found = find(p);
                if (found) return found;
            } else if (e.name === `${stack}.json` && dir.includes(`${path.sep}stacks`)) return p;
        }
        return undefined;
    };
    return find(path.join(backend, ".pulumi"));
}

/** Where `text` occurs as (part of) a string value in `value`: JSON paths, for a failure's detail. */
function pathsOf(value: unknown, text: string, at = ""): string[] {
    if (typeof value === "string") return value.includes(text) ? [at || "."] : [];
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => pathsOf(v, text, `${at}.${k}`));
    return [];
}

/** The dev stack: preview, up, outputs against the API server, no-change previews, refresh, a change, destroy. */
async function dev(t: Tally, backend: string, speed: Speed): Promise<void> {
    console.log("dev:");
    const stack = await openStack("dev", scratchProject("dev"), backend);
    const preview = await t.step("preview", async () => {
        const [r, ms] = await timed(() => quietly(t, "preview", (onEvent) => stack.preview({ onEvent, onOutput: logTo("dev") })));
        speed.previewSeconds = seconds(ms);
        return r;
    });
    if (preview) t.check("preview plans creates", (preview.changeSummary.create ?? 0) > 20, JSON.stringify(preview.changeSummary));
    const clock = timer();
    const up = await t.step("up", async () => {
        const [r, ms] = await timed(() => quietly(t, "up", (onEvent) => stack.up({ onEvent, onOutput: logTo("dev") }), clock.onEvent));
        speed.upSeconds = seconds(ms);
        return r;
    });
    if (!up) return void (await destroy(t, stack, "dev"));
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])) as Record<string, any>;
    const deployment = await stack.exportStack();
    const cp = criticalPath(clock.times, deployment.deployment.resources);
    speed.criticalPathSeconds = seconds(cp.ms);
    speed.criticalPath = cp.chain;

    checkDevOutputs(t, outputs);
    const traffic = trafficTier();
    const textNow = async () => (await stack.getConfig("echo-exposure:text")).value;
    if (traffic) {
        await trafficChecks(t, outputs, await textNow());
        await portForwardChecks(t, outputs, await textNow());
        e2eCheckerChecks(t, outputs, await textNow());
    } else console.log("  pending  traffic: the traffic tier is off (cluster:up says why: root, nftables, socat, the http-echo and kube-proxy builds)");
    await t.step("preview --expect-no-changes after up", () => quietly(t, "no-change preview", (onEvent) => stack.preview({ onEvent, expectNoChanges: true })));
    await t.step("refresh", () => stack.refresh());
    await t.step("preview --expect-no-changes after refresh", () => stack.preview({ expectNoChanges: true }));

    // A change reaches the cluster: more replicas, and one more host on the Ingress and the routes.
    const change = async () => {
        await stack.setConfig("echo-exposure:replicas", { value: String(REPLICAS) });
        const routing = JSON.parse((await stack.getConfig("echo-exposure:routing")).value);
        // With a rewrite: its Ingress path is a regex (ImplementationSpecific), which the API server must accept.
        routing.hosts.push({ host: "added.localtest.me", rewrite: { pathPrefix: "/" } });
        await stack.setConfig("echo-exposure:routing", { value: JSON.stringify(routing) });
        return stack.up();
    };
    if (await t.step(`up with replicas ${REPLICAS} and a new host with a rewrite`, change)) {
        t.check(`the Deployment has ${REPLICAS} replicas`, getObject("deployment", "http-echo", "echo")?.spec?.replicas === REPLICAS);
        t.check(`${REPLICAS} echo pods run`, runningEchoPods().length === REPLICAS, podSummary());
        const paths = listObjects("ingresses", "echo").flatMap((i) =>
            (i.spec.rules ?? [])
                .filter((r: any) => r.host === "added.localtest.me")
                .flatMap((r: any) => r.http.paths.map((p: any) => `${i.metadata.name} ${p.pathType} ${p.path}`)),
        );
        t.check(
            "an Ingress of its own routes the new host on the rewrite's regex path",
            paths.length === 1 && paths[0] === "veri-ingress-1 ImplementationSpecific /(?-i)vericonf(/|$)(.*)",
            JSON.stringify(paths),
        );
        if (traffic) await spreadChecks(t, outputs, await textNow(), REPLICAS);
        const route = listObjects("httproutes.gateway.networking.k8s.io", "echo").find((r) => r.spec.hostnames?.includes("added.localtest.me"));
        t.check(
            "an HTTPRoute routes the new host, rewriting its prefix",
            (route?.spec.rules ?? []).some((r: any) => r.filters?.some((f: any) => f.urlRewrite?.path?.replacePrefixMatch === "/")),
            JSON.stringify(route?.spec.rules?.map((r: any) => r.filters)),
        );
    }
    await secretText(t, stack, backend);
    await canarySteps(t, stack, traffic ? (canaryText) => textNow().then((stable) => canaryTrafficChecks(t, stable, canaryText)) : undefined);
    const [, destroyMs] = await timed(() => destroy(t, stack, "dev"));
    speed.destroySeconds = seconds(destroyMs);
    checkClean(t, "dev");
    if (traffic) await goneChecks(t, outputs.urls.clusterIP);
}

/**
 * The canary on dev: turning it on adds its Deployment, Service, canary Ingress and weighted
 * routes and leaves the stable Deployment the same object (same uid: not replaced); turning it off
 * removes them, the stable Deployment still the same object.
 */
async function canarySteps(t: Tally, stack: Stack, traffic?: (canaryText: string) => Promise<void>): Promise<void> {
    const uid = () => getObject("deployment", "http-echo", "echo")?.metadata?.uid;
    const stableUid = uid();
    const canary = { text: "hello from the canary", weight: 20, header: { name: "X-Canary", value: "always" } };
    const on = async () => {
        await stack.setConfig("echo-exposure:canary", { value: JSON.stringify(canary) });
        return stack.up({ onOutput: logTo("dev") });
    };
    if (await t.step("up with a canary (weight 20, header X-Canary)", on)) {
        t.check("the stable Deployment is the same object (not replaced)", uid() === stableUid && stableUid !== undefined);
        t.check(
            "the canary Deployment runs its pods",
            listObjects("pods", "echo").some((p) => p.metadata.labels?.app === "http-echo-canary" && p.status.phase === "Running"),
        );
        const endpoints = getObject("endpoints", "veri-service-canary", "echo")?.subsets?.[0]?.addresses ?? [];
        t.check("veri-service-canary has the canary pods as endpoints", endpoints.length === 1, JSON.stringify(endpoints));
        const stableEndpoints = getObject("endpoints", "veri-service", "echo")?.subsets?.[0]?.addresses ?? [];
        t.check(
            `veri-service still has only the stable pods (${REPLICAS})`,
            stableEndpoints.length === REPLICAS,
            JSON.stringify(stableEndpoints.map((a: any) => a.targetRef?.name)),
        );
        const annotations = getObject("ingress", "veri-ingress-canary", "echo")?.metadata?.annotations ?? {};
        t.check(
            "the canary Ingress carries weight 20 and the header",
            annotations["nginx.ingress.kubernetes.io/canary-weight"] === "20" && annotations["nginx.ingress.kubernetes.io/canary-by-header"] === "X-Canary",
        );
        const weights = listObjects("httproutes.gateway.networking.k8s.io", "echo")
            .flatMap((r) => r.spec.rules)
            .filter((r: any) => (r.backendRefs ?? []).length === 2)
            .map((r: any) => r.backendRefs.map((b: any) => b.weight).join("/"));
        t.check("the routed HTTPRoute rules split 80/20", weights.length > 0 && weights.every((w: string) => w === "80/20"), JSON.stringify(weights));
        await traffic?.(canary.text);
        await t.step("preview --expect-no-changes with the canary", () => stack.preview({ expectNoChanges: true }));
    }
    const off = async () => {
        await stack.removeConfig("echo-exposure:canary");
        return stack.up({ onOutput: logTo("dev") });
    };
    if (await t.step("up without the canary", off)) {
        t.check(
            "the canary's objects are gone",
            getObject("deployment", "http-echo-canary", "echo") === undefined && getObject("ingress", "veri-ingress-canary", "echo") === undefined,
        );
        t.check("the stable Deployment is still the same object", uid() === stableUid);
    }
}

/**
 * An existing stack upgrades in place: dev deployed by an older checkout (`from`, a git ref), then
 * previewed and updated by this one. Nothing may be replaced or deleted: a replaced Namespace
 * takes everything in it along, a replaced Deployment is an outage. Run on demand:
 * `ECHO_EXPOSURE_UPGRADE_FROM=<ref> npm run test:cluster -- upgrade`.
 */
async function upgrade(t: Tally, backend: string, from: string): Promise<void> {
    console.log(`upgrade (dev from ${from}):`);
    const old = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-old-"));
    run("git", ["-C", ROOT, "worktree", "add", "--detach", old, from]);
    try {
        // The older checkout runs with this checkout's packages (a superset of what it needs).
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(old, "node_modules"));
        // The older checkout's own dev config (this one's may have keys it does not know).
        const workDir = scratchProject("dev", () => fs.readFileSync(path.join(old, "Pulumi.dev.yaml"), "utf8"));
        // ECHO_EXPOSURE_UPGRADE_CLI: a folder whose bin/pulumi is the CLI the older checkout shipped with.
        const oldCli = process.env.ECHO_EXPOSURE_UPGRADE_CLI ?? TOOLS;
        console.log(`  (deployed with the CLI in ${oldCli}, updated with ${TOOLS})`);
        const before = await openStack("dev", workDir, backend, path.join(old, "index.ts"), oldCli);
        if (!(await t.step(`up with ${from}`, () => before.up({ onOutput: logTo("dev") })))) return void (await destroy(t, before, "dev"));
        const uids = () => ({
            namespace: getObject("namespace", "echo")?.metadata?.uid,
            deployment: getObject("deployment", "http-echo", "echo")?.metadata?.uid,
        });
        const was = uids();
        const after = await openStack("dev", workDir, backend);
        const preview = await t.step("preview with this checkout", () => after.preview({ onOutput: logTo("dev") }));
        if (preview) {
            const c = preview.changeSummary as Record<string, number | undefined>;
            const destructive = ["delete", "replace", "create-replacement", "delete-replaced"].filter((op) => (c[op] ?? 0) > 0);
            t.check("the preview replaces and deletes nothing", destructive.length === 0, JSON.stringify(c));
        }
        if (await t.step("up with this checkout", () => after.up({ onOutput: logTo("dev") }))) {
            const now = uids();
            t.check("the echo Namespace is the same object", now.namespace === was.namespace && was.namespace !== undefined, JSON.stringify({ was, now }));
            t.check("the stable Deployment is the same object", now.deployment === was.deployment && was.deployment !== undefined);
            await t.step("preview --expect-no-changes after the upgrade", () => after.preview({ expectNoChanges: true }));
            // Then this checkout's dev config (the routing model's policies): added objects, nothing replaced.
            fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(workDir, "Pulumi.dev.yaml"));
            const policies = await t.step("up with this checkout's dev config", () => after.up({ onOutput: logTo("dev") }));
            if (policies) {
                const c = (policies.summary.resourceChanges ?? {}) as Record<string, number | undefined>;
                const destructive = ["delete", "replace", "create-replacement", "delete-replaced"].filter((op) => (c[op] ?? 0) > 0);
                t.check("the new config replaces and deletes nothing", destructive.length === 0, JSON.stringify(c));
                t.check("the stable Deployment is still the same object", uids().deployment === was.deployment);
            }
        }
        await destroy(t, after, "dev");
        checkClean(t, "dev");
    } finally {
        run("git", ["-C", ROOT, "worktree", "remove", "--force", old]);
    }
}

function runningEchoPods(): any[] {
    return listObjects("pods", "echo").filter((p) => p.metadata.labels?.app === "http-echo" && p.status.phase === "Running");
}

function podSummary(): string {
    return listObjects("pods", "echo")
        .map((p) => `${p.metadata.name} ${p.status.phase}`)
        .join(", ");
}

function checkDevOutputs(t: Tally, outputs: Record<string, any>): void {
    // urls.nodePort carries the node port the Service holds (the API server allocated or accepted it).
    const nodePortService = listObjects("services", "echo").find((s) => s.spec.type === "NodePort");
    const nodePort = nodePortService?.spec.ports[0].nodePort;
    t.check(
        "urls.nodePort is the NodePort Service's node port",
        new URL(outputs.urls.nodePort).port === String(nodePort),
        `${outputs.urls.nodePort} vs ${nodePort}`,
    );
    // urls.clusterIP names the ClusterIP Service by its DNS name and port.
    const clusterIp = new URL(outputs.urls.clusterIP);
    const [svcName, svcNs] = clusterIp.hostname.split(".");
    const svc = getObject("service", svcName, svcNs);
    t.check(
        "urls.clusterIP names the ClusterIP Service and its port",
        svc?.spec.type === "ClusterIP" && String(svc.spec.ports[0].port) === (clusterIp.port || "80"),
        outputs.urls.clusterIP,
    );
    t.check("the ClusterIP Service has the echo pods as endpoints", (getObject("endpoints", svcName, svcNs)?.subsets?.[0]?.addresses ?? []).length >= 1);
    // Every Ingress URL is a host/path rule of the Ingress; every Gateway URL one of an HTTPRoute.
    const ing = getObject("ingress", "veri-ingress", "echo");
    const ingressRoutes = (ing?.spec.rules ?? []).flatMap((r: any) => r.http.paths.map((p: any) => `${r.host ?? "*"}${p.path}`));
    const routeOf = (u: string) => {
        const url = new URL(u);
        return `${url.hostname === "localhost" ? "*" : url.hostname}${url.pathname}`;
    };
    t.check(
        "every ingressUrls entry is a rule of the Ingress",
        outputs.ingressUrls.every((u: string) => ingressRoutes.includes(routeOf(u))),
        `${JSON.stringify(outputs.ingressUrls)} vs ${JSON.stringify(ingressRoutes)}`,
    );
    const httpRoutes = listObjects("httproutes.gateway.networking.k8s.io", "echo").flatMap((r) =>
        (r.spec.hostnames ?? ["*"]).flatMap((h: string) => r.spec.rules.flatMap((rule: any) => (rule.matches ?? []).map((m: any) => `${h}${m.path?.value}`))),
    );
    t.check(
        "every gatewayUrls entry is a rule of an HTTPRoute",
        outputs.gatewayUrls.every((u: string) => httpRoutes.includes(routeOf(u))),
        `${JSON.stringify(outputs.gatewayUrls)} vs ${JSON.stringify(httpRoutes)}`,
    );
    // TLS: a Certificate per TLS entry, for the hosts the https URLs use, and the CA Secret trustCa names.
    const certs = listObjects("certificates.cert-manager.io", "echo");
    const httpsHosts = [...outputs.ingressUrls, ...outputs.gatewayUrls].filter((u: string) => u.startsWith("https:")).map((u: string) => new URL(u).hostname);
    t.check(
        "each https URL's host has a Certificate",
        httpsHosts.every((h: string) => certs.some((c) => (c.spec.dnsNames ?? []).includes(h))),
        JSON.stringify(certs.map((c) => c.spec.dnsNames)),
    );
    t.check("tls.trustCa names the stack's kube context", String(outputs.tls?.trustCa).includes(`--context ${CONTEXT}`));
    t.check(
        "tls.trustCa's Secret is the root CA Certificate's",
        certs.some((c) => String(outputs.tls.trustCa).includes(`secret ${c.spec.secretName} `)),
        outputs.tls?.trustCa,
    );
    // The echo pods were admitted by PodSecurity into the restricted namespace.
    const ns = getObject("namespace", "echo");
    t.check("the echo namespace enforces restricted", ns?.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted");
    t.check("the echo pods were admitted and run there", runningEchoPods().length === 1, podSummary());
    // Helm releases with their hooks: every release deployed, every hook Job completed.
    const releases = JSON.parse(run(path.join(BIN, "helm"), ["--kube-context", CONTEXT, "list", "-A", "-o", "json"]));
    t.check(
        "three Helm releases deployed (ingress-nginx, nginx-gateway-fabric, cert-manager)",
        releases.length === 3 && releases.every((r: any) => r.status === "deployed"),
        JSON.stringify(releases.map((r: any) => `${r.name} ${r.status}`)),
    );
    // The routing model's policies (Pulumi.dev.yaml: maxBodySize, a read timeout, a rate limit),
    // accepted by the API server through NGF's CRDs (their schemas and CEL), one per route that proxies.
    const ngfPolicies = ["clientsettingspolicies", "proxysettingspolicies", "ratelimitpolicies"].flatMap((kind) =>
        listObjects(`${kind}.gateway.nginx.org`, "echo").map(
            (o: any) => `${o.kind} ${o.metadata.name} -> ${(o.spec.targetRef ?? o.spec.targetRefs?.[0])?.name}`,
        ),
    );
    t.check(
        "NGF's ClientSettings, ProxySettings and RateLimit policies target each proxying HTTPRoute",
        ngfPolicies.length === 6 && ["veri-route-0", "veri-route-1"].every((r) => ngfPolicies.filter((p) => p.endsWith(`-> ${r}`)).length === 3),
        ngfPolicies.join("; "),
    );
    const ingressAnnotations = getObject("ingress", "veri-ingress", "echo")?.metadata?.annotations ?? {};
    t.check(
        "the Ingress carries the same policies as ingress-nginx annotations",
        ingressAnnotations["nginx.ingress.kubernetes.io/proxy-body-size"] === "8m" && ingressAnnotations["nginx.ingress.kubernetes.io/limit-rps"] === "50",
        JSON.stringify(ingressAnnotations),
    );
    t.check(
        "the Gateway is Programmed",
        (getObject("gateways.gateway.networking.k8s.io", "echo-gateway", "echo")?.status?.conditions ?? []).some(
            (c: any) => c.type === "Programmed" && c.status === "True",
        ),
    );
}

async function destroy(t: Tally, stack: Stack, name: string): Promise<void> {
    await t.step(`destroy ${name}`, () => stack.destroy({ onOutput: logTo(name) }));
    await stack.workspace.removeStack(name).catch(() => undefined);
}

/** After destroy: no namespace, Helm release or CRD the program made (cert-manager's and NGF's CRDs stay on purpose; docs/verification.md). */
function checkClean(t: Tally, name: string): void {
    const left = PROGRAM_NAMESPACES.filter((ns) => {
        const o = getObject("namespace", ns);
        return o !== undefined;
    });
    t.check(`${name}: destroy leaves none of the program's namespaces`, left.length === 0, left.join(", "));
    const releases = JSON.parse(run(path.join(BIN, "helm"), ["--kube-context", CONTEXT, "list", "-A", "-a", "-o", "json"]));
    t.check(`${name}: destroy leaves no Helm release`, releases.length === 0, JSON.stringify(releases.map((r: any) => r.name)));
    const crds = listObjects("crds").map((c) => c.metadata.name);
    const gatewayApi = crds.filter((c) => c.endsWith(".gateway.networking.k8s.io"));
    t.check(`${name}: destroy removes the Gateway API CRDs it installed`, gatewayApi.length === 0, gatewayApi.join(", "));
}

const RENAMED_GATEWAY = "http-echo";

/** staging and prod: their placeholders replaced by test values, then up and destroy. */
async function otherStack(t: Tally, name: string, backend: string): Promise<void> {
    console.log(`${name}:`);
    const dir = scratchProject(name, (config) =>
        config
            .replace(/kubernetes:context: \S+/, `kubernetes:context: ${CONTEXT}`)
            .replace(/platform-team@your-company\.invalid/, "platform-team@echo-exposure-tests.dev")
            // The placeholder hosts, which the program warns about (and a warning fails the run).
            .replace(/(echo(?:\.staging)?)\.example\.com/g, "$1.echo-exposure-tests.dev")
            // Issue 24.7: staging's Gateway renamed so that NGF's data-plane objects are named
            // `http-echo-nginx`, beside the program's Deployment `http-echo`: accepted.
            .replace(/^( {2})echo-exposure:gateway:\n/m, name === "staging" ? `$1echo-exposure:gateway:\n$1$1name: ${RENAMED_GATEWAY}\n` : "$&"),
    );
    const stack = await openStack(name, dir, backend);
    const up = await t.step(`up ${name}`, () => quietly(t, `${name}: up`, (onEvent) => stack.up({ onEvent, onOutput: logTo(name) })));
    if (up) {
        const lbs = listObjects("services").filter((s) => s.spec.type === "LoadBalancer");
        t.check(
            `${name}: every LoadBalancer Service has an address (kwok)`,
            lbs.length > 0 && lbs.every((s) => s.status.loadBalancer?.ingress?.length > 0),
            lbs.map((s) => s.metadata.name).join(", "),
        );
        if (name === "staging") {
            const gateways = listObjects("gateways.gateway.networking.k8s.io", "echo").map((g) => g.metadata.name);
            t.check(`staging: the renamed Gateway ${RENAMED_GATEWAY} is accepted and declared`, gateways.includes(RENAMED_GATEWAY), gateways.join(", "));
        }
        const urls = up.outputs.urls?.value ?? {};
        t.check(
            `${name}: every URL parses`,
            Object.values(urls).every((u) => URL.canParse(String(u))),
            JSON.stringify(urls),
        );
        await t.step(`${name}: preview --expect-no-changes`, () =>
            quietly(t, `${name}: no-change preview`, (onEvent) => stack.preview({ onEvent, expectNoChanges: true })),
        );
    }
    await destroy(t, stack, name);
    checkClean(t, name);
}

function installPlugin(): void {
    const pluginDir = path.join(STATE, "pulumi-home", "plugins", `resource-kubernetes-v${PROVIDER_VERSION}`);
    if (fs.existsSync(pluginDir)) return;
    run(path.join(BIN, "pulumi"), ["plugin", "install", "resource", "kubernetes", PROVIDER_VERSION, "--file", path.join(BIN, "pulumi-resource-kubernetes")]);
}

async function main(): Promise<number> {
    const missing = missingTools();
    if (missing.length > 0) {
        console.log(`test:cluster: the local control plane's tools are not built (${missing.join(", ")} missing in ${BIN}): run npm run cluster:build`);
        console.log("0 passed, 1 failed");
        return 1;
    }
    run("bash", [path.join(ROOT, "scripts", "cluster", "up.sh")], { stdio: "inherit" });
    installPlugin();
    const taken = PROGRAM_NAMESPACES.filter((ns) => getObject("namespace", ns) !== undefined);
    if (taken.length > 0) {
        console.log(`test:cluster: namespaces ${taken.join(", ")} already exist on the local control plane: npm run cluster:down first`);
        console.log("0 passed, 1 failed");
        return 1;
    }
    // The program and its resolver run in this process: the upstream files come from the mirror.
    Object.assign(process.env, clusterEnv());
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "echo-exposure-state-"));
    const t = new Tally();
    const speed: Speed = {};
    const only = process.argv.slice(2);
    // `-- traffic` runs dev, whose checks hold the traffic tier's.
    const wanted = (s: string) => only.length === 0 || only.includes(s) || (s === "dev" && only.includes("traffic"));
    if (wanted("dev")) await dev(t, backend, speed);
    // Not part of the whole check: `-- speed` times dev's preview, up and destroy alone.
    if (only.includes("speed")) await devSpeed(t, backend, speed);
    // `npm run bench:up`: up and the peer alternately, with CPU per process group (issue 29).
    if (only.includes("bench")) await benchUp(t, backend, Number(process.env.BENCH_ROUNDS ?? 3));
    if (wanted("peer")) {
        console.log("peer (helm install --wait, kubectl apply):");
        const peer = await t.step("the tutorial reader's way: three helm installs and kubectl apply, then removed", () => runPeer());
        if (peer) Object.assign(speed, { peerSeconds: peer.total, peerSteps: peer.steps });
    }
    // Not part of the whole check either: it needs an older checkout to upgrade from.
    if (only.includes("upgrade")) {
        const from = process.env.ECHO_EXPOSURE_UPGRADE_FROM;
        if (from) await upgrade(t, backend, from);
        else t.check("upgrade: ECHO_EXPOSURE_UPGRADE_FROM names the git ref to upgrade from", false);
    }
    if (wanted("staging")) await otherStack(t, "staging", backend);
    if (wanted("prod")) await otherStack(t, "prod", backend);
    fs.writeFileSync(path.join(STATE, "speed.json"), JSON.stringify(speed, null, 2) + "\n");
    console.log(`speed: ${JSON.stringify(speed, null, 2)}`);
    if (t.failures.length > 0) console.log(`failures:\n- ${t.failures.join("\n- ")}`);
    console.log(`${t.passed} passed, ${t.failed} failed`);
    return t.failed === 0 ? 0 : 1;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e);
        console.log("0 passed, 1 failed");
        process.exit(1);
    },
);
