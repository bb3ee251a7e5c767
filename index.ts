/*
 * echo-exposure: the http-echo app, exposed every way the stack config asks for.
 * This file only composes: stacks/ reads and validates config (before anything is declared),
 * components/ declare the resources, and the exports below are the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { EchoCanary } from "./components/canary";
import {
    canaryHelp,
    inClusterCheck as checkCommand,
    portForward as forwardCommand,
    tlsHelp,
    trustStep,
    writeKubeconfigCommand,
} from "./components/clientCommands";
import { EchoApp } from "./components/echoApp";
import { EchoNamespace } from "./components/echoNamespace";
import { definedOutputs } from "./components/outputs";
import { GatewayExposure } from "./components/gatewayExposure";
import { IngressExposure } from "./components/ingressExposure";
import { TlsCertificates } from "./components/tlsCertificates";
import { ServiceExposures } from "./components/serviceExposures";
import { clusterAccess } from "./stacks/cluster";
import { describeIssuer, isAcmeStaging, issuerChoice } from "./stacks/certManager";
import { networkAccess } from "./stacks/networkAccess";
import { loadSettings } from "./stacks/settings";

const settings = loadSettings();
/** How the provider reaches the cluster (`kubernetes:kubeconfig`, `:context`, `:cluster`): every kubectl command in the outputs names the same. */
const cluster = clusterAccess();
const enabled = new Set(settings.exposures);
/** A value derived from a key set as a secret is marked secret: encrypted in state, masked in previews and outputs. */
const secretIf = <T>(key: string, value: pulumi.Input<T>): pulumi.Input<T> =>
    settings.secretKeys.has(key) ? (pulumi.secret(value) as pulumi.Output<T>) : value;

const namespace = new EchoNamespace("echo", { name: settings.namespace, create: settings.createNamespace });

const app = new EchoApp("echo", {
    namespace: namespace.name,
    ...settings.app,
    text: secretIf("text", settings.app.text),
    networkAccess: networkAccess(settings),
});

// The canary track (when configured): its own Deployment and ClusterIP Service, beside the stable ones.
const canaryTrack = settings.canary
    ? new EchoCanary("echo-canary", {
          namespace: app.namespace,
          settings: settings.canary,
          text: secretIf("canary", settings.canary.text),
          app: settings.app,
          service: settings.service,
      })
    : undefined;
const routeCanary = canaryTrack && {
    service: { name: canaryTrack.service.metadata.name, port: settings.service.port },
    weight: settings.canary!.weight,
    header: settings.canary!.header,
};

const services = new ServiceExposures("echo", {
    namespace: app.namespace,
    selector: app.selector,
    containerPort: app.containerPort,
    serviceName: settings.service.name,
    servicePort: settings.service.port,
    // Ingress and HTTPRoute route to the ClusterIP Service, so they need it even when `clusterIP` is not listed.
    clusterIP: enabled.has("clusterIP") || enabled.has("ingress") || enabled.has("gateway"),
    nodePort: enabled.has("nodePort") ? settings.nodePort : undefined,
    loadBalancer: enabled.has("loadBalancer") ? settings.loadBalancer : undefined,
    cluster,
});

const ingress = enabled.has("ingress")
    ? new IngressExposure("echo", {
          namespace: app.namespace,
          service: { name: services.clusterIP!.metadata.name, port: settings.service.port },
          settings: settings.ingress,
          tlsSecretsProvided: !settings.certManager,
          cluster,
          canary: routeCanary,
          hostPolicies: settings.routing.hosts,
      })
    : undefined;

const gateway = enabled.has("gateway")
    ? new GatewayExposure("echo", {
          namespace: app.namespace,
          service: { name: services.clusterIP!.metadata.name, port: settings.service.port },
          // The same routing as the Ingress, so both reach the same echo and a user can cut over by DNS.
          routing: settings.routing,
          sslRedirect: settings.routing.sslRedirect,
          hostPolicies: settings.routing.hosts,
          tlsSecretsProvided: !settings.certManager,
          settings: settings.gateway,
          cluster,
          echoNamespace: settings.namespace,
          canary: routeCanary,
      })
    : undefined;

