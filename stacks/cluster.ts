import * as pulumi from "@pulumi/pulumi";

/**
 * How the stack reaches its cluster, as the default kubernetes provider reads it from stack config
 * (`kubernetes:context` etc.). An explicit provider does not read that config, so the program
 * hands these to the one it makes (see index.ts); KUBECONFIG in the environment works for both.
 */
export interface ClusterAccess {
    context?: string;
    cluster?: string;
    kubeconfig?: string;
}

export function clusterAccess(config: pulumi.Config = new pulumi.Config("kubernetes")): ClusterAccess {
    const access: ClusterAccess = {};
    for (const key of ["context", "cluster", "kubeconfig"] as const) {
        const value = config.get(key);
        if (value !== undefined) access[key] = value;
    }
    return access;
}
