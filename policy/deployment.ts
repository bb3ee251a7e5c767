/*
 * Deployments (the echo app, but any Deployment): run as the restricted Pod Security Standard
 * requires, with a pinned image, probes, resources and a rollout that never drops capacity.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { forType } from "./lib";

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

/** Every container of the pod template, init containers included, with a label for messages. */
function containersOf(deployment: any): { label: string; c: any }[] {
    const pod = deployment.spec?.template?.spec ?? {};
    return [
        ...(pod.initContainers ?? []).map((c: any) => ({ label: `init container '${c.name}'`, c })),
        ...(pod.containers ?? []).map((c: any) => ({ label: `container '${c.name}'`, c })),
    ];
}

/** Replicas as declared; Kubernetes defaults to 1. */
export function replicasOf(deployment: any): number {
    return deployment.spec?.replicas ?? 1;
}

const podSecurityContext: ResourceValidationPolicy = {
    name: "deployment-pod-security-context",
    description: "Pods run as a non-root UID with the RuntimeDefault seccomp profile (restricted Pod Security Standard).",
    enforcementLevel: "mandatory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        const pod = d.spec?.template?.spec?.securityContext ?? {};
        // A container's securityContext overrides the pod's, field by field.
        for (const { label, c } of containersOf(d)) {
            const sc = c.securityContext ?? {};
            const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
            const runAsUser = sc.runAsUser ?? pod.runAsUser;
            const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
            if (runAsNonRoot !== true) {
                report(`${label}: set spec.template.spec.securityContext.runAsNonRoot: true.`);
            }
            if (typeof runAsUser !== "number" || runAsUser <= 0) {
                report(`${label}: set spec.template.spec.securityContext.runAsUser to a non-root UID (> 0), e.g. 65532 for distroless nonroot images.`);
            }
            if (seccomp !== "RuntimeDefault") {
                report(`${label}: set spec.template.spec.securityContext.seccompProfile.type: RuntimeDefault.`);
            }
        }
    }),
};

const noServiceAccountToken: ResourceValidationPolicy = {
    name: "deployment-no-service-account-token",
    description: "Pods do not mount a Kubernetes API token they do not use.",
    enforcementLevel: "mandatory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        if (d.spec?.template?.spec?.automountServiceAccountToken !== false) {
            report("Set spec.template.spec.automountServiceAccountToken: false (the app never calls the Kubernetes API).");
        }
    }),
};

const containerSecurityContext: ResourceValidationPolicy = {
    name: "deployment-container-security-context",
    description: "Containers cannot escalate privileges, drop all capabilities and have a read-only root filesystem.",
    enforcementLevel: "mandatory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        for (const { label, c } of containersOf(d)) {
            const sc = c.securityContext ?? {};
            // Explicitly false: the default is true whenever the image's binary is setuid.
            if (sc.allowPrivilegeEscalation !== false) {
                report(`${label}: set securityContext.allowPrivilegeEscalation: false.`);
            }
            if (!(sc.capabilities?.drop ?? []).includes("ALL")) {
                report(`${label}: set securityContext.capabilities.drop: ["ALL"].`);
            }
            if (sc.readOnlyRootFilesystem !== true) {
                report(`${label}: set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where the app must write).`);
            }
        }
    }),
};

/** True for `repo@sha256:…`, or a tag other than `latest` (a `:` after the last `/` is a tag, not a registry port). */
export function isPinnedImage(image: string | undefined): boolean {
    if (!image) return false;
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
    const lastPart = image.slice(image.lastIndexOf("/") + 1);
    const colon = lastPart.indexOf(":");
    if (colon < 0) return false;
    const tag = lastPart.slice(colon + 1);
    return tag !== "" && tag !== "latest";
}

const imagePinned: ResourceValidationPolicy = {
    name: "deployment-image-pinned",
    description: "Container images are pinned to a release tag or a digest, never `latest` or no tag.",
    enforcementLevel: "mandatory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        for (const { label, c } of containersOf(d)) {
            if (!isPinnedImage(c.image)) {
                report(`${label}: image '${c.image ?? ""}' is not pinned; use a release tag (e.g. hashicorp/http-echo:1.0.0) or an @sha256: digest.`);
            }
        }
    }),
};

