import * as pulumi from "@pulumi/pulumi";
import { ClusterMocks, RegisteredResource } from "./clusterMocks";
import { resolve } from "./program";

/**
 * Runs one component on its own under the cluster mocks, with Args built by hand (no stack config,
 * no index.ts), as a component's user would call it; `ready` is an Output to wait for (the mocks
 * answer asynchronously). Gives every resource registered, and what `ready` resolved to.
 */
export async function declareAlone<T>(
    declare: () => pulumi.Output<T>,
): Promise<{ resources: RegisteredResource[]; value: T; ofType: (type: string) => RegisteredResource[] }> {
    const mocks = new ClusterMocks({ deterministic: true });
    await pulumi.runtime.setMocks(mocks, "echo-exposure", "unit", false);
    const value = await resolve(declare());
    await (pulumi.runtime as any).waitForRPCs?.();
    const resources = mocks.resources;
    return { resources, value, ofType: (type) => resources.filter((r) => r.type === type) };
}

/** The resources' config-independent defaults the components' Args ask for. */
export const SMALL = { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } };

/** The common settings of a proxy the cluster already runs (install false), for the exposures' Args. */
export const EXISTING_CONTROLLER = {
    install: false,
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
    sourceRanges: [] as string[],
    serviceAnnotations: {} as Record<string, string>,
    replicas: 1,
};
