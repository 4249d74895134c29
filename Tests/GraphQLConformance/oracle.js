// oracle.js: reference oracle for the InsightVault GraphQL conformance corpus.
//
// Builds schema.graphql with graphql-js (Debian's node-graphql 16.6), attaches the
// data-driven resolvers specified in RESOLVERS.md (data from data.json), runs every
// corpus case through parse -> validate(specifiedRules) -> execute and writes the
// normalized results. It can also compare a result file produced by another engine
// (the Swift one) against the expected results.
//
// Usage (NODE_PATH=/usr/share/nodejs):
//   node oracle.js corpus.json expected.json                 generate expected results
//   node oracle.js --compare corpus.json expected.json actual.json
//   node oracle.js --coverage corpus.json                    per-rule / per-phase report
//
// Result format: see README.md ("data" is absent when execute produced no data).
'use strict';

const fs = require('fs');
const path = require('path');
const graphql = require('graphql');
const { buildSchema, parse, validate, execute, specifiedRules, GraphQLSchema, GraphQLError, Kind } = graphql;

const HERE = __dirname;
const readJSON = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// ---------------------------------------------------------------------------
// Schema. graphql-js 16.6 predates @oneOf (added in 16.9), so declare it here and
// list it after the specified directives exactly like graphql-js >= 16.9 does.
// 16.6 does not *enforce* @oneOf; violations live in corpus-extra.json instead.
function loadSchema() {
  let sdl = fs.readFileSync(path.join(HERE, 'schema.graphql'), 'utf8');
  const shim = !graphql.GraphQLOneOfDirective;
  if (shim) sdl += '\n"Indicates exactly one field must be supplied and this field must not be `null`."\ndirective @oneOf on INPUT_OBJECT\n';
  let schema = buildSchema(sdl);
  if (shim) {
    const config = schema.toConfig();
    const [oneOf, ...others] = config.directives; // buildSchema puts SDL directives first
    schema = new GraphQLSchema({ ...config, directives: [...others, oneOf] });
  }
  attachResolvers(schema);
  return schema;
}

// ---------------------------------------------------------------------------
// Data. A JSON object {"__error": "msg"} anywhere in data.json (field value or list
// item) becomes an Error instance, which graphql-js reports as a field error there.
function loadData() {
  const revive = (v) => {
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === 'object') {
      if ('__error' in v) return new Error(v.__error);
      for (const k of Object.keys(v)) v[k] = revive(v[k]);
    }
    return v;
  };
  return revive(readJSON(path.join(HERE, 'data.json')));
}

// ---------------------------------------------------------------------------
// Resolvers (see RESOLVERS.md). Fields not listed use graphql-js' default resolver:
// the parent object's property named like the field. `ctx` is created per case:
// { data, counter: 0 }.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const byId = (list, id) => list.find((x) => x.id === id) || null;
const anyNode = (d, id) => byId(d.users, id) || byId(d.teams, id) || byId(d.documents, id);
const lower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()); // ASCII only
const ticks = async () => { await null; await null; await null; };

