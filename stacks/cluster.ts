import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAccess } from "../components/clientCommands";

export type { ClusterAccess };

/**
 * How the stack reaches its cluster, as the default kubernetes provider reads it from stack config
 * (`kubernetes:context`, `kubernetes:cluster`, `kubernetes:kubeconfig`): the printed kubectl commands
 * name the same. `kubernetes:kubeconfig` is a path when a file is there (after expanding a leading
 * `~`), else a kubeconfig's contents, as the provider decides (pulumi-kubernetes provider/v4
 * `pkg/provider/util.go` parseKubeconfigString); the program runs beside the provider, so the same
 * test gives the same answer.
 */
export function clusterAccess(config: pulumi.Config = new pulumi.Config("kubernetes")): ClusterAccess {
    const context = config.get("context") || undefined;
    const cluster = config.get("cluster") || undefined;
    const kubeconfig = config.get("kubeconfig") || undefined;
    return {
        ...(context ? { context } : {}),
        ...(cluster ? { cluster } : {}),
        ...(kubeconfig ? { kubeconfig: kubeconfigSource(kubeconfig) } : {}),
    };
}

function kubeconfigSource(value: string): { path: string } | { contents: true } {
    const expanded = value === "~" ? os.homedir() : value.startsWith("~/") ? path.join(os.homedir(), value.slice(2)) : value;
    return fs.existsSync(expanded) ? { path: path.resolve(expanded) } : { contents: true };
}
