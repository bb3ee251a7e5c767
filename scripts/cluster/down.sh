#!/usr/bin/env bash
# npm run cluster:down — stops everything cluster:up started, by pid, and removes its state.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
# The traffic tier first (its namespaces and routes live outside the state folder).
bash "$(dirname "$0")/traffic.sh" down
[ -d "$pids" ] || { echo "cluster:down: nothing runs ($state has no pids)"; rm -rf "$state"; exit 0; }
# The supervisor first, so it starts no kwok meanwhile; the API server's clients before it.
for name in kwok-supervisor kwok-gateway kwok-cert-manager kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  if running "$name"; then
    pid=$(cat "$pids/$name")
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    echo "cluster:down: stopped $name ($pid)"
  fi
  rm -f "$pids/$name"
done
rm -rf "$state"
echo "cluster:down: removed $state"
