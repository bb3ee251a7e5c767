import * as assert from "assert";
import { BadCase, itRejects } from "../support/badConfig";

/**
 * Every kind of bad config fails the program with one message that names the key, the value and
 * what is allowed, before any resource is registered (so nothing in the cluster is touched).
 */
const cases: BadCase[] = [
    {
        why: "a typo in an exposure name",
        config: { exposures: "clusterIP,ingres" },
        key: "exposures",
        value: "ingres",
        allowed: /clusterIP, nodePort, loadBalancer/,
    },
    { why: "a wrongly cased exposure name", config: { exposures: ["NodePorts"] }, key: "exposures", value: "NodePorts", allowed: /nodePort/ },
    { why: "an empty exposure list", config: { exposures: [] }, key: "exposures", value: "[]", allowed: /non-empty list/ },
    { why: "an empty exposure string", config: { exposures: " " }, key: "exposures", value: '" "', allowed: /non-empty list/ },
    { why: "exposures of the wrong type", config: { exposures: { clusterIP: true } }, key: "exposures", value: "clusterIP", allowed: /list/ },
    { why: "a service port of 0", config: { servicePort: "0" }, key: "servicePort", value: '"0"', allowed: /port number from 1 to 65535/ },
    { why: "a container port above 65535", config: { containerPort: "70000" }, key: "containerPort", value: "70000", allowed: /1024 to 65535/ },
    { why: "a local port that is not a number", config: { localPort: "eighty" }, key: "localPort", value: "eighty", allowed: /1 to 65535/ },
    {
        why: "a node port below the node-port range",
        config: { exposures: "nodePort", nodePort: "8080" },
        key: "nodePort",
        value: "8080",
        allowed: /30000 to 32767/,
    },
    { why: "a node port above the node-port range", config: { nodePort: "32768" }, key: "nodePort", value: "32768", allowed: /30000 to 32767/ },
    { why: "zero replicas", config: { replicas: "0" }, key: "replicas", value: '"0"', allowed: /from 1 to/ },
    { why: "fractional replicas", config: { replicas: "1.5" }, key: "replicas", value: "1.5", allowed: /whole number/ },
    { why: "a service name with capitals", config: { serviceName: "Veri_Service" }, key: "serviceName", value: "Veri_Service", allowed: /DNS-1035 label/ },
    { why: "a service name longer than a DNS label", config: { serviceName: "a".repeat(64) }, key: "serviceName", value: "aaaa", allowed: /at most 63/ },
    { why: "a namespace with a dot", config: { namespace: "echo.dev" }, key: "namespace", value: "echo.dev", allowed: /DNS-1123 label/ },
    { why: "createNamespace that is not a boolean", config: { createNamespace: "yes" }, key: "createNamespace", value: "yes", allowed: /true or false/ },
    { why: "an unpinned image", config: { image: "hashicorp/http-echo" }, key: "image", value: "hashicorp/http-echo", allowed: /pinned/ },
    { why: "the latest tag", config: { image: "hashicorp/http-echo:latest" }, key: "image", value: "latest", allowed: /not 'latest'/ },
    { why: "an empty text", config: { text: "" }, key: "text", value: '""', allowed: /non-empty string/ },
    { why: "a loadBalancer that is not an object", config: { loadBalancer: "yes" }, key: "loadBalancer", value: "yes", allowed: /object/ },
    {
        why: "a typo inside loadBalancer",
        config: { loadBalancer: { sourceRange: ["10.0.0.0/8"] } },
        key: "loadBalancer.sourceRange",
        value: "10.0.0.0/8",
        allowed: /sourceRanges/,
    },
    {
        why: "a source range that is not a CIDR",
        config: { loadBalancer: { sourceRanges: ["10.0.0.0"] } },
        key: "loadBalancer.sourceRanges[0]",
        value: "10.0.0.0",
        allowed: /CIDR/,
    },
    {
        why: "annotations that are not strings",
        config: { loadBalancer: { annotations: { a: 1 } } },
        key: "loadBalancer.annotations",
        value: '{"a":1}',
        allowed: /strings/,
    },
    {
        why: "skipAwait that is not a boolean",
        config: { loadBalancer: { skipAwait: "maybe" } },
        key: "loadBalancer.skipAwait",
        value: "maybe",
        allowed: /true or false/,
    },
    { why: "malformed JSON", config: { exposures: "[clusterIP" }, key: "exposures", value: "[clusterIP", allowed: /valid JSON/ },
    { why: "a typo in a top-level key", config: { replcas: "3" }, key: "replcas", value: "3", allowed: /did you mean 'replicas'\?.*exposures, namespace/ },
    { why: "an unknown top-level key", config: { colour: "blue" }, key: "colour", value: "blue", allowed: /no such key; echo-exposure takes exposures/ },
    ...["default", "kube-system", "kube-public", "kube-node-lease"].map((ns) => ({
        why: `creating the namespace ${ns}, which every cluster has`,
        config: { namespace: ns },
        key: "namespace",
        value: ns,
        allowed: /AlreadyExists.*createNamespace: false/,
    })),
    {
        why: "a service name starting with a digit (Service names are DNS-1035 labels)",
        config: { serviceName: "1echo" },
        key: "serviceName",
        value: "1echo",
        allowed: /DNS-1035 label.*starting with a letter/,
    },
    {
        why: "a service name too long for the NodePort Service named after it",
        config: { exposures: "nodePort", serviceName: "a".repeat(60) },
        key: "serviceName",
        value: "a".repeat(60),
        allowed: /at most 54, so that '<name>-nodeport' fits? in 63|at most 54/,
    },
    {
        why: "a node address with a scheme",
        config: { exposures: "nodePort", nodeAddress: "http://node1" },
        key: "nodeAddress",
        value: "http://node1",
        allowed: /a host: a DNS name, an IPv4 or an IPv6 address/,
    },
    {
        why: "a node address with a port",
        config: { exposures: "nodePort", nodeAddress: "localhost:8080" },
        key: "nodeAddress",
        value: "localhost:8080",
        allowed: /no port/,
    },
    {
        why: "a container port the non-root container cannot bind",
        config: { containerPort: "80" },
        key: "containerPort",
        value: "80",
        allowed: /1024 to 65535/,
    },
    {
        why: "an unknown image pull policy",
        config: { imagePullPolicy: "always" },
        key: "imagePullPolicy",
        value: "always",
        allowed: /Always, IfNotPresent, Never/,
    },
    {
        why: "the echo node port reused for the ingress controller",
        config: { exposures: "nodePort,ingress", nodePort: "30080", ingress: { controller: { serviceType: "NodePort", nodePorts: { http: 30080 } } } },
        key: "ingress.controller.nodePorts.http",
        value: "30080",
        allowed: /not already used by nodePort/,
    },
    {
        why: "one node port for the ingress controller and the Gateway",
        config: {
            exposures: "ingress,gateway",
            ingress: { controller: { serviceType: "NodePort", nodePorts: { https: 30443 } } },
            gateway: { nodePorts: { https: 30443 }, controller: { serviceType: "NodePort" } },
        },
        key: "gateway.nodePorts.https",
        value: "30443",
        allowed: /not already used by ingress\.controller\.nodePorts\.https/,
    },
    {
        why: "one node port for http and https of one controller",
        config: { exposures: "ingress", ingress: { controller: { serviceType: "NodePort", nodePorts: { http: 30081, https: 30081 } } } },
        key: "ingress.controller.nodePorts.https",
        value: "30081",
        allowed: /not already used by ingress\.controller\.nodePorts\.http/,
    },
];

