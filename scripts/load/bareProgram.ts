import * as k8s from "@pulumi/kubernetes";
const labels = { app: "http-echo" };
new k8s.apps.v1.Deployment("echo", {
    spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "echo", image: "hashicorp/http-echo:1.0.0", args: ["-text=hi"] }] } },
    },
});
new k8s.core.v1.Service("veri-service", { spec: { selector: labels, ports: [{ port: 80, targetPort: 5678 }] } });
new k8s.core.v1.Service("veri-service-nodeport", { spec: { type: "NodePort", selector: labels, ports: [{ port: 80, targetPort: 5678 }] } });
new k8s.networking.v1.Ingress("veri-ingress", {
    spec: { rules: [{ http: { paths: [{ path: "/vericonf", pathType: "Prefix", backend: { service: { name: "veri-service", port: { number: 80 } } } }] } }] },
});