const RESOLVERS = {
  Query: {
    me: (_, a, { data }) => data.users[0],
    node: (_, { id }, { data }) => anyNode(data, id),
    nodes: (_, { ids }, { data }) => ids.map((id) => anyNode(data, id)),
    named: (_, a, { data }) => [...data.users, ...data.teams],
    user: (_, { id }, { data }) => byId(data.users, id),
    findUser: (_, { by }, { data }) => data.users.find((u) =>
      (by.id != null && u.id === by.id) || (by.email != null && u.email === by.email) ||
      (by.name != null && u.name === by.name)) || null,
    users: (_, { role, first, offset }, { data }) =>
      data.users.filter((u) => role == null || u.role === role).slice(offset ?? 0, (offset ?? 0) + (first ?? 10)),
    team: (_, { id }, { data }) => byId(data.teams, id),
    teams: (_, a, { data }) => data.teams,
    document: (_, { id }, { data }) => byId(data.documents, id),
    documents: (_, { filter }, { data }) => data.documents.filter((d) => filter == null || (
      (filter.status == null || d.status === filter.status) &&
      (filter.authorId == null || d.authorId === filter.authorId) &&
      (filter.tag == null || d.tags.includes(filter.tag)))),
    search: (_, { text, limit }, { data }) => [...data.users.map((u) => [u, u.name]),
      ...data.teams.map((t) => [t, t.name]), ...data.documents.map((d) => [d, d.title])]
      .filter(([, s]) => lower(s).includes(lower(text))).map(([x]) => x).slice(0, limit ?? 10),
    echo: (_, args) => JSON.stringify(args),
    echoDefaults: (_, args) => JSON.stringify(args),
    echoString: (_, a) => a.value, echoInt: (_, a) => a.value, echoFloat: (_, a) => a.value,
    echoBoolean: (_, a) => a.value, echoID: (_, a) => a.value, echoRole: (_, a) => a.value,
    echoDateTime: (_, a) => a.value,
    echoList: (_, a) => a.values, echoMatrix: (_, a) => a.values, echoNonNullList: (_, a) => a.values,
    counter: (_, a, ctx) => ctx.counter,
    failing: () => { throw new Error('boom'); },
    failingNonNull: () => { throw new Error('boom (non-null)'); },
    nullNonNull: () => null,
    asyncValue: async () => { await ticks(); return 'async hello'; },
    asyncFailing: async () => { await ticks(); throw new Error('async boom'); },
    chaos: (_, a, { data }) => data.chaos,
    chaosNonNull: (_, a, { data }) => data.chaos,
  },
  Mutation: {
    increment: (_, { by }, ctx) => (ctx.counter += by ?? 0),
    incrementAsync: async (_, { by }, ctx) => { await ticks(); return (ctx.counter += by ?? 0); },
    failingIncrement: (_, a, ctx) => { ctx.counter += 1; throw new Error(`failingIncrement failed at ${ctx.counter}`); },
    failingIncrementNonNull: (_, a, ctx) => { ctx.counter += 1; throw new Error(`failed at ${ctx.counter}`); },
    createDocument: (_, { input }, ctx) => {
      ctx.counter += 1;
      return { __typename: 'Document', id: `new-${ctx.counter}`, title: input.title, body: input.body ?? null,
        status: input.status, authorId: input.authorId, createdAt: '2000-01-01T00:00:00Z', tags: input.tags, ratings: null };
    },
    setRole: (_, { userId, role }, { data }) => byId(data.users, userId) && { ...byId(data.users, userId), role },
  },
  User: {
    friends: (u, a, { data }) => u.friendIds.map((id) => byId(data.users, id)),
    manager: (u, a, { data }) => (u.managerId == null ? null : byId(data.users, u.managerId)),
    team: (u, a, { data }) => data.teams.find((t) => t.memberIds.includes(u.id)) || null,
    documents: (u, { status, first }, { data }) => data.documents
      .filter((d) => d.authorId === u.id && (status == null || d.status === status)).slice(0, first ?? 10),
    greeting: (u, { greeting, punctuation }) => `${greeting ?? ''}, ${u.name}${punctuation ?? ''}`,
  },
  Team: {
    lead: (t, a, { data }) => byId(data.users, t.leadId),
    members: (t, a, { data }) => t.memberIds.map((id) => byId(data.users, id)),
  },
  Document: { author: (d, a, { data }) => byId(data.users, d.authorId) },
  Chaos: {
    nested: (c) => c, nestedNonNull: (c) => c,
    asyncOk: async (c) => { await ticks(); return c.ok; },
    asyncThrows: async () => { await ticks(); throw new Error('asyncThrows failed'); },
    asyncNonNullThrows: async () => { await ticks(); throw new Error('asyncNonNullThrows failed'); },
  },
};

