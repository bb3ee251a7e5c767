# Shared by the cluster:* scripts: where the tools and the control plane's state live.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=${ECHO_EXPOSURE_TOOLS:-$HOME/.cache/echo-exposure/tools}
bin=$tools/bin
state=${ECHO_EXPOSURE_CLUSTER:-$HOME/.cache/echo-exposure/cluster}
pki=$state/pki
logs=$state/logs
pids=$state/pids
kubeconfig=$state/kubeconfig
# Loopback only. Ports clear of a kind cluster's and of a system etcd's defaults.
apiserver_port=${ECHO_EXPOSURE_APISERVER_PORT:-16443}
etcd_port=${ECHO_EXPOSURE_ETCD_PORT:-12379}
# The kube context Pulumi.dev.yaml names (kubernetes:context), so the stack runs unmodified.
context=kind-echo

running() { [ -f "$pids/$1" ] && kill -0 "$(cat "$pids/$1")" 2>/dev/null; }

# start NAME COMMAND...: runs it in the background with its log and pid file, unless it runs.
start() {
  local name=$1; shift
  running "$name" && return 0
  nohup "$@" >"$logs/$name.log" 2>&1 &
  echo $! >"$pids/$name"
}

kubectl_() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }
