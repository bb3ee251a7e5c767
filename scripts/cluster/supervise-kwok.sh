#!/usr/bin/env bash
# Started by cluster:up. Runs one kwok per group of custom resources while that group's CRDs exist
# (kwok exits at start if a Stage names a kind the API server does not serve), and stops it when
# they go (pulumi destroy removes them). Checks every 2 s.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

# group name, its stage file, the CRDs its stages need.
groups=(
  "gateway|gateway.yaml|gateways.gateway.networking.k8s.io httproutes.gateway.networking.k8s.io"
  "cert-manager|cert-manager.yaml|certificates.cert-manager.io issuers.cert-manager.io clusterissuers.cert-manager.io"
)

while true; do
  for g in "${groups[@]}"; do
    IFS='|' read -r name stages crds <<<"$g"
    # shellcheck disable=SC2086
    if kubectl_ get crd $crds >/dev/null 2>&1; then
      # A kwok that exited (its CRDs were replaced mid-way) is started again.
      # It manages no node (a label no node has): the core kwok plays the nodes and pods.
      start "kwok-$name" "$bin/kwok" --kubeconfig="$kubeconfig" --config="$here/scripts/cluster/kwok/$stages" \
        --manage-nodes-with-label-selector=echo-exposure/kwok-group="$name"
    elif running "kwok-$name"; then
      kill "$(cat "$pids/kwok-$name")" 2>/dev/null
      rm -f "$pids/kwok-$name"
    fi
  done
  sleep 2
done
