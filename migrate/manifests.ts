import * as yaml from "js-yaml";

/** One Kubernetes object read from the input, with where it was (file, document, list item). */
export interface Manifest {
    object: any;
    source: string;
}

/**
 * The objects of one input as users have them: multi-document YAML, JSON (YAML's subset), and the
 * `List` that `kubectl get ingress -A -o yaml` prints (its items, each with its own source).
 * Throws a one-line error naming the input when it is neither YAML nor JSON.
 */
export function readManifests(text: string, name: string): Manifest[] {
    let docs: unknown[];
    try {
        docs = yaml.loadAll(text);
    } catch (e) {
        throw new Error(`${name}: not YAML or JSON (${(e as Error).message.split("\n")[0]})`);
    }
    return docs.flatMap((doc, i) => {
        const source = docs.length > 1 ? `${name}#${i + 1}` : name;
        if (doc === null || doc === undefined) return [];
        const o = doc as any;
        if (typeof o === "object" && typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items)) {
            return o.items.map((item: unknown, j: number) => ({ object: item, source: `${source} items[${j}]` }));
        }
        return [{ object: o, source }];
    });
}
