#!/usr/bin/env bash
# Real requests on the local control plane (issue 26), started by cluster:up where it can run
# (root, iproute2, nftables, socat, and the http-echo and kube-proxy builds), stopped by cluster:down.
#
#   traffic.sh up     the node's network namespace, kube-proxy in it, the pod supervisor
#   traffic.sh down   every process, namespace and route it made
#
# The network (scripts/cluster/lib.sh's ranges, none on an interface of this machine):
#   - one "node" network namespace, ee-node, holding the bridge ee-br0 (10.244.255.254/16, the
#     pods' gateway) with forwarding on: kube-proxy's nftables rules live there, not in the root
#     namespace, whose forwarding and firewall stay as they are;
#   - a namespace per echo pod, at the IP kwok gave it (scripts/cluster/pods.py), and ee-client,
#     a pod-like namespace the tests send every request from (10.244.255.253), whose name server
#     is CoreDNS on the node's address (or, without its build, a hosts file stands in);
#   - no link between the root namespace and these: in the root namespace the pod, Service and
#     simulated ranges are unreachable routes, so nothing for them can leave the machine.
# kube-proxy reaches the API server (127.0.0.1 of the root namespace) through socat: it listens on
# ee-node's loopback, and each connection runs a socat in the root namespace (nsenter).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

node_ns=ee-node
client_ns=ee-client
bridge=ee-br0
gateway_ip=10.244.255.254
client_ip=10.244.255.253
prefix_len=16

missing() {
  # ECHO_EXPOSURE_TRAFFIC=off: the control plane alone, as before issue 26 (to weigh what the traffic
  # tier costs a benchmark on a small machine).
  [ "${ECHO_EXPOSURE_TRAFFIC:-on}" != off ] || { echo "ECHO_EXPOSURE_TRAFFIC=off"; return; }
  [ "$(id -u)" = 0 ] || { echo "not root"; return; }
  local t
  for t in ip nft socat nsenter setpriv python3; do command -v "$t" >/dev/null || { echo "no $t (Debian: iproute2 nftables socat util-linux python3)"; return; }; done
  for t in kube-proxy http-echo; do [ -x "$bin/$t" ] || { echo "no $bin/$t (npm run cluster:build)"; return; }; done
}

up() {
  local why
  why=$(missing)
  if [ -n "$why" ]; then
    echo "cluster:up: the traffic tier stays off: $why" >&2
    return 0
  fi
  # The root namespace: these ranges go nowhere (not out of eth0), whatever else happens.
  local r
  for r in "$pod_cidr" "$service_cidr" "$simulated_cidr"; do
    ip route replace unreachable "$r" metric 4242
  done
  ip netns add "$node_ns" 2>/dev/null
  ip -n "$node_ns" link set lo up
  ip -n "$node_ns" link add "$bridge" type bridge 2>/dev/null
  ip -n "$node_ns" addr replace "$gateway_ip/$prefix_len" dev "$bridge"
  ip -n "$node_ns" link set "$bridge" up
  ip netns exec "$node_ns" sysctl -qw net.ipv4.ip_forward=1
  attach "$client_ns" "$client_ip" ee-vclient
  # kube-proxy's way to the API server: a relay on ee-node's loopback whose every connection goes on
  # from the root namespace, entered through a process that stays there.
  start traffic-root-ns-holder sleep infinity
  local holder
  holder=$(cat "$pids/traffic-root-ns-holder")
  start traffic-apiserver-relay ip netns exec "$node_ns" socat TCP-LISTEN:"$apiserver_port",bind=127.0.0.1,fork,reuseaddr \
    EXEC:"nsenter --net=/proc/$holder/ns/net socat STDIO TCP\\:127.0.0.1\\:$apiserver_port"
  local node
  node=$(kubectl_ get nodes -o jsonpath='{.items[0].metadata.name}')
  # nftables mode: its own tables in ee-node. NodePorts on the bridge's address only (nftables
  # mode serves none on 127.0.0.1). --masquerade-all: a pod calling a Service backed by a pod on
  # the same bridge gets the answer back through ee-node, where the connection is un-NATed.
  start kube-proxy ip netns exec "$node_ns" "$bin/kube-proxy" --kubeconfig="$kubeconfig" --proxy-mode=nftables \
    --hostname-override="$node" --cluster-cidr="$pod_cidr" --nodeport-addresses="$gateway_ip/32" --masquerade-all \
    --conntrack-max-per-core=0 --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256
  # Cluster DNS: CoreDNS with its kubernetes plugin on the node's address, ee-client's name server,
  # searching as a pod of the echo namespace does. Without the build, a hosts file stands in.
  local dns_standin=1
  if [ -x "$bin/coredns" ]; then
    mkdir -p "$state/coredns" /etc/netns/"$client_ns"
    printf 'cluster.local:53 {\n    bind %s\n    kubernetes cluster.local {\n        kubeconfig %s %s\n    }\n}\n' \
      "$gateway_ip" "$kubeconfig" "$context" >"$state/coredns/Corefile"
    start coredns ip netns exec "$node_ns" "$bin/coredns" -conf "$state/coredns/Corefile"
    printf 'nameserver %s\nsearch echo.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n' "$gateway_ip" \
      >/etc/netns/"$client_ns"/resolv.conf
    dns_standin=0
  fi
  start traffic-pods env STATE="$state" BIN="$bin" KUBECONFIG_FILE="$kubeconfig" CLIENT_NS="$client_ns" DNS_STANDIN="$dns_standin" \
    python3 "$here/scripts/cluster/pods.py"
  echo "cluster:up: traffic tier: $node_ns (kube-proxy on node $node), pods at their kwok IPs, requests from $client_ns, DNS $([ "$dns_standin" = 0 ] && echo CoreDNS || echo "a hosts file (stand-in)")"
}

# attach NS IP HOSTVETH: a namespace with IP on the bridge, its default route via the bridge.
attach() {
  local ns=$1 ip=$2 veth=$3
  ip netns add "$ns" 2>/dev/null
  ip -n "$ns" link set lo up
  if ! ip -n "$node_ns" link show "$veth" >/dev/null 2>&1; then
    ip -n "$node_ns" link add "$veth" type veth peer name eth0 netns "$ns"
    ip -n "$node_ns" link set "$veth" master "$bridge" up
  fi
  ip -n "$ns" addr replace "$ip/$prefix_len" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route replace default via "$gateway_ip"
}

down() {
  local name pid
  for name in traffic-pods coredns kube-proxy traffic-apiserver-relay traffic-root-ns-holder; do
    if running "$name"; then
      pid=$(cat "$pids/$name")
      kill -9 "$pid" 2>/dev/null
      echo "cluster:down: stopped $name ($pid)"
    fi
    rm -f "$pids/$name"
  done
  # Each pod's processes by the pid the supervisor wrote, then every namespace of the tier.
  for pid in "$pids"/pod-*; do
    [ -f "$pid" ] && kill -9 -- "-$(cat "$pid")" 2>/dev/null
    rm -f "$pid"
  done
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^ee-'); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns" && echo "cluster:down: removed network namespace $ns"
  done
  rm -rf /etc/netns/"$client_ns"
  local r
  for r in "$pod_cidr" "$service_cidr" "$simulated_cidr"; do
    ip route del unreachable "$r" metric 4242 2>/dev/null
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: traffic.sh up|down" >&2; exit 2 ;;
esac