describe("bad config", () => {
    for (const c of cases) itRejects(c);
});

describe("bad ingress config", () => {
    const ingressCases: (Omit<BadCase, "config"> & { ingress: unknown })[] = [
        { why: "a path without a leading /", ingress: { path: "vericonf" }, key: "ingress.path", value: "vericonf", allowed: /starting with '\/'/ },
        {
            why: "a path with '~', which ingress-nginx's path check refuses",
            ingress: { path: "/~user" },
            key: "ingress.path",
            value: "/~user",
            allowed: /\/ \. _ -/,
        },
        { why: "a regex path with pathType Prefix", ingress: { path: "/v(.*)" }, key: "ingress.path", value: "/v(.*)", allowed: /ImplementationSpecific/ },
        {
            why: "an unknown pathType",
            ingress: { pathType: "prefix" },
            key: "ingress.pathType",
            value: "prefix",
            allowed: /Prefix, Exact, ImplementationSpecific/,
        },
        {
            why: "a host that is not a DNS name",
            ingress: { hosts: ["Echo_Example.com"] },
            key: "ingress.hosts[0]",
            value: "Echo_Example.com",
            allowed: /DNS host name/,
        },
        {
            why: "a host that is an IP address",
            ingress: { hosts: ["203.0.113.10"] },
            key: "ingress.hosts[0]",
            value: "203.0.113.10",
            allowed: /not an IP address/,
        },
        {
            why: "a host given twice with the same path",
            ingress: { hosts: ["a.example.com", "a.example.com"] },
            key: "ingress.hosts[1]",
            value: "a.example.com",
            allowed: /each host and path once/,
        },
        { why: "hosts that are not a list", ingress: { hosts: "a.example.com" }, key: "ingress.hosts", value: "a.example.com", allowed: /list of host names/ },
        {
            why: "TLS without a secret",
            ingress: { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"] }] },
            key: "ingress.tls[0].secretName",
            value: "nothing",
            allowed: /TLS needs a secret/,
        },
        {
            why: "TLS for a host that is not routed",
            ingress: { hosts: ["a.example.com"], tls: [{ hosts: ["b.example.com"], secretName: "t" }] },
            key: "ingress.tls[0].hosts[0]",
            value: "b.example.com",
            allowed: /routed hosts \(a\.example\.com\)/,
        },
        {
            why: "a chart version that is not a version",
            ingress: { controller: { chartVersion: "latest" } },
            key: "ingress.controller.chartVersion",
            value: "latest",
            allowed: /exact version/,
        },
        {
            why: "a chart version range",
            ingress: { controller: { chartVersion: "^4.15.0" } },
            key: "ingress.controller.chartVersion",
            value: "^4.15.0",
            allowed: /no ranges/,
        },
        {
            why: "an unknown controller service type",
            ingress: { controller: { serviceType: "hostPort" } },
            key: "ingress.controller.serviceType",
            value: "hostPort",
            allowed: /LoadBalancer, NodePort, ClusterIP/,
        },
        {
            why: "a controller node port out of range",
            ingress: { controller: { nodePorts: { http: 8081 } } },
            key: "ingress.controller.nodePorts.http",
            value: "8081",
            allowed: /30000 to 32767/,
        },
        {
            why: "an address with a scheme",
            ingress: { address: "http://localhost:8081" },
            key: "ingress.address",
            value: "http://localhost:8081",
            allowed: /no scheme/,
        },
        {
            why: "a snippet annotation",
            ingress: { annotations: { "nginx.ingress.kubernetes.io/configuration-snippet": "x" } },
            key: "ingress.annotations.nginx.ingress.kubernetes.io/configuration-snippet",
            value: "x",
            allowed: /no snippet annotations/,
        },
        {
            why: "a no-op ingress.kubernetes.io annotation",
            ingress: { annotations: { "ingress.kubernetes.io/ssl-redirect": "false" } },
            key: "ingress.annotations.ingress.kubernetes.io/ssl-redirect",
            value: "false",
            allowed: /nginx\.ingress\.kubernetes\.io\/ prefix/,
        },
        {
            why: "a typo in an ingress key",
            ingress: { hostnames: ["a.example.com"] },
            key: "ingress.hostnames",
            value: "a.example.com",
            // The deprecated routing keys are still read there, but not offered.
            allowed: /ingress takes className, address, httpsAddress, annotations, controller\./,
        },
        { why: "a class name that is not a name", ingress: { className: "Nginx!" }, key: "ingress.className", value: "Nginx!", allowed: /DNS-1123 subdomain/ },
        {
            why: "a bad resource quantity",
            ingress: { controller: { resources: { requests: { cpu: "lots" } } } },
            key: "ingress.controller.resources.requests.cpu",
            value: "lots",
            allowed: /quantity/,
        },
        {
            why: "source ranges on a NodePort controller (the API server rejects them on any type but LoadBalancer)",
            ingress: { controller: { serviceType: "NodePort", sourceRanges: ["203.0.113.0/24"] } },
            key: "ingress.controller.sourceRanges",
            value: "203.0.113.0/24",
            allowed: /unless ingress\.controller\.serviceType is LoadBalancer \(it is NodePort\)/,
        },
        {
            why: "the controller in kube-system, which the program would try to create",
            ingress: { controller: { namespace: "kube-system" } },
            key: "ingress.controller.namespace",
            value: "kube-system",
            allowed: /AlreadyExists/,
        },
        {
            why: "a release name that starts with a digit",
            ingress: { controller: { releaseName: "4ingress" } },
            key: "ingress.controller.releaseName",
            value: "4ingress",
            allowed: /DNS-1035 label/,
        },
        {
            why: "a release name too long for the admission Service named after it",
            ingress: { controller: { releaseName: "i".repeat(45) } },
            key: "ingress.controller.releaseName",
            value: "i".repeat(45),
            allowed: /<name>-controller-admission/,
        },
        {
            why: "one host in two TLS entries with different Secrets",
            ingress: {
                hosts: ["a.example.com", "b.example.com"],
                tls: [
                    { hosts: ["a.example.com"], secretName: "a-tls" },
                    { hosts: ["b.example.com", "a.example.com"], secretName: "ab-tls" },
                ],
            },
            key: "ingress.tls[1].hosts[1]",
            value: "a.example.com",
            allowed: /already served by Secret 'a-tls'/,
        },
        {
            why: "the controller in the app's namespace",
            ingress: { controller: { namespace: "echo" } },
            key: "ingress.controller.namespace",
            value: "echo",
            allowed: /its own/,
        },
    ];
    for (const c of ingressCases) itRejects({ ...c, config: { exposures: "ingress", ingress: c.ingress } });
});

describe("bad gateway config", () => {
    const gatewayCases: BadCase[] = [
        {
            why: "a gateway class name that is not a name",
            config: { gateway: { className: "NGINX_class" } },
            key: "gateway.className",
            value: "NGINX_class",
            allowed: /DNS-1123 subdomain/,
        },
        { why: "a listener port out of range", config: { gateway: { httpPort: 0 } }, key: "gateway.httpPort", value: "0", allowed: /1 to 65535/ },
        {
            why: "the same port for both listeners",
            config: { gateway: { httpPort: 8443, httpsPort: 8443 } },
            key: "gateway.httpsPort",
            value: "8443",
            allowed: /other than gateway\.httpPort/,
        },
        {
            why: "a data-plane node port out of range",
            config: { gateway: { nodePorts: { http: 8082 } } },
            key: "gateway.nodePorts.http",
            value: "8082",
            allowed: /30000 to 32767/,
        },
        {
            why: "a chart version that is not a version",
            config: { gateway: { controller: { chartVersion: "stable" } } },
            key: "gateway.controller.chartVersion",
            value: "stable",
            allowed: /exact version/,
        },
        {
            why: "a CRD version with a v prefix",
            config: { gateway: { controller: { crdsVersion: "v1.5.1" } } },
            key: "gateway.controller.crdsVersion",
            value: "v1.5.1",
            allowed: /no 'v' prefix/,
        },
        {
            why: "a Gateway API release whose CRDs are not in the lock",
            config: { gateway: { controller: { crdsVersion: "1.4.0" } } },
            key: "gateway.controller.crdsVersion",
            value: "1.4.0",
            allowed: /a version in upstream\.lock\.json.*'1\.5\.1'/,
        },
        {
            why: "a newer Gateway API release, not in the lock",
            config: { gateway: { controller: { crdsVersion: "1.6.0" } } },
            key: "gateway.controller.crdsVersion",
            value: "1.6.0",
            allowed: /a version in upstream\.lock\.json.*'1\.5\.1'/,
        },
        {
            why: "an NGINX Gateway Fabric chart that is not in the lock (a newer patch)",
            config: { gateway: { controller: { chartVersion: "2.6.8" } } },
            key: "gateway.controller.chartVersion",
            value: "2.6.8",
            allowed: /a version in upstream\.lock\.json.*'2\.6\.7'/,
        },
        {
            why: "an NGINX Gateway Fabric major whose values the program does not know",
            config: { gateway: { controller: { chartVersion: "1.6.2" } } },
            key: "gateway.controller.chartVersion",
            value: "1.6.2",
            allowed: /'2\.6\.7'/,
        },
        {
            why: "an ingress-nginx chart that is not in the lock",
            config: { exposures: "ingress", ingress: { controller: { chartVersion: "4.12.1" } } },
            key: "ingress.controller.chartVersion",
            value: "4.12.1",
            allowed: /a version in upstream\.lock\.json.*'4\.15\.1'/,
        },
        {
            why: "a cert-manager chart that is not in the lock",
            config: {
                exposures: "ingress",
                ingress: { hosts: ["a.example.com"], tls: [{ hosts: ["a.example.com"], secretName: "a-tls" }] },
                certManager: { issuer: "selfSigned", chartVersion: "v1.20.0" },
            },
            key: "certManager.chartVersion",
            value: "v1.20.0",
            allowed: /a version in upstream\.lock\.json.*'v1\.21\.1'/,
        },
        {
            why: "NGINX Gateway Fabric 2.6.0, whose data plane the restricted namespace rejects",
            config: { gateway: { controller: { chartVersion: "2.6.0" } } },
            key: "gateway.controller.chartVersion",
            value: "2.6.0",
            allowed: /allowPrivilegeEscalation/,
        },
        {
            why: "an unknown data-plane service type",
            config: { gateway: { controller: { serviceType: "External" } } },
            key: "gateway.controller.serviceType",
            value: "External",
            allowed: /LoadBalancer, NodePort, ClusterIP/,
        },
        {
            why: "an ImplementationSpecific path, which HTTPRoute cannot express",
            config: { ingress: { pathType: "ImplementationSpecific" } },
            key: "ingress.pathType",
            value: "ImplementationSpecific",
            allowed: /Prefix or Exact when gateway/,
        },
        {
            why: "an existing Gateway without a namespace",
            config: { gateway: { existing: { name: "shared" } } },
            key: "gateway.existing.namespace",
            value: "nothing",
            allowed: /DNS-1123 label/,
        },
        {
            why: "a typo in a gateway key",
            config: { gateway: { gatewayClassName: "nginx" } },
            key: "gateway.gatewayClassName",
            value: "nginx",
            allowed: /className/,
        },
        {
            why: "an address with a path",
            config: { gateway: { address: "localhost:8082/vericonf" } },
            key: "gateway.address",
            value: "localhost:8082/vericonf",
            allowed: /no path/,
        },
        ...["/a//b", "/a/./b", "/a/../b", "/a/.", "/a/.."].map((path) => ({
            why: `the path ${path}, which the HTTPRoute CRD's CEL rules and the Ingress validation both reject`,
            config: { ingress: { path } },
            key: "ingress.path",
            value: path,
            allowed: /a path the HTTPRoute CRD accepts|the API server accepts in an Ingress/,
        })),
        {
            why: "a host's own path that the HTTPRoute CRD rejects",
            config: { ingress: { hosts: ["a.example.com", { host: "b.example.com", path: "/x//y" }] } },
            key: "ingress.hosts[1].path",
            value: "/x//y",
            allowed: /no '\/\/'/,
        },
        {
            why: "a Gateway name with a dot (its data-plane Service is named after it)",
            config: { gateway: { name: "echo.gateway" } },
            key: "gateway.name",
            value: "echo.gateway",
            allowed: /DNS-1035 label/,
        },
        {
            why: "a dotted class name for the GatewayClass the installed NGF creates",
            config: { gateway: { className: "nginx.example.com" } },
            key: "gateway.className",
            value: "nginx.example.com",
            allowed: /DNS-1123 label/,
        },
        {
            why: "source ranges on a NodePort data plane",
            config: { gateway: { controller: { serviceType: "NodePort", sourceRanges: ["203.0.113.0/24"] } } },
            key: "gateway.controller.sourceRanges",
            value: "203.0.113.0/24",
            allowed: /unless gateway\.controller\.serviceType is LoadBalancer/,
        },
        {
            why: "the gateway controller in the ingress controller's namespace",
            config: { exposures: "ingress,gateway", gateway: { controller: { namespace: "ingress-nginx" } } },
            key: "gateway.controller.namespace",
            value: "ingress-nginx",
            allowed: /of its own/,
        },
    ];
    for (const c of gatewayCases) itRejects({ ...c, config: { exposures: "gateway", ...c.config } });

    it("accepts an ImplementationSpecific ingress path when gateway is not an exposure", async () => {
        const { runProgram } = await import("../support/program");
        const run = await runProgram({
            exposures: "ingress",
            // A regex path needs use-regex (stacks/controllerRules.ts: refused without it).
            ingress: { pathType: "ImplementationSpecific", path: "/v(.*)", annotations: { "nginx.ingress.kubernetes.io/use-regex": "true" } },
        });
        assert.strictEqual(run.ofType("kubernetes:networking.k8s.io/v1:Ingress").length, 1);
    });
});

describe("bad certManager config", () => {
    const tls = { hosts: ["echo.corp.dev"], tls: [{ hosts: ["echo.corp.dev"], secretName: "echo-tls" }] };
    const le = (acme: Record<string, unknown>) => ({ issuer: "letsEncrypt", acme: { email: "platform@corp.dev", ...acme } });
    const certCases: BadCase[] = [
        {
            why: "an unknown issuer",
            config: { certManager: { issuer: "vault" } },
            key: "certManager.issuer",
            value: "vault",
            allowed: /selfSigned or letsEncrypt/,
        },
        { why: "no issuer", config: { certManager: {} }, key: "certManager.issuer", value: "nothing", allowed: /selfSigned or letsEncrypt/ },
        {
            why: "an existing issuer of an unknown kind",
            config: { certManager: { issuer: { kind: "Issuers", name: "x" } } },
            key: "certManager.issuer.kind",
            value: "Issuers",
            allowed: /ClusterIssuer, Issuer/,
        },
        {
            why: "letsEncrypt without an email",
            config: { certManager: { issuer: "letsEncrypt" } },
            key: "certManager.acme.email",
            value: "nothing",
            allowed: /non-empty string/,
        },
        {
            why: "letsEncrypt with an example.com contact, which Let's Encrypt refuses",
            config: { certManager: le({ email: "ops@example.com" }) },
            key: "certManager.acme.email",
            value: "ops@example.com",
            allowed: /refuses example\.com/,
        },
        {
            why: "letsEncrypt with a plain-http ACME server",
            config: { certManager: le({ server: "http://acme.corp.dev/directory" }) },
            key: "certManager.acme.server",
            value: "http://acme.corp.dev/directory",
            allowed: /production, staging, or the https URL/,
        },
        {
            why: "acme settings for the selfSigned issuer",
            config: { certManager: { issuer: "selfSigned", acme: { email: "platform@corp.dev" } } },
            key: "certManager.acme",
            value: "platform@corp.dev",
            allowed: /unless certManager\.issuer is letsEncrypt/,
        },
        {
            why: "the gateway solver without the gateway exposure",
            config: { certManager: le({ solver: "gateway" }) },
            key: "certManager.acme.solver",
            value: "gateway",
            allowed: /only when 'gateway' is in exposures/,
        },
        {
            why: "the ingress solver without the ingress exposure",
            config: { exposures: "gateway", certManager: le({ solver: "ingress" }) },
            key: "certManager.acme.solver",
            value: "ingress",
            allowed: /only when 'ingress' is in exposures/,
        },
        {
            why: "HTTP-01 through a controller that admits only some source ranges",
            config: { certManager: le({}), ingress: { ...tls, controller: { sourceRanges: ["203.0.113.0/24"] } } },
            key: "certManager.acme.solver",
            value: "ingress",
            allowed: /Let's Encrypt can reach from anywhere/,
        },
        {
            why: "a chart version that is not exact",
            config: { certManager: { issuer: "selfSigned", chartVersion: "1.21" } },
            key: "certManager.chartVersion",
            value: "1.21",
            allowed: /exact chart version with its 'v'/,
        },
        {
            why: "a chart version without its 'v'",
            config: { certManager: { issuer: "selfSigned", chartVersion: "1.21.1" } },
            key: "certManager.chartVersion",
            value: "1.21.1",
            allowed: /with its 'v'/,
        },
        {
            why: "cert-manager in the ingress controller's namespace",
            config: { certManager: { issuer: "selfSigned", namespace: "ingress-nginx" } },
            key: "certManager.namespace",
            value: "ingress-nginx",
            allowed: /of its own/,
        },
        {
            why: "a typo in a certManager key",
            config: { certManager: { issuers: "selfSigned" } },
            key: "certManager.issuers",
            value: "selfSigned",
            allowed: /did you mean 'issuer'/,
        },
    ];
    for (const c of certCases) itRejects({ ...c, config: { exposures: "ingress", ingress: tls, ...c.config } });

    itRejects({
        why: "certManager with no ingress.tls to issue",
        config: { exposures: "ingress", certManager: { issuer: "selfSigned" } },
        key: "certManager",
        value: "selfSigned",
        allowed: /only with something to issue: ingress\.tls/,
    });
});
