#!/usr/bin/env bash
# npm run cluster:build — builds the local control plane's tools from Go modules.
#
# One wrapper module per group under tools/cluster/ (so minimum version selection cannot move
# one group's pins through another's). Binaries go to $ECHO_EXPOSURE_TOOLS/bin, outside the
# repository. A group is rebuilt only when its go.mod, go.sum or build flags changed: the
# stamp under $ECHO_EXPOSURE_TOOLS/stamps is the SHA-256 of all three.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
tools=${ECHO_EXPOSURE_TOOLS:-$HOME/.cache/echo-exposure/tools}
bin=$tools/bin
mkdir -p "$bin" "$tools/stamps" "$tools/src"
export CGO_ENABLED=0 GOFLAGS=-trimpath

# Versions the binaries report. Helm checks the charts' kubeVersion against the API server's
# /version, and kwokctl and the provider parse it too, so the Kubernetes ldflags are required:
# without them k8s.io/component-base/version reports v0.0.0-master.
K8S_VERSION=v1.36.3
PULUMI_VERSION=v3.276.0
# The SDK asks the engine for kubernetes 4.34.2; the proxy serves only an older provider
# commit (see tools/cluster/kubernetes-provider/go.mod), which is built and labelled 4.34.2.
PROVIDER_LABEL=4.34.2
KWOK_VERSION=v0.8.0
HELM_VERSION=v3.18.6

k8s_ldflags() {
  local f="-s -w" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f="$f -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=36"
    f="$f -X $p.gitTreeState=clean -X $p.buildDate=2026-01-01T00:00:00Z"
  done
  printf '%s' "$f"
}

# build GROUP LDFLAGS PACKAGE... — builds PACKAGEs of tools/cluster/GROUP into $bin.
build() {
  local group=$1 ldflags=$2; shift 2
  local dir=$here/tools/cluster/$group stamp
  stamp=$(cat "$dir/go.mod" "$dir/go.sum" <(printf '%s %s' "$ldflags" "$*") | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$tools/stamps/$group" 2>/dev/null)" = "$stamp" ]; then
    echo "cluster:build: $group is built ($bin)"; return 0
  fi
  echo "cluster:build: building $group: $*"
  local start=$SECONDS
  (cd "$dir" && go build -ldflags "$ldflags" -o "$bin/" "$@")
  echo "$stamp" > "$tools/stamps/$group"
  echo "cluster:build: $group built in $((SECONDS - start)) s"
}

# The provider's main package embeds schema-embed.json and terraform-mapping-embed.json, which
# its Makefile makes with `go generate` (they are .gitignored upstream). Copy the package from the
# module cache beside the wrapper's go.mod, generate them, build there.
build_provider() {
  local dir=$here/tools/cluster/kubernetes-provider src=$tools/src/kubernetes-provider stamp
  local ldflags="-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PROVIDER_LABEL"
  stamp=$(cat "$dir/go.mod" "$dir/go.sum" <(printf '%s' "$ldflags") | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$tools/stamps/kubernetes-provider" 2>/dev/null)" = "$stamp" ]; then
    echo "cluster:build: kubernetes-provider is built ($bin)"; return 0
  fi
  echo "cluster:build: building kubernetes-provider (labelled $PROVIDER_LABEL)"
  local start=$SECONDS mod
  mod=$(cd "$dir" && go mod download -json github.com/pulumi/pulumi-kubernetes/provider/v4 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rm -rf "$src"; mkdir -p "$src/cmd/pulumi-resource-kubernetes"
  cp "$dir/go.mod" "$dir/go.sum" "$src/"
  cp "$mod"/cmd/pulumi-resource-kubernetes/*.go "$mod"/cmd/pulumi-resource-kubernetes/*.json "$src/cmd/pulumi-resource-kubernetes/"
  chmod -R u+w "$src"
  (cd "$src/cmd/pulumi-resource-kubernetes" && VERSION=$PROVIDER_LABEL go run generate.go)
  (cd "$src" && go build -ldflags "$ldflags" -o "$bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
  echo "$stamp" > "$tools/stamps/kubernetes-provider"
  echo "cluster:build: kubernetes-provider built in $((SECONDS - start)) s"
}

total=$SECONDS
build etcd "-s -w" go.etcd.io/etcd/server/v3
# go names the binary of go.etcd.io/etcd/server/v3 "server"; give it its real name.
[ -x "$bin/server" ] && mv -f "$bin/server" "$bin/etcd"
build kubernetes "$(k8s_ldflags)" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kube-proxy
# The echo pods' own program, run in their sandboxes (scripts/cluster/pods.sh): seconds to build.
build http-echo "-s -w" github.com/hashicorp/http-echo
# Cluster DNS for the traffic tier (its kubernetes plugin); about 5 minutes cold.
build coredns "-s -w" github.com/coredns/coredns
build kwok "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$K8S_VERSION" \
  sigs.k8s.io/kwok/cmd/kwok
build helm "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" helm.sh/helm/v3/cmd/helm
GOFLAGS="-trimpath -tags=osusergo,grpcnotrace" build pulumi \
  "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build_provider
echo "cluster:build: tools in $bin ($((SECONDS - total)) s)"
