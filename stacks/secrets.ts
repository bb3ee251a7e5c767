import * as pulumi from "@pulumi/pulumi";
// The SDK's own check of the secret config keys the engine passed. It is left out of the SDK's
// typings (internal), though exported by runtime/config.js (@pulumi/pulumi 3.276.0), and no public
// call tells a secret key from a plain one; test/program/secrets.test.ts fails if it goes away.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (fullKey: string) => boolean };
import { projectKeys } from "./read";

/**
 * The project's top-level keys set as secrets (`pulumi config set --secret`, or a `secure:` value
 * inside a structured key, which makes the whole key secret). `config.get` reads them as plain
 * text, and a plain value written into a resource's inputs is stored in the state unencrypted and
 * shown in previews: index.ts marks what it derives from them with pulumi.secret.
 */
export function secretKeys(config: pulumi.Config): Set<string> {
    return new Set(projectKeys(config).filter((k) => isConfigSecret(`${config.name}:${k}`)));
}
