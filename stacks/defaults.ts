/**
 * Every default of the stack config, in one place. Pulumi.yaml repeats the scalar ones in its
 * `config:` block for `pulumi config` users, but the CLI applies those, not the SDK under test
 * mocks, so this file is the source of truth and test/stacks/defaults.test.ts checks they agree.
 */
export const DEFAULTS = {
    exposures: "clusterIP",
    namespace: "echo",
    createNamespace: true,
    text: "hello from http-echo",
    // A release tag, never `latest`: http-echo 1.0.0 is built on distroless `nonroot` (UID 65532).
    image: "hashicorp/http-echo:1.0.0",
    // Re-check the tag's digest on every pull (Checkov CKV_K8S_15, Polaris). IfNotPresent for an
    // image loaded into the nodes (`kind load docker-image`) or a cluster without a registry.
    imagePullPolicy: "Always",
    replicas: 1,
    serviceName: "veri-service",
    servicePort: 80,
    containerPort: 5678,
    nodeAddress: "localhost",
    localPort: 8080,
    // A NetworkPolicy admitting traffic to the echo pods only where a chosen exposure needs it.
    networkPolicy: true,
    // http-echo is a tiny Go server: these leave headroom while keeping the pod's footprint small.
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
} as const;