function attachResolvers(schema) {
  for (const [typeName, fields] of Object.entries(RESOLVERS)) {
    const defs = schema.getType(typeName).getFields();
    for (const [name, fn] of Object.entries(fields)) {
      if (!defs[name]) throw new Error(`No field ${typeName}.${name}`);
      defs[name].resolve = fn;
    }
  }
  for (const name of ['Node', 'Named', 'SearchResult']) schema.getType(name).resolveType = (v) => v.__typename;
  const dt = schema.getType('DateTime');
  const check = (v) => {
    if (typeof v === 'string' && DATETIME.test(v)) return v;
    throw new TypeError(`DateTime cannot represent value: ${JSON.stringify(v)}`);
  };
  dt.serialize = dt.parseValue = check;
  dt.parseLiteral = (node) => {
    if (node.kind === Kind.STRING) return check(node.value);
    throw new TypeError(`DateTime cannot represent non-string literal: ${graphql.print(node)}`);
  };
}

// ---------------------------------------------------------------------------
// Running cases.
function makeResult(id, phase, errors, result) {
  // GraphQLError#toJSON gives { message, locations?, path? } (no extensions here).
  const out = { id, phase, errorCount: errors.length, errors: errors.map((e) => JSON.parse(JSON.stringify(e))) };
  if (result && 'data' in result) out.data = result.data;
  return out;
}

async function runCase(schema, c) {
  let document;
  try { document = parse(c.query); } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    return makeResult(c.id, 'parse', [e]);
  }
  const validationErrors = validate(schema, document, specifiedRules);
  if (validationErrors.length > 0) return makeResult(c.id, 'validate', validationErrors);
  const data = loadData(); // fresh per case: mutations never leak between cases
  const result = await execute({
    schema, document, rootValue: data.query, contextValue: { data, counter: 0 },
    variableValues: c.variables, operationName: c.operationName,
  });
  // Round-trip through JSON so the file holds exactly what JSON.stringify emits.
  const plain = JSON.parse(JSON.stringify(result));
  return makeResult(c.id, plain.errors ? 'execute' : 'ok', result.errors || [], plain);
}

