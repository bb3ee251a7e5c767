import { celEnv } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
const env = celEnv({ funcs: [...strings] });
for (const n of ["_==_", "_!=_", "@in", "_[_]", "_&&_", "_||_", "_?_:_", "!_", "-_", "size", "matches", "startsWith", "contains", "split", "substring", "duration", "_<_", "_+_", "@not_strictly_false", "not_strictly_false", "timestamp", "string", "int"]) console.log(n, !!env.funcs.find(n));
console.log([...new Set([...env.funcs].map(f => f.name))].join(" "));
