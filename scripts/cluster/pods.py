#!/usr/bin/env python3
"""The echo pods' sandboxes on the local control plane (issue 26), started by traffic.sh.

Plays the kubelet for the echo pods (label app.kubernetes.io/name=http-echo: stable and canary)
that kwok runs: for each Running pod with an IP, a network namespace holding that IP on the node's
bridge, and in it the container's own program and args, run as the pod's runAsUser/runAsGroup.
Only an image of hashicorp/http-echo at 1.0.0 (the version tools/cluster/http-echo builds) gets a
process; any other stays simulated, and the log says so. A process that dies is started again; a
pod that is gone loses its process and namespace. Polls every 2 s.

Port-forwarding: a kwok PortForward per pod, whose command connects inside the pod's namespace.

What kwok still decides: phase, Ready and the pod IP (no probe runs: http-echo's /health answers,
but nothing reads it for readiness).
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

STATE = os.environ["STATE"]
BIN = os.environ["BIN"]
KUBECONFIG = os.environ["KUBECONFIG_FILE"]
PIDS = os.path.join(STATE, "pids")
NODE_NS = "ee-node"
BRIDGE = "ee-br0"
GATEWAY = "10.244.255.254"
PREFIX_LEN = 16
HTTP_ECHO = re.compile(r"^(.*/)?hashicorp/http-echo:1\.0\.0(@sha256:[0-9a-f]{64})?$")
NOBODY = 65534


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def run(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def echo_pods():
    out = run(os.path.join(BIN, "kubectl"), "--kubeconfig", KUBECONFIG, "get", "pods", "-A", "-l", "app.kubernetes.io/name=http-echo", "-o", "json", check=False)
    if out.returncode != 0:
        return []
    return json.loads(out.stdout).get("items", [])


def names(uid):
    short = uid.replace("-", "")[:8]
    return f"ee-p{short}", f"ee-v{short}", os.path.join(PIDS, f"pod-{uid}")


def alive(pid_file):
    try:
        pid = int(open(pid_file).read())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def sandbox(pod):
    """The pod's namespace at its IP, on the node's bridge (made once; kept while the pod is)."""
    ns, veth, _ = names(pod["metadata"]["uid"])
    ip = pod["status"]["podIP"]
    if run("ip", "netns", "add", ns, check=False).returncode == 0:
        run("ip", "-n", ns, "link", "set", "lo", "up")
        run("ip", "-n", NODE_NS, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
        run("ip", "-n", NODE_NS, "link", "set", veth, "master", BRIDGE, "up")
        run("ip", "-n", ns, "addr", "add", f"{ip}/{PREFIX_LEN}", "dev", "eth0")
        run("ip", "-n", ns, "link", "set", "eth0", "up")
        run("ip", "-n", ns, "route", "add", "default", "via", GATEWAY)
        log(f"sandbox {ns} for {pod['metadata']['namespace']}/{pod['metadata']['name']} at {ip}")
        port_forward(pod, ns)
    return ns


def port_forward(pod, ns):
    """kwok's PortForward for the pod (kwok serves port-forward as the kubelet would): each container
    port reached as the kubelet's runtime reaches it, from inside the pod's network namespace to
    localhost. Owned by the pod, so the garbage collector removes it with the pod."""
    meta = pod["metadata"]
    ports = [p["containerPort"] for c in pod["spec"]["containers"] for p in c.get("ports", [])]
    obj = {
        "apiVersion": "kwok.x-k8s.io/v1alpha1",
        "kind": "PortForward",
        "metadata": {
            "name": meta["name"],
            "namespace": meta["namespace"],
            "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": meta["name"], "uid": meta["uid"]}],
        },
        "spec": {"forwards": [{"ports": [p], "command": ["ip", "netns", "exec", ns, "socat", "STDIO", f"TCP:127.0.0.1:{p}"]} for p in ports]},
    }
    r = subprocess.run([os.path.join(BIN, "kubectl"), "--kubeconfig", KUBECONFIG, "apply", "-f", "-"], input=json.dumps(obj), capture_output=True, text=True)
    if r.returncode != 0:
        log(f"{meta['name']}: no port-forward ({r.stderr.strip()})")


def start(pod, ns, pid_file):
    """The container's program with its own args, as the pod's user, in the pod's namespace."""
    spec = pod["spec"]
    container = spec["containers"][0]
    sc = {**spec.get("securityContext", {}), **container.get("securityContext", {})}
    uid, gid = str(sc.get("runAsUser", NOBODY)), str(sc.get("runAsGroup", NOBODY))
    cmd = ["ip", "netns", "exec", ns, "setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--no-new-privs",
           os.path.join(BIN, "http-echo"), *container.get("args", [])]
    logf = open(os.path.join(STATE, "logs", f"pod-{pod['metadata']['name']}.log"), "a")
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
    open(pid_file, "w").write(str(proc.pid))
    log(f"started http-echo for {pod['metadata']['name']} as {uid}:{gid} (pid {proc.pid}): {' '.join(container.get('args', []))}")


