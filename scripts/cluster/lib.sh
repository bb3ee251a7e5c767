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
# kwok's kubelet API (port-forward), on the nodes' address 127.0.0.1.
kubelet_port=${ECHO_EXPOSURE_KUBELET_PORT:-10250}
# The address ranges the control plane hands out: pod IPs (kwok --cidr), Service IPs
# (--service-cluster-ip-range) and the simulated load-balancer, Ingress and Gateway addresses that
# kwok's stages write (scripts/cluster/kwok/). None may be on an interface of this machine: a URL the
# outputs print would then lead onto a real network (cluster:up refuses to start).
pod_cidr=10.244.0.0/16
service_cidr=10.96.0.0/16
simulated_cidr=198.51.100.0/24
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

# The first range that meets something this machine uses, else nothing: an interface's network, a
# route's destination (the tier's own unreachable routes aside), the default gateway, a name server
# (/etc/resolv.conf), an address in /etc/hosts, or where the registries resolve to (the Go module
# proxy, the npm registry, Debian's mirror). Found the hard way: on this machine those three resolve
# to 203.0.113.80, in TEST-NET-3, so an unreachable route for that range cut them off.
overlapping_range() {
  python3 - "$@" <<'PY'
import ipaddress, re, subprocess, sys
ranges = [ipaddress.ip_network(r) for r in sys.argv[1:]]
used = []
for line in subprocess.run(["ip", "-o", "addr"], capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    used.append((ipaddress.ip_interface(f[3]).network, f"{f[3]} on {f[1]}"))
for family in ("-4", "-6"):
    for line in subprocess.run(["ip", family, "route"], capture_output=True, text=True, check=True).stdout.splitlines():
        f = line.split()
        if "metric 4242" in line:
            continue
        if f[0] == "default" and "via" in f:
            used.append((ipaddress.ip_network(f[f.index("via") + 1]), f"the default gateway {f[f.index('via') + 1]}"))
        elif f[0] not in ("default", "unreachable", "blackhole", "prohibit"):
            used.append((ipaddress.ip_network(f[0], strict=False), f"the route to {f[0]}"))
def addresses(path, pattern):
    try:
        return re.findall(pattern, open(path).read(), re.M)
    except OSError:
        return []
for a in addresses("/etc/resolv.conf", r"^nameserver\s+(\S+)"):
    used.append((ipaddress.ip_network(a), f"the name server {a}"))
for a in addresses("/etc/hosts", r"^\s*([0-9a-fA-F.:]+)\s"):
    try:
        used.append((ipaddress.ip_network(a), f"{a} in /etc/hosts"))
    except ValueError:
        pass
# The registries the project's tools come from, as this machine resolves them (DNS or /etc/hosts).
import os, socket, urllib.parse
names = {"proxy.golang.org", "sum.golang.org", "registry.npmjs.org", "deb.debian.org"}
for url in (os.environ.get("GOPROXY", ""), os.environ.get("npm_config_registry", "")):
    for part in url.split(","):
        host = urllib.parse.urlparse(part.strip()).hostname
        if host:
            names.add(host)
for name in sorted(names):
    try:
        for info in socket.getaddrinfo(name, None):
            used.append((ipaddress.ip_network(info[4][0]), f"{info[4][0]}, where {name} is reached"))
    except OSError:
        pass
for r in ranges:
    for net, what in used:
        if r.version == net.version and r.overlaps(net) and not net.is_loopback:
            print(f"{r} (it meets {what})")
            sys.exit(0)
PY
}
