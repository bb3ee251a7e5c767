import { ChartSource } from "../components/controllerSettings";
import { findArtifact, lockedVersions, registryChart } from "../upstream/lock";
import { resolveChartFolder, resolveFile } from "../upstream/resolver";
import { ConfigError } from "../config/errors";

/*
 * What the settings take from upstream.lock.json and the resolver: which chart and CRD versions
 * can be installed (only locked ones: the program's values and the tests' contracts are written
 * and checked against exactly those), and where each comes from. Everything here runs while the
 * settings are read, so a file that fails its SHA-256, or no mirror and no network, stops the
 * program before any resource is declared.
 */

/** The artifacts' names in the lock. */
export const ARTIFACTS = {
    ingressNginx: "ingress-nginx",
    gatewayFabric: "nginx-gateway-fabric",
    certManager: "cert-manager",
    gatewayApi: "gateway-api",
} as const;

/**
 * `version` when the lock holds it for `artifact`; else one ConfigError naming `key` and the locked
 * versions as the user writes them. `prefix` is what the lock's version adds to the config's
 * (Gateway API releases are locked as 'v1.5.1' but configured as '1.5.1').
 */
export function lockedVersion(key: string, artifact: string, version: string, prefix = ""): string {
    if (!findArtifact(artifact, `${prefix}${version}`)) {
        const locked = lockedVersions(artifact).map((v) => `'${v.slice(prefix.length)}'`);
        throw new ConfigError(key, version, `a version in upstream.lock.json, the ones this program is written and checked against: ${locked.join(", ")}`);
    }
    return version;
}

/**
 * Where Helm takes a locked chart from. With ECHO_EXPOSURE_MIRROR: the mirror's chart folder, by
 * absolute path and with no repository (every file verified first). Without: its registry.
 * `install` false: the chart is only named (nothing is installed), so nothing is read.
 */
export function chartSource(artifact: string, version: string, install = true): ChartSource {
    const folder = install ? resolveChartFolder(artifact, version) : undefined;
    if (folder) return { chart: folder, local: true };
    const chart = findArtifact(artifact, version)!.chart!;
    return { ...registryChart(chart), local: false };
}

/** The verified standard-channel CRD bundle of a Gateway API release (version without the 'v'). */
export function gatewayApiBundle(version: string): string {
    return resolveFile(ARTIFACTS.gatewayApi, `v${version}`, "standard-install.yaml");
}