def stop(uid):
    ns, _, pid_file = names(uid)
    pid = alive(pid_file)
    if pid:
        os.killpg(pid, signal.SIGKILL)
    if os.path.exists(pid_file):
        os.remove(pid_file)
    for p in run("ip", "netns", "pids", ns, check=False).stdout.split():
        os.kill(int(p), signal.SIGKILL)
    if run("ip", "netns", "del", ns, check=False).returncode == 0:
        log(f"removed sandbox {ns}")


CLIENT_NS = os.environ.get("CLIENT_NS", "ee-client")
# The namespace ee-client stands in a pod of: the program's echo namespace (its default).
CLIENT_POD_NAMESPACE = os.environ.get("CLIENT_POD_NAMESPACE", "echo")


def write_hosts(pods):
    """A stand-in for cluster DNS: the Services of the echo pods' namespaces in ee-client's hosts file
    (ip netns exec binds /etc/netns/<ns>/hosts over /etc/hosts), short names too, as a pod there resolves them."""
    lines = []
    for ns in sorted({p["metadata"]["namespace"] for p in pods}):
        out = run(os.path.join(BIN, "kubectl"), "--kubeconfig", KUBECONFIG, "get", "svc", "-n", ns, "-o", "json", check=False)
        if out.returncode != 0:
            continue
        for svc in json.loads(out.stdout).get("items", []):
            ip = svc["spec"].get("clusterIP")
            if not ip or ip == "None":
                continue
            n = svc["metadata"]["name"]
            # Short names as a pod of the client's namespace (the echo namespace) resolves them.
            short = f" {n}" if ns == CLIENT_POD_NAMESPACE else ""
            lines.append(f"{ip}{short} {n}.{ns} {n}.{ns}.svc {n}.{ns}.svc.cluster.local")
    folder = f"/etc/netns/{CLIENT_NS}"
    os.makedirs(folder, exist_ok=True)
    text = "# Written by scripts/cluster/pods.py: a stand-in for cluster DNS (Services of the echo namespaces)\n127.0.0.1 localhost\n" + "\n".join(lines) + "\n"
    path = os.path.join(folder, "hosts")
    if not os.path.exists(path) or open(path).read() != text:
        open(path, "w").write(text)


def main():
    simulated = set()
    known = set()
    while True:
        live = set()
        pods = echo_pods()
        if os.environ.get("DNS_STANDIN") == "1":
            write_hosts(pods)
        for pod in pods:
            uid = pod["metadata"]["uid"]
            running = pod.get("status", {}).get("phase") == "Running" and pod["status"].get("podIP") and not pod["metadata"].get("deletionTimestamp")
            if not running:
                continue
            image = pod["spec"]["containers"][0]["image"]
            if not HTTP_ECHO.match(image):
                if uid not in simulated:
                    log(f"{pod['metadata']['name']}: image {image} has no build here: stays simulated")
                    simulated.add(uid)
                continue
            live.add(uid)
            ns = sandbox(pod)
            _, _, pid_file = names(uid)
            if not alive(pid_file):
                if uid in known:
                    log(f"{pod['metadata']['name']}: its process ended: starting it again")
                start(pod, ns, pid_file)
            known.add(uid)
        for uid in known - live:
            stop(uid)
        known &= live
        time.sleep(2)


if __name__ == "__main__":
    sys.exit(main())
