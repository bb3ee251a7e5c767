import * as pulumi from "@pulumi/pulumi";

/**
 * How the stack reaches its cluster, as the default kubernetes provider reads it from stack config
 * (`kubernetes:context` etc.): the printed kubectl commands name the same context.
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