/** Object equality that ignores key order (probes come from config and code alike). */
function sameValue(a: unknown, b: unknown): boolean {
    const canon = (v: any): any =>
        Array.isArray(v)
            ? v.map(canon)
            : v && typeof v === "object"
              ? Object.fromEntries(
                    Object.keys(v)
                        .sort()
                        .map((k) => [k, canon(v[k])]),
                )
              : v;
    return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

const probes: ResourceValidationPolicy = {
    name: "deployment-probes",
    description: "Containers have a readiness probe and a liveness probe, and the two are not identical.",
    enforcementLevel: "mandatory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        // Init containers cannot have these probes: regular containers only.
        for (const c of d.spec?.template?.spec?.containers ?? []) {
            const label = `container '${c.name}'`;
            if (!c.readinessProbe) report(`${label}: add a readinessProbe so Services only send traffic to pods that can answer.`);
            if (!c.livenessProbe) report(`${label}: add a livenessProbe so a hung process is restarted.`);
            // Identical probes make a slow pod get restarted exactly when it is taken out of rotation.
            if (c.readinessProbe && c.livenessProbe && sameValue(c.readinessProbe, c.livenessProbe)) {
                report(
                    `${label}: the livenessProbe is identical to the readinessProbe; give it a higher failureThreshold/period so overload removes the pod from rotation before restarting it.`,
                );
            }
        }
    }),
};

const resources: ResourceValidationPolicy = {
    name: "deployment-resources",
    description: "Containers declare cpu and memory requests and limits.",
    enforcementLevel: "mandatory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        for (const { label, c } of containersOf(d)) {
            const missing = ["requests", "limits"].flatMap((kind) =>
                ["cpu", "memory"].filter((r) => c.resources?.[kind]?.[r] === undefined).map((r) => `resources.${kind}.${r}`),
            );
            if (missing.length > 0) report(`${label}: set ${missing.join(", ")}.`);
        }
    }),
};

/** 0, "0" or "0%". */
function isZero(v: unknown): boolean {
    return v === 0 || v === "0" || v === "0%";
}

const rollout: ResourceValidationPolicy = {
    name: "deployment-zero-downtime-rollout",
    description: "Rollouts use RollingUpdate with maxUnavailable 0, so the ready count never drops below the desired replicas.",
    enforcementLevel: "advisory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        const strategy = d.spec?.strategy ?? {};
        if ((strategy.type ?? "RollingUpdate") !== "RollingUpdate") {
            report(`spec.strategy.type is ${strategy.type}; use RollingUpdate with rollingUpdate.maxUnavailable: 0.`);
        } else if (!isZero(strategy.rollingUpdate?.maxUnavailable)) {
            // The default is 25% (rounded down, so 0 for under 4 replicas, but only by accident).
            report(
                "Set spec.strategy.rollingUpdate.maxUnavailable: 0 (and maxSurge >= 1) so a rollout never removes a ready pod before its replacement is ready.",
            );
        }
    }),
};

const topologySpread: ResourceValidationPolicy = {
    name: "deployment-topology-spread",
    description: "Deployments with more than one replica spread their pods across nodes/zones.",
    enforcementLevel: "advisory",
    validateResource: forType(DEPLOYMENT, (d, args, report) => {
        if (replicasOf(d) <= 1) return args.notApplicable("single replica");
        if ((d.spec?.template?.spec?.topologySpreadConstraints ?? []).length === 0) {
            report(
                `${replicasOf(d)} replicas but no spec.template.spec.topologySpreadConstraints; add one on kubernetes.io/hostname (and topology.kubernetes.io/zone) so one node failure cannot take every replica.`,
            );
        }
    }),
};

export const deploymentPolicies: ResourceValidationPolicy[] = [
    podSecurityContext,
    noServiceAccountToken,
    containerSecurityContext,
    imagePinned,
    probes,
    resources,
    rollout,
    topologySpread,
];
