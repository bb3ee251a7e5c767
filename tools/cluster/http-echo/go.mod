// Wrapper module: builds hashicorp/http-echo v1.0.0, the image the echo pods name
// (hashicorp/http-echo:1.0.0), for the local control plane's pod sandboxes (scripts/cluster/pods.sh).
// `go install …@v1.0.0` is refused (the proxy serves the version, not the list it reads).
module echo-exposure/tools/cluster/http-echo

go 1.26.8

require github.com/hashicorp/http-echo v1.0.0 // indirect

tool github.com/hashicorp/http-echo
