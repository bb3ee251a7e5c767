import { BadCase, itRejects } from "../support/badConfig";

/*
 * An error shows the value as the user wrote it (not with the schema's defaults filled in), and
 * points at the key to change: a deprecated key's new place, the rule that really fails.
 */

/** One routed host with TLS: what certManager needs to have something to issue. */
const TLS_ROUTING = { hosts: ["echo.example.com"], tls: [{ hosts: ["echo.example.com"], secretName: "echo-tls" }] };

const cases: BadCase[] = [
    {
        why: "a canary without a proxy, showing the canary as written",
        config: { exposures: "clusterIP", canary: { text: "c" } },
        key: "canary",
        value: '{"text":"c"}',
        allowed: /only with the ingress or gateway exposure/,
    },
    {
        why: "certManager with nothing to issue, showing certManager as written",
        config: { exposures: "ingress", certManager: { issuer: "selfSigned" } },
        key: "certManager",
        value: '{"issuer":"selfSigned"}',
        allowed: /only with something to issue/,
    },
    {
        why: "acme settings with another issuer (said first, not the missing e-mail)",
        config: {
            exposures: "ingress",
            routing: TLS_ROUTING,
            certManager: { issuer: "selfSigned", acme: { server: "staging" } },
        },
        key: "certManager.acme",
        value: '{"server":"staging"}',
        allowed: /no acme settings unless certManager.issuer is letsEncrypt/,
    },
    {
        why: "a misspelt deprecated routing key under ingress, pointing at its new place",
        config: { exposures: "ingress", ingress: { pathtype: "Exact" } },
        key: "ingress.pathtype",
        value: "Exact",
        allowed: /did you mean 'routing\.pathType'\?/,
    },
    {
        why: "a null in the exposures list, named as null",
        config: { exposures: ["clusterIP", null] },
        key: "exposures",
        value: "null",
        allowed: /\(null is not one of them\)/,
    },
    {
        why: "letsEncrypt without an e-mail",
        config: {
            exposures: "ingress",
            routing: TLS_ROUTING,
            certManager: { issuer: "letsEncrypt", acme: { server: "staging" } },
        },
        key: "certManager.acme.email",
        value: "nothing",
        allowed: /a non-empty string/,
    },
];

describe("errors name the value as written", () => {
    for (const c of cases) itRejects(c);
});