const certManager = settings.certManager;
const solver = certManager?.issuer.type === "letsEncrypt" ? certManager.issuer.solver : undefined;
// HTTP-01 is answered by the proxy that serves the host: issuance waits for it (the controller;
// the Gateway itself, not its routes, whose HTTPS ones are accepted only once the certificates
// exist, so they wait for Accepted, up to 20 minutes).
const solvedBy = solver === "ingress" ? ingress?.controller : solver === "gateway" ? gateway?.gateway : undefined;
const certificates = certManager
    ? new TlsCertificates("echo", {
          namespace: app.namespace,
          certificates: settings.ingress.tls,
          issuer: secretEmail(
              issuerChoice(certManager.issuer, { ingressClassName: settings.ingress.className }, gateway && { gateway: gateway.solverParentRef }),
          ),
          install: certManager.install
              ? { namespace: certManager.namespace, chartVersion: certManager.chartVersion, chart: certManager.chart, gatewayApi: solver === "gateway" }
              : undefined,
          solverDependsOn: solvedBy ? [solvedBy] : undefined,
      })
    : undefined;

/** What a client trusts for the https checks (tls and canary outputs): the self-signed chain's root, or Let's Encrypt staging's. */
const trust = certificates && certManager ? trustStep(certificates.caSecret, isAcmeStaging(certManager.issuer), cluster) : undefined;

/** The ACME account's e-mail stays secret when certManager was set as one. */
function secretEmail<T extends object>(issuer: T): T {
    if (!("acme" in issuer) || !settings.secretKeys.has("certManager")) return issuer;
    const acme = (issuer as { acme: { email: string } }).acme;
    return { ...issuer, acme: { ...acme, email: pulumi.secret(acme.email) } };
}

/**
 * The stack outputs. An output whose feature is off (ingressUrls without `ingress`, gatewayUrls
 * without `gateway`, tls without certManager, canary without a canary) is left out, never
 * `undefined`: the Pulumi SDK warns "Undefined value (…) will not show as a stack output" on every
 * preview and up for a top-level undefined export (docs/design.md "Stack outputs").
 */
export = definedOutputs({
    /** One URL per enabled exposure: what a client uses to reach the echo app that way. */
    urls: pulumi.all([services.urls, ingress?.urls, gateway?.urls]).apply(([serviceUrls, ingressUrls, gatewayUrls]) => ({
        ...serviceUrls,
        ...(ingressUrls ? { ingress: ingressUrls[0] } : {}),
        ...(gatewayUrls ? { gateway: gatewayUrls[0] } : {}),
    })),
    /** Every host/path URL of the Ingress (the first is urls.ingress). */
    ingressUrls: ingress?.urls,
    /** Every host/path URL of the HTTPRoutes (the first is urls.gateway). */
    gatewayUrls: gateway?.urls,
    /**
     * Where each proxy is reached (host[:port]), whatever DNS says: a host's URL goes to whichever
     * proxy its DNS points at, so these are what to compare (`curl --resolve`) and cut over to.
     */
    proxyAddresses: pulumi.all([ingress?.address, gateway?.address]).apply(([ingressAddress, gatewayAddress]) => ({
        ...(ingressAddress ? { ingress: ingressAddress } : {}),
        ...(gatewayAddress ? { gateway: gatewayAddress } : {}),
    })),
    /** `kubectl port-forward` for reaching the app from this machine without exposing it. */
    portForward: forwardCommand(app.namespace, services.primary.metadata.name, settings.portForward.localPort, settings.service.port, cluster),
    /** The seed's in-cluster busybox check, ready to paste. */
    inClusterCheck: checkCommand(app.namespace, services.primary.metadata.name, settings.service.port, cluster),
    /**
     * With certManager: the issuer, for a self-signed chain the command that writes its CA to a file,
     * and for each https URL a curl that reaches it through its proxy (on kind: the port mappings).
     */
    tls: certificates ? tlsHelp(describeIssuer(certManager!.issuer), trust, [ingress, gateway]) : undefined,
    /** With a canary: its weight and header, and per proxy the commands that count 100 answers by text (trusting what tls trusts). */
    canary: settings.canary ? secretIf("canary", canaryHelp(settings.canary, { ingress, gateway }, trust)) : undefined,
    /** With kubernetes:kubeconfig set to a kubeconfig's contents: the command that writes the file the kubectl commands above read. */
    writeKubeconfig: writeKubeconfigCommand(cluster, pulumi.getStack()),
    /**
     * Per route and traffic policy, each enabled proxy's verdict (exact, approximate, unsupported,
     * ingress-nginx only), the defaults that still differ, and whether cutting over by DNS is safe.
     */
    parity: settings.routing.parity,
    /** Shown by Pulumi Cloud as the stack's README, with the outputs above filled in. */
    readme: fs.readFileSync(path.join(__dirname, "Pulumi.README.md"), "utf8"),
});
