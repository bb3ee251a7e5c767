import * as assert from "assert";
import * as yaml from "js-yaml";
import { migrateEstate } from "../../migrate/estate";
import { readManifests } from "../../migrate/manifests";
import { KubeObject, runProgram, StackConfig } from "../support/program";
import { shippedStacks, stackConfig } from "../support/stacks";

/*
 * The round trip of issue 23: the Ingresses a stack declares, migrated, give a routing that makes
 * the program declare the same Ingresses, HTTPRoutes and NGF policies again. The migrated keys
 * replace the stack's own (exposures stay the stack's: the comparison is of the routing).
 */

/**
 * The Ingresses, HTTPRoutes and NGF policies, named by the hosts they serve rather than by their
 * names (veri-ingress-1, veri-route-0: numbered in the order hosts are listed, which the input's
 * order decides).
 */
function routingObjects(objects: KubeObject[]): Record<string, unknown> {
    const hostsOf = (o: KubeObject) => (o.kind === "Ingress" ? o.spec.rules.map((r: any) => r.host ?? "*") : (o.spec.hostnames ?? ["*"])).sort().join(",");
    const routes = new Map(objects.filter((o) => o.kind === "HTTPRoute").map((o) => [o.metadata.name, hostsOf(o)]));
    const out: Record<string, unknown> = {};
    for (const o of objects) {
        if (o.kind === "Ingress" || o.kind === "HTTPRoute") {
            const { ["pulumi.com/waitFor"]: _wait, ...annotations } = o.metadata.annotations ?? {};
            void _wait;
            out[`${o.kind} ${hostsOf(o)}${o.metadata.name.endsWith("-http") ? " http" : ""}${o.metadata.name.endsWith("canary") ? " canary" : ""}`] = {
                annotations,
                // The order of an Ingress's rules does not matter to ingress-nginx.
                spec: o.kind === "Ingress" ? { ...o.spec, rules: [...o.spec.rules].sort((x: any, y: any) => `${x.host}`.localeCompare(`${y.host}`)) } : o.spec,
            };
        } else if (["ClientSettingsPolicy", "ProxySettingsPolicy", "RateLimitPolicy"].includes(o.kind)) {
            const { targetRef, targetRefs, ...spec } = o.spec;
            const target = (targetRef ?? targetRefs[0]).name;
            out[`${o.kind} ${routes.get(target)}`] = spec;
        }
    }
    return out;
}

async function roundTrip(config: StackConfig, stack: string): Promise<void> {
    const first = await runProgram(config, { deterministic: true }, stack);
    const ingresses = first.objects.filter((o) => o.kind === "Ingress");
    const text = ingresses.map((o) => yaml.dump(o)).join("---\n");
    const migration = migrateEstate(readManifests(text, `${stack}.yaml`));
    assert.ok(migration.config, JSON.stringify(migration.report.notes));
    const migrated: StackConfig = { ...config };
    delete migrated.routing;
    for (const [k, v] of Object.entries(migration.config!)) if (k !== "echo-exposure:exposures") migrated[k.replace(/^echo-exposure:/, "")] = v;
    if (config.canary && migrated.canary) (migrated.canary as Record<string, unknown>).text = (config.canary as Record<string, unknown>).text;
    const second = await runProgram(migrated, { deterministic: true }, stack);
    const [a, b] = [routingObjects(second.objects), routingObjects(first.objects)];
    assert.deepStrictEqual(Object.keys(a).sort(), Object.keys(b).sort());
    for (const k of Object.keys(b)) assert.deepStrictEqual(a[k], b[k], k);
    assert.strictEqual(migration.report.summary.unsupported + migration.report.summary.notRecognised, 0, JSON.stringify(migration.report.ingresses));
}

describe("npm run migrate: a stack's own Ingresses round-trip to the same routing (issue 23)", () => {
    for (const stack of shippedStacks()) {
        it(`${stack}: the same Ingresses, HTTPRoutes and NGF policies`, () => roundTrip(stackConfig(stack), stack));
    }
    it("dev with a canary (weight and header), a rewrite on one host and CORS on another", () => {
        const dev = stackConfig("dev");
        const routing = dev.routing as { hosts: unknown[] };
        return roundTrip(
            {
                ...dev,
                canary: { text: "the canary", weight: 20, header: { name: "X-Canary", value: "yes" } },
                routing: {
                    ...routing,
                    hosts: [
                        ...routing.hosts,
                        { host: "r.localtest.me", path: "/api", rewrite: { pathPrefix: "/" } },
                        { host: "c.localtest.me", cors: { allowOrigins: ["https://app.example.com"], maxAge: 600 } },
                    ],
                },
            },
            "dev",
        );
    });
});
