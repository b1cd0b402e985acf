require("/work/main/node_modules/reflect-metadata");
const { buildAppSchema } = require('/work/main/.build/auth/src/graphql/schema');
const { parse, validate, specifiedRules } = require('/work/main/node_modules/graphql');
(async () => {
  const schema = await buildAppSchema();
  for (const n of [100, 500, 1000, 2000]) {
    const q = '{' + Array.from({length:n}, (_, i) => `a${i}: order(id: "x") { id }`).join(' ') + '}';
    const doc = parse(q);
    let t = Date.now(); validate(schema, doc); const a = Date.now()-t;
    const q2 = '{' + Array.from({length:n}, (_, i) => `order(id: "x") { id }`).join(' ') + '}';
    const d2 = parse(q2); t = Date.now(); validate(schema, d2); const b = Date.now()-t;
    const q3 = '{' + Array.from({length:n}, (_, i) => `order(id: "${i}") { id }`).join(' ') + '}';
    const d3 = parse(q3); t = Date.now(); const e3 = validate(schema, d3); const c = Date.now()-t;
    console.log(n, 'tokens~', n*8, 'aliased', a, 'ms; same', b, 'ms; conflicting', c, 'ms', e3.length);
  }
})();
