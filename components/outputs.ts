/**
 * The stack's outputs without the ones that are `undefined`. The Pulumi Node.js SDK walks the
 * program's exports and warns "Undefined value (<name>) will not show as a stack output" for each
 * top-level export that is `undefined` (@pulumi/pulumi `runtime/stack.ts`, `massage`), on every
 * preview and up. An output whose feature is off is left out instead, so a preview stays free of
 * warnings and the next real one is seen.
 */
export function definedOutputs<T extends Record<string, unknown>>(outputs: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
    return withoutUndefined(outputs);
}

/** An object without its keys whose value is `undefined` (a merge then keeps what they would have overwritten). */
export function withoutUndefined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
    return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
