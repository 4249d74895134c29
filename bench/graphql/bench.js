// graphql-js 16 side of the GraphQL engine benchmark (Debian's node-graphql; run with NODE_PATH=/usr/share/nodejs).
// Same schema, data and queries as the Swift side; default resolvers over data.json; abstract types by __typename.
// Prints one JSON object: {"<query>": {"full": ops/s, "execute": ops/s}, ...}.
"use strict";
const fs = require("fs");
const path = require("path");
const { buildSchema, parse, validate, execute, specifiedRules } = require("graphql");

const dir = __dirname;
const seconds = Number(process.argv[2] || "2");
const schema = buildSchema(fs.readFileSync(path.join(dir, "schema.graphql"), "utf8"));
const data = JSON.parse(fs.readFileSync(path.join(dir, "data.json"), "utf8"));
const typeResolver = (value) => value.__typename;
for (const name of ["Node", "Content", "SearchResult"]) schema.getType(name).resolveType = typeResolver;

function measure(fn) {
  for (let i = 0; i < 200; i++) fn(); // warm-up
  let count = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < 20; i++) fn();
    count += 20;
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const results = {};
for (const name of ["small", "list", "introspection"]) {
  const source = fs.readFileSync(path.join(dir, `${name}.graphql`), "utf8");
  const variables = name === "list" ? { first: 20 } : {};
  const run = (document) => {
    const result = execute({ schema, document, rootValue: data, variableValues: variables });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result;
  };
  const full = measure(() => {
    const document = parse(source);
    const errors = validate(schema, document, specifiedRules);
    if (errors.length) throw new Error(errors[0].message);
    JSON.stringify(run(document));
  });
  const prepared = parse(source);
  const executeOnly = measure(() => JSON.stringify(run(prepared)));
  results[name] = { full, execute: executeOnly };
}
process.stdout.write(JSON.stringify(results) + "\n");
