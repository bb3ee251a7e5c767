#!/usr/bin/env bash
# npm run cluster:up — a Kubernetes control plane on loopback, with kwok's fake nodes and pods.
#
# Real: etcd, kube-apiserver (its validation and admission: PodSecurity, ServiceAccount,
# ValidatingAdmissionPolicy, …), kube-controller-manager (Deployments, Jobs, Endpoints, garbage
# collection, namespace deletion), kube-scheduler. Simulated by kwok: the kubelets (pods become
# Running and Ready, Job pods complete), and the status that controllers which do not run here
# would write (see scripts/cluster/kwok/). The two webhook admission plugins are off: the charts
# register webhooks (ingress-nginx, cert-manager) that nothing can answer, because their pods are
# fake; with failurePolicy Fail they would reject the program's Ingress, Issuers and Certificates.
# Idempotent: what already runs is left running. Prints where its kubeconfig is.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok; do
  [ -x "$bin/$b" ] || { echo "cluster:up: $bin/$b is missing: run npm run cluster:build first" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "cluster:up: openssl is needed for the PKI" >&2; exit 1; }
overlap=$(overlapping_range "$pod_cidr" "$service_cidr" "$simulated_cidr")
if [ -n "$overlap" ]; then
  echo "cluster:up: the range $overlap is on an interface of this machine: a simulated address would lead onto a real network; set another range in scripts/cluster/lib.sh" >&2
  exit 1
fi
mkdir -p "$pki" "$logs" "$pids" "$state/etcd"

# PKI, once: a CA; one certificate for the API server's serving side and for every client (the
# admin, the controller manager, the scheduler, kwok), in system:masters, as kwokctl does; a key
# pair for service-account tokens.
if [ ! -f "$pki/admin.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=echo-exposure-local-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  cat >"$pki/admin.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EXT
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kube-admin" \
    -keyout "$pki/admin.key" -out "$pki/admin.csr" 2>/dev/null
  openssl x509 -req -in "$pki/admin.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -extfile "$pki/admin.ext" -out "$pki/admin.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
fi

# The kubeconfig: context kind-echo, so Pulumi.dev.yaml's kubernetes:context works unmodified.
"$bin/kubectl" config --kubeconfig "$kubeconfig" set-cluster echo-local --server "https://127.0.0.1:$apiserver_port" \
  --certificate-authority "$pki/ca.crt" --embed-certs >/dev/null
"$bin/kubectl" config --kubeconfig "$kubeconfig" set-credentials kube-admin --client-certificate "$pki/admin.crt" \
  --client-key "$pki/admin.key" --embed-certs >/dev/null
"$bin/kubectl" config --kubeconfig "$kubeconfig" set-context "$context" --cluster echo-local --user kube-admin >/dev/null
"$bin/kubectl" config --kubeconfig "$kubeconfig" use-context "$context" >/dev/null

start etcd "$bin/etcd" --name=echo --data-dir="$state/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls="http://127.0.0.1:$((etcd_port + 1))" \
  --initial-cluster="echo=http://127.0.0.1:$((etcd_port + 1))" \
  --unsafe-no-fsync --auto-compaction-retention=1 --quota-backend-bytes=4294967296

# --endpoint-reconciler-type=none: the loopback advertise address stays out of the `kubernetes`
# Endpoints (EndpointSlices refuse loopback IPs). Priority and fairness off: less CPU on 2 cores.
start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$etcd_port" --bind-address=127.0.0.1 --secure-port="$apiserver_port" \
  --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
  --tls-cert-file="$pki/admin.crt" --tls-private-key-file="$pki/admin.key" --client-ca-file="$pki/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range="$service_cidr" --service-node-port-range=30000-32767 \
  --authorization-mode=Node,RBAC --allow-privileged=true \
  --disable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook \
  --enable-priority-and-fairness=false --kubelet-preferred-address-types=InternalIP

for _ in $(seq 1 120); do
  kubectl_ get --raw /readyz >/dev/null 2>&1 && break
  sleep 0.5
done
kubectl_ get --raw /readyz >/dev/null || { echo "cluster:up: the API server is not ready; see $logs/kube-apiserver.log" >&2; exit 1; }

start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false \
  --root-ca-file="$pki/ca.crt" --service-account-private-key-file="$pki/sa.key" \
  --use-service-account-credentials=false --cluster-name=echo
start kube-scheduler "$bin/kube-scheduler" --kubeconfig="$kubeconfig" \
  --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false

# Three fake nodes in three zones, with real capacity (the scheduler fits pods against it).
for i in 1 2 3; do
  kubectl_ apply -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: echo-node-$i
  labels:
    kubernetes.io/hostname: echo-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: zone-$i
    node.kubernetes.io/instance-type: kwok
  annotations:
    echo-exposure/simulated: "kwok: no kubelet, no containers"
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110", ephemeral-storage: 50Gi}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110", ephemeral-storage: 50Gi}
NODE
done

# kwok for nodes, pods and built-in kinds' status. --manage-all-nodes: it plays every node.
# Port-forwarding (issue 26): kwok serves the kubelet's API on the nodes' address (127.0.0.1) and
# port, which the node stage writes into each Node's daemonEndpoints; a PortForward object per pod
# (kwok's CRD, from the kwok module tools/cluster/kwok builds) says how to reach the pod's port:
# scripts/cluster/pods.py writes one for each pod whose process it runs.
kwok_serves=()
kwok_version=$(awk '$1 == "sigs.k8s.io/kwok" { print $2 }' "$here/tools/cluster/kwok/go.mod")
portforward_crd="$(go env GOMODCACHE 2>/dev/null)/sigs.k8s.io/kwok@$kwok_version/kustomize/crd/bases/kwok.x-k8s.io_portforwards.yaml"
if [ -f "$portforward_crd" ] && kubectl_ apply -f "$portforward_crd" >/dev/null; then
  kwok_serves=(--server-address="127.0.0.1:$kubelet_port" --node-port="$kubelet_port" --enable-crds=PortForward)
else
  echo "cluster:up: kwok's PortForward CRD is not in the Go module cache ($portforward_crd): port-forwarding stays unanswered"
fi
start kwok "$bin/kwok" --kubeconfig="$kubeconfig" --config="$here/scripts/cluster/kwok/core.yaml" \
  --manage-all-nodes=true --cidr="$pod_cidr" --node-ip=127.0.0.1 --node-lease-duration-seconds=40 "${kwok_serves[@]}"

# Stages for custom resources make kwok exit at start when their CRD is missing, and the stack
# installs those CRDs itself (Gateway API, cert-manager's chart) and removes them on destroy. A
# small supervisor runs one kwok per CRD group while its CRDs exist.
start kwok-supervisor bash "$here/scripts/cluster/supervise-kwok.sh"

for _ in $(seq 1 120); do
  [ "$(kubectl_ get nodes --no-headers 2>/dev/null | grep -c ' Ready ')" = 3 ] && break
  sleep 0.5
done
kubectl_ get nodes
# Real requests (issue 26): where this machine allows it, pods get processes and Services kube-proxy.
bash "$here/scripts/cluster/traffic.sh" up
echo "cluster:up: kubeconfig $kubeconfig (context $context); state $state"
echo 'cluster:up: eval "$(npm run -s cluster:env)" for a shell whose pulumi and kubectl use it'
