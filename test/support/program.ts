import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { chartNameOf } from "../../policy/lib";
import { ClusterMocks, ClusterOptions, RegisteredResource } from "./clusterMocks";

export const PROJECT = "echo-exposure";
export const ROOT = path.resolve(__dirname, "..", "..");

/** A registration as the engine sees it: with its parent and the URNs it depends on. */
export interface Registration {
    type: string;
    name: string;
    parent: string;
    dependencies: string[];
    /** Explicit provider references by package (a remote component's `providers`). */
    providers: Record<string, string>;
    /** The URNs this resource was known by before (its aliases, as the engine receives them). */
    aliases: string[];
    /** The inputs as the engine receives them (secrets carry Pulumi's secret signature). */
    wire: string;
}

export interface ProgramRun {
    mocks: ClusterMocks;
    /** Every stack output, resolved. */
    outputs: Record<string, any>;
    /** What the program warned about (pulumi.log.warn), collected instead of printed. */
    warnings: string[];
    registrations: Registration[];
    /** Kubernetes objects as the cluster would hold them (mock state), with apiVersion and kind. */
    objects: KubeObject[];
    ofType(type: string): RegisteredResource[];
    /** The one resource of a type, failing the test if there are none or several. */
    one(type: string): RegisteredResource;
}

export interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: any;
    [field: string]: any;
}

/** Project config values as a stack file holds them (structured values allowed), without the `echo-exposure:` prefix. */
export type StackConfig = Record<string, unknown>;

/**
 * Runs the real program (index.ts) under mocks, with the given config, the way `pulumi up` would:
 * config keys outside a namespace are project keys; structured values are passed as JSON, as the
 * CLI does. Returns what was declared and the resolved stack outputs.
 */
export async function runProgram(config: StackConfig = {}, cluster: ClusterOptions = {}, stack = "test", secretKeys: string[] = []): Promise<ProgramRun> {
    const mocks = new ClusterMocks(cluster);
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    const registrations = recordRegistrations();

    const all: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        all[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    // As the engine passes them: the full keys set with `pulumi config set --secret`.
    pulumi.runtime.setAllConfig(
        all,
        secretKeys.map((k) => `${PROJECT}:${k}`),
    );

    const warnings: string[] = [];
    (pulumi.log as any).warn = (message: string) => warnings.push(message);
    const exported = loadFresh(path.join(ROOT, "index.ts"));
    const outputs: Record<string, any> = {};
    for (const [key, value] of Object.entries(exported)) {
        outputs[key] = await resolve(value);
    }
    await (pulumi.runtime as any).waitForRPCs?.();

    const ofType = (type: string) => mocks.ofType(type);
    return {
        mocks,
        outputs,
        warnings,
        registrations,
        objects: mocks.resources
            .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.includes("helm.sh") && !r.type.includes(":yaml/"))
            .map(toKubeObject),
        ofType,
        one(type: string) {
            const found = ofType(type);
            if (found.length !== 1) {
                throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
            }
            return found[0];
        },
    };
}

/**
 * Runs the program expecting bad config to stop it. Returns the error and how many resources were
 * registered before it (which must be none: nothing may reach the cluster).
 */
export async function runProgramExpectingError(config: StackConfig): Promise<{ error: Error; registered: number }> {
    try {
        const run = await runProgram(config);
        throw new Error(`expected the program to fail, but it declared ${run.mocks.resources.length} resources`);
    } catch (error) {
        if (error instanceof Error && error.message.startsWith("expected the program to fail")) throw error;
        const mocks = lastMocks;
        return { error: error as Error, registered: mocks?.resources.length ?? 0 };
    }
}

let lastMocks: ClusterMocks | undefined;
const originalSetMocks = pulumi.runtime.setMocks;
(pulumi.runtime as any).setMocks = (m: ClusterMocks, ...rest: any[]) => {
    lastMocks = m;
    return (originalSetMocks as any)(m, ...rest);
};

/** The chart a helm.v3.Release installs, by name (as the policy pack tells it). */
export const chartName = chartNameOf;

/** Resolves an Output (or a plain value) to its value. */
export function resolve<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((res) => pulumi.output(value).apply((v) => res(v as T)));
}

/**
 * Loads the program afresh, so each run declares its resources again. Only index.ts runs code at
 * load time (components/ and stacks/ only define things), so only it is reloaded: reloading the
 * rest would re-transpile it on every run for nothing.
 */
function loadFresh(file: string): Record<string, unknown> {
    delete require.cache[require.resolve(file)];
    return require(file);
}

/** Wraps the mock monitor so tests can see each registration's parent and dependencies. */
function recordRegistrations(): Registration[] {
    const seen: Registration[] = [];
    const monitor: any = (pulumi.runtime as any).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: any) => {
        const providers: Record<string, string> = {};
        req.getProvidersMap?.().forEach((ref: string, pkg: string) => (providers[pkg] = ref));
        const aliases: string[] = [
            ...(req.getAliasurnsList?.() ?? []),
            ...(req.getAliasesList?.() ?? []).map((a: any) => (a.hasUrn?.() ? a.getUrn() : aliasUrn(a.toObject().spec, req.getType()))),
        ];
        const wire = JSON.stringify(req.getObject?.()?.toJavaScript?.() ?? {});
        seen.push({ type: req.getType(), name: req.getName(), parent: req.getParent(), dependencies: req.getDependenciesList(), providers, aliases, wire });
        return register(req, callback);
    };
    return seen;
}

/** The URN an alias spec stands for (same type when it names none), as the engine computes it. */
function aliasUrn(spec: { name: string; type: string; parenturn?: string }, ownType: string): string {
    const type = spec.type || ownType;
    if (!spec.parenturn) return `(no parent)::${type}::${spec.name}`;
    const [prefix, project, parentTypes] = spec.parenturn.split("::");
    return `${prefix}::${project}::${parentTypes}$${type}::${spec.name}`;
}

function toKubeObject(r: RegisteredResource): KubeObject {
    // Type tokens look like kubernetes:apps/v1:Deployment or kubernetes:core/v1:Service.
    const [, groupVersion, kind] = r.type.split(":");
    const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
    return { ...r.state, apiVersion, kind };
}