async function generate(corpusFile, outFile) {
  const schema = loadSchema();
  const corpus = readJSON(corpusFile);
  if (new Set(corpus.map((c) => c.id)).size !== corpus.length) throw new Error('Duplicate case ids');
  const results = [];
  for (const c of corpus) results.push(await runCase(schema, c));
  // One case per line: diff-friendly and greppable by id.
  fs.writeFileSync(outFile, `[\n${results.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  const phases = {};
  for (const r of results) phases[r.phase] = (phases[r.phase] || 0) + 1;
  console.log(`${results.length} cases written to ${outFile}:`, JSON.stringify(phases));
}

// Port of graphql-js >= 16.9 MaxIntrospectionDepthRule (absent from 16.6): does a
// __schema/__type field nest fields/interfaces/possibleTypes/inputFields 3 deep?
function introspectionTooDeep(doc) {
  const frags = new Map(doc.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const LISTS = ['fields', 'interfaces', 'possibleTypes', 'inputFields'];
  const deep = (node, seen, depth) => {
    if (node.kind === Kind.FRAGMENT_SPREAD) {
      const f = frags.get(node.name.value);
      return !!f && !seen.has(f) && deep(f, new Set([...seen, f]), depth);
    }
    if (node.kind === Kind.FIELD && LISTS.includes(node.name.value) && ++depth >= 3) return true;
    return !!node.selectionSet && node.selectionSet.selections.some((s) => deep(s, seen, depth));
  };
  let hit = false;
  graphql.visit(doc, { Field(node) {
    if ((node.name.value === '__schema' || node.name.value === '__type') && deep(node, new Set(), 0)) hit = true;
  } });
  return hit;
}

// Per-rule coverage: run each specified rule alone over every parseable case, and
// check that ids named "<prefix>-..." ended in the phase that prefix promises.
async function coverage(corpusFile) {
  const schema = loadSchema();
  const promised = { syntax: 'parse', rule: 'validate', exec: 'execute', valid: 'ok', introspection: 'ok', mutation: 'ok' };
  const counts = new Map(specifiedRules.map((r) => [r.name.replace(/Rule$/, ''), 0]));
  const deep = [];
  let problems = 0;
  for (const c of readJSON(corpusFile)) {
    const r = await runCase(schema, c);
    const [prefix, ruleName] = c.id.split('-');
    if (promised[prefix] && promised[prefix] !== r.phase) {
      problems++;
      console.log(`PHASE ${c.id}: expected ${promised[prefix]}, got ${r.phase} ${JSON.stringify(r.errors[0] || '')}`);
    }
    if (r.phase === 'parse') continue;
    const doc = parse(c.query);
    if (introspectionTooDeep(doc)) deep.push(c.id);
    if (introspectionTooDeep(doc) && prefix !== 'maxdepth') problems++; // 16.6 results would be wrong for >= 16.9
    for (const rule of specifiedRules) {
      const name = rule.name.replace(/Rule$/, '');
      const flagged = validate(schema, doc, [rule]).length > 0;
      if (flagged) counts.set(name, counts.get(name) + 1);
      if (prefix === 'rule' && ruleName === name && !flagged) {
        problems++;
        console.log(`RULE ${c.id}: ${name} does not flag this case`);
      }
    }
  }
  for (const [name, n] of counts) {
    if (n < 6) problems++;
    console.log(`${n < 6 ? 'LOW ' : '    '}${String(n).padStart(4)}  ${name}`);
  }
  console.log(`${String(deep.length).padStart(8)}  MaxIntrospectionDepth (port, not in 16.6) ${deep.join(' ')}`);
  console.log(problems ? `${problems} coverage problem(s)` : 'coverage OK');
  return problems;
}

// ---------------------------------------------------------------------------
// Comparison. Message wording is ignored; errors are compared as a multiset of
// (locations, path); data is compared with key order via JSON.stringify.
const errorKeys = (errors) => (errors || []).map((e) => JSON.stringify([
  (e.locations || []).map(({ line, column }) => `${line}:${column}`).sort(), e.path || null])).sort();

// Short description of where two JSON texts first differ.
function dataDiff(e, a) {
  let i = 0;
  while (i < e.length && e[i] === a[i]) i++;
  const cut = (t) => (i > 40 ? '…' : '') + t.slice(Math.max(0, i - 40), i + 60) + (t.length > i + 60 ? '…' : '');
  return `differs at char ${i}: expected ${cut(e)} got ${cut(a)}`;
}

function compare(corpusFile, expectedFile, actualFile) {
  const index = (file) => new Map(readJSON(file).map((r) => [r.id, r]));
  const [expected, actual] = [index(expectedFile), index(actualFile)];
  let [passed, failed] = [0, 0];
  for (const { id } of readJSON(corpusFile)) {
    const [e, a] = [expected.get(id), actual.get(id)];
    const diffs = [];
    if (!e || !a) diffs.push(e ? 'no actual result' : 'no expected result');
    else {
      if (e.phase !== a.phase) diffs.push(`phase ${e.phase} != ${a.phase}`);
      const [ne, na] = [e, a].map((r) => (r.errors || []).length);
      if (ne !== na) diffs.push(`error count ${ne} != ${na}`);
      const [ke, ka] = [e, a].map((r) => errorKeys(r.errors));
      if (JSON.stringify(ke) !== JSON.stringify(ka)) {
        diffs.push(`error locations/paths [${ke.filter((k) => !ka.includes(k))}] != [${ka.filter((k) => !ke.includes(k))}]`);
      }
      const [de, da] = [e, a].map((r) => JSON.stringify(r.data));
      if (de !== da) diffs.push(`data ${dataDiff(String(de), String(da))}`);
    }
    if (diffs.length) { failed++; console.log(`${id}: ${diffs.join('; ')}`); } else passed++;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}

// ---------------------------------------------------------------------------
async function main(argv) {
  if (argv[0] === '--compare' && argv.length === 4) return compare(argv[1], argv[2], argv[3]) ? 0 : 1;
  if (argv[0] === '--coverage' && argv.length === 2) return (await coverage(argv[1])) ? 1 : 0;
  if (argv.length === 2 && !argv[0].startsWith('--')) { await generate(argv[0], argv[1]); return 0; }
  console.error('usage: see the header of oracle.js');
  return 2;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 2; });
