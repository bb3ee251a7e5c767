import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { rewriteRegex, rewriteTarget } from "../../routing/features/rewrite";

/*
 * The rewrite on a real NGINX (Debian's nginx-light; pending without it): the locations and
 * rewrites ingress-nginx 1.15.1 writes for the Ingress the program declares, beside the ones NGINX
 * Gateway Fabric 2.6.7 writes for the HTTPRoute's URLRewrite, each proxying to a server that
 * answers the URI it received. Both must send the same URI for every request, and route the same
 * requests. The two configs follow the controllers' templates as docs/verification.md cites them
 * ("Routing model": ingress-nginx template.go buildLocation/buildProxyPass and controller.go's
 * longest-first order; NGF servers.go initializeExternalLocations/createMainRewriteForFilters);
 * they are not the controllers themselves.
 */

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));

/** ingress-nginx: every path of the host a regex location, longest first, rewritten to the target. */
function ingressNginxServer(listen: string, paths: string[], prefix: string, backend: string): string {
    const locations = paths
        .map(rewriteRegex)
        .sort((a, b) => b.length - a.length)
        .map((re) => `location ~* "^${re}" { rewrite "(?i)${re}" ${rewriteTarget(prefix)} break; proxy_pass http://unix:${backend}:; }`);
    return `server { listen unix:${listen}; ${locations.join(" ")} }`;
}

/** NGF: a Prefix path `/p` is the locations `/p/` and `= /p` ('/' is one), each rewriting its prefix. */
function ngfServer(listen: string, paths: string[], prefix: string, backend: string): string {
    const locations = paths.flatMap((p) => {
        const slashed = prefix.endsWith("/") && !p.endsWith("/");
        const regex = slashed ? `^${p}(?:/([^?]*))?` : `^${p}([^?]*)?`;
        const replacement = p.endsWith("/") && !prefix.endsWith("/") ? `${prefix}/$1?$args?` : `${prefix}$1?$args?`;
        const body = `{ rewrite ${regex} ${replacement} break; proxy_pass http://unix:${backend}:; }`;
        return p === "/" ? [`location / ${body}`] : [`location ${p}/ ${body}`, `location = ${p} ${body}`];
    });
    return `server { listen unix:${listen}; ${locations.join(" ")} }`;
}

/** A GET over a unix socket (no TCP port to collide with): the status and, for 200, the body. */
function get(socket: string, uri: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const req = http.get({ socketPath: socket, path: uri, headers: { host: "h.example.com" } }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve(`${res.statusCode} ${res.statusCode === 200 ? body : ""}`));
        });
        req.on("error", reject);
    });
}

const CASES = [
    { paths: ["/api", "/"], prefix: "/v1" },
    { paths: ["/api", "/"], prefix: "/" },
    { paths: ["/api", "/"], prefix: "/v1/" },
    { paths: ["/api/v2", "/a.b"], prefix: "/x" },
];
const URIS = ["/", "/api", "/api/", "/api/x?y=1", "/api/x/y", "/API/x", "/apix", "/x", "/?a=b", "/api/v2/z", "/a.b/c", "/aXb/c"];

describe("routing feature: rewrite on NGINX, ingress-nginx's form beside NGINX Gateway Fabric's", function () {
    this.timeout(20000);
    let dir: string;
    const socket = (name: string) => path.join(dir, `${name}.sock`);
    before(function () {
        if (!NGINX) return this.skip();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "rewrite-nginx-"));
        const servers = CASES.flatMap((c, i) => [
            ingressNginxServer(socket(`ingress-${i}`), c.paths, c.prefix, socket("pods")),
            ngfServer(socket(`ngf-${i}`), c.paths, c.prefix, socket("pods")),
        ]);
        const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${dir};`).join(" ");
        fs.writeFileSync(
            path.join(dir, "nginx.conf"),
            `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log; events {}
             http { access_log off; ${temp}
               server { listen unix:${socket("pods")}; location / { return 200 "$request_uri"; } }
               ${servers.join("\n")} }`,
        );
        execFileSync(NGINX, ["-c", `${dir}/nginx.conf`, "-p", dir]);
    });
    after(() => {
        if (dir) spawnSync(NGINX!, ["-c", `${dir}/nginx.conf`, "-p", dir, "-s", "stop"]);
    });

    CASES.forEach((c, i) => {
        it(`paths ${c.paths.join(", ")} with pathPrefix ${c.prefix}: the same URI reaches the pods through both, or neither routes it`, async () => {
            for (const uri of URIS) {
                const [ingress, gateway] = [await get(socket(`ingress-${i}`), uri), await get(socket(`ngf-${i}`), uri)];
                assert.strictEqual(ingress, gateway, `${uri}: ingress-nginx sends ${ingress}, NGINX Gateway Fabric ${gateway}`);
            }
        });
    });
});
