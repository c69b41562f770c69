// Peer benchmark under Node, run by scripts/bench (copied next to its node_modules in
// target/bench-node/): the npm package's lint, ajv 8 (2020-12, allErrors, ajv-formats) after
// JSON.parse, and vscode-json-languageservice (parse + doValidation), interleaved round by
// round on the same texts and the project's schemas. Prints one JSON object: median seconds per
// call, by tool and document.
//
//   node target/bench-node/bench-peers.mjs ROOT DOCS_DIR
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [root, docs] = process.argv.slice(2);
const schemasDir = join(root, "schemas");
const schemas = readdirSync(schemasDir)
  .filter((f) => f.endsWith(".schema.json"))
  .map((f) => JSON.parse(readFileSync(join(schemasDir, f), "utf8")));
const content = schemas.find((s) => s.$id.endsWith("/copyjob-content.schema.json"));

const tools = {};

try {
  const { lint } = await import("@copyjob/copyjob");
  tools.npm = (text) => lint(text, { fileName: "copyjob-content.json" }).diagnostics.length;
} catch (e) {
  console.error(`npm package not available (${e.message}); build it with crates/copyjob-wasm/build.sh`);
}

const { default: Ajv2020 } = await import("ajv/dist/2020.js");
const { default: addFormats } = await import("ajv-formats");
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
for (const s of schemas) ajv.addSchema(s);
const validate = ajv.getSchema(content.$id);
tools.ajv = (text) => {
  validate(JSON.parse(text));
  return validate.errors ? validate.errors.length : 0;
};

const ls = await import("vscode-json-languageservice");
const { TextDocument } = await import("vscode-languageserver-textdocument");
const service = ls.getLanguageService({
  schemaRequestService: async (uri) => {
    const s = schemas.find((x) => x.$id === uri);
    if (!s) throw new Error(`no schema ${uri}`);
    return JSON.stringify(s);
  },
});
service.configure({
  validate: true,
  schemas: schemas.map((s) => ({ uri: s.$id, fileMatch: s === content ? ["*.json"] : [], schema: s })),
});
tools.vscode = async (text) => {
  const doc = TextDocument.create("file:///copyjob-content.json", "json", 1, text);
  const json = service.parseJSONDocument(doc);
  return (await service.doValidation(doc, json)).length;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const result = {};
for (const name of ["small", "large", "large_invalid"]) {
  const text = readFileSync(join(docs, `${name}.json`), "utf8");
  // Small documents: many calls per sample, so a timer tick does not dominate.
  const batch = name === "small" ? 200 : 1;
  const rounds = name === "small" ? 30 : 15;
  const times = Object.fromEntries(Object.keys(tools).map((t) => [t, []]));
  const counts = {};
  for (const [t, fn] of Object.entries(tools)) counts[t] = await fn(text); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [t, fn] of Object.entries(tools)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await fn(text);
      times[t].push(Number(process.hrtime.bigint() - start) / 1e9 / batch);
    }
  }
  result[name] = Object.fromEntries(
    Object.keys(tools).map((t) => [t, { seconds: median(times[t]), diagnostics: counts[t] }]),
  );
}
console.log(JSON.stringify(result));
