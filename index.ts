/*
 * echo-exposure: the http-echo app, exposed every way the stack config asks for.
 * This file only composes: stacks/ reads and validates config (before anything is declared),
 * components/ declare the resources, and the exports below are the stack outputs.
 */
import { inClusterCheck as checkCommand, portForward as forwardCommand } from "./components/clientCommands";
import { EchoApp } from "./components/echoApp";
import { ServiceExposures } from "./components/serviceExposures";
import { loadSettings } from "./stacks/settings";

const settings = loadSettings();
const enabled = new Set(settings.exposures);

const app = new EchoApp("echo", {
    namespace: settings.namespace,
    createNamespace: settings.createNamespace,
    ...settings.app,
});

const services = new ServiceExposures("echo", {
    namespace: app.namespace,
    selector: app.selector,
    containerPort: app.containerPort,
    serviceName: settings.service.name,
    servicePort: settings.service.port,
    clusterIP: enabled.has("clusterIP"),
    nodePort: enabled.has("nodePort") ? settings.nodePort : undefined,
    loadBalancer: enabled.has("loadBalancer") ? settings.loadBalancer : undefined,
});

/** One URL per enabled exposure: what a client uses to reach the echo app that way. */
export const urls = services.urls;
/** `kubectl port-forward` for reaching the app from this machine without exposing it. */
export const portForward = forwardCommand(app.namespace, services.primary.metadata.name, settings.portForward.localPort, settings.service.port);
/** The seed's in-cluster busybox check, ready to paste. */
export const inClusterCheck = checkCommand(app.namespace, services.primary.metadata.name, settings.service.port);
