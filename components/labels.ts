import { NAMES } from "./names";
/*
 * The echo pods' labels, in one place. Services select one track; the NetworkPolicy and every
 * check that must see all echo pods select ALL_ECHO_PODS. Nothing else writes these literals.
 */

/** A release track of the echo app: the stable one, and optionally a canary beside it. */
export type Track = "stable" | "canary";

/** The label every echo pod of every track carries (the NetworkPolicy and the checks select it). */
export const ALL_ECHO_PODS = { "app.kubernetes.io/name": "http-echo" } as const;

/**
 * The selector of one track's pods. The stable track's is the seed's `{app: http-echo}` exactly,
 * forever: a Deployment's selector is immutable, so changing it would replace the Deployment (an
 * outage). The canary's `app` differs, so no stable selector matches a canary pod.
 */
export function trackSelector(track: Track): Record<string, string> {
    return track === "stable" ? { app: "http-echo" } : { app: "http-echo-canary" };
}

/** The name of a track's Deployment, PDB and (canary) Service suffix: `http-echo`, `http-echo-canary`. */
export function trackName(track: Track): string {
    return track === "stable" ? NAMES.app : NAMES.canaryApp;
}

/** Every label of a track's pods: its selector, the all-tracks label, and the recommended ones. */
export function podLabels(track: Track, instance: string): Record<string, string> {
    return {
        ...trackSelector(track),
        ...ALL_ECHO_PODS,
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/part-of": "echo-exposure",
        "app.kubernetes.io/managed-by": "pulumi",
        // Only the canary carries a track label: the stable pods' labels stay as they always were.
        ...(track === "canary" ? { "echo-exposure/track": "canary" } : {}),
    };
}
