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
# The address ranges the control plane hands out: pod IPs (kwok --cidr), Service IPs
# (--service-cluster-ip-range) and the simulated load-balancer, Ingress and Gateway addresses that
# kwok's stages write (scripts/cluster/kwok/). None may be on an interface of this machine: a URL the
# outputs print would then lead onto a real network (cluster:up refuses to start).
pod_cidr=10.244.0.0/16
service_cidr=10.96.0.0/16
simulated_cidr=203.0.113.0/24
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

# The first range that holds or overlaps an address of this machine's interfaces (ip -o addr), else nothing.
overlapping_range() {
  python3 - "$@" <<'PY'
import ipaddress, subprocess, sys
ranges = [ipaddress.ip_network(r) for r in sys.argv[1:]]
out = subprocess.run(["ip", "-o", "addr"], capture_output=True, text=True, check=True).stdout
for line in out.splitlines():
    f = line.split()
    iface = ipaddress.ip_interface(f[3])
    for r in ranges:
        if r.version == iface.version and r.overlaps(iface.network):
            print(f"{r} (it overlaps {f[3]} on {f[1]})")
            sys.exit(0)
PY
}
