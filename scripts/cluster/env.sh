#!/usr/bin/env bash
# npm run -s cluster:env — export lines for a shell whose pulumi and kubectl use the local
# control plane: eval "$(npm run -s cluster:env)"
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mirror=${ECHO_EXPOSURE_MIRROR:-}
# This project's machines keep the upstream mirror beside the checkout (the program itself never
# looks for it; this developer tool names it, as the test setup does).
[ -z "$mirror" ] && [ -d "$here/../shared/upstream" ] && mirror=$(cd "$here/../shared/upstream" && pwd)
printf 'export PATH=%q:"$PATH"\n' "$bin"
printf 'export KUBECONFIG=%q\n' "$kubeconfig"
printf 'export PULUMI_HOME=%q\n' "$state/pulumi-home"
echo 'export PULUMI_SKIP_UPDATE_CHECK=true'
echo 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true'
[ -n "$mirror" ] && printf 'export ECHO_EXPOSURE_MIRROR=%q\n' "$mirror"
exit 0
