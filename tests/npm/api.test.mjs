// The Node API of the built package: exact result shapes (whole objects), errors, positions in
// UTF-16 code units, options, item folders and pack.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import init, { codes, connectors, initSync, lint, pack, rules, schemas, unpack, version } from "@copyjob/copyjob";
import { pkgDir, root, slice } from "./helpers.mjs";

const bytes = (s) => new Uint8Array(Buffer.from(s, "utf8"));
const b64 = (s) => Buffer.from(s, "utf8").toString("base64");
const CONTENT = '{\n  "properties": {\n    "jobMode": "Batch"\n  },\n  "activities": []\n}';
const CONTENT_VALUE = { properties: { jobMode: "Batch" }, activities: [] };
const TYPO = CONTENT.replace('"Batch"', '"Batchh"');
const body = (parts) => JSON.stringify({ definition: { parts } }, null, 2);
const part = (path, payload) => ({ path, payload, payloadType: "InlineBase64" });

/** The UTF-16 position of an offset in a text, as the package gives it. */
function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1, offset };
}

/** The range of the first occurrence of `needle` in `text`. */
function rangeOf(text, needle) {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return { start: positionAt(text, start), end: positionAt(text, start + needle.length) };
}

/** Asserts a value holds only plain objects, arrays, primitives and Uint8Arrays (no Map). */
function assertPlain(value, at = "$") {
  if (value === null || typeof value !== "object") return;
  if (value instanceof Uint8Array) return;
  if (Array.isArray(value)) return value.forEach((v, i) => assertPlain(v, `${at}[${i}]`));
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${at} is not a plain object`);
  for (const [k, v] of Object.entries(value)) assertPlain(v, `${at}.${k}`);
}

test("version() is the package's version", () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.equal(version(), pkg.version);
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test("no init call is needed in Node, and an argument-less init() resolves", async () => {
  assert.equal(typeof initSync, "function");
  await init();
  assert.deepEqual(lint(CONTENT, { fileName: "copyjob-content.json" }).diagnostics, []);
});

test("a valid copyjob-content.json: the whole result", () => {
  const r = lint(CONTENT);
  assert.deepStrictEqual(r, {
    kind: "content",
    parts: [{ path: "copyjob-content.json", bytes: bytes(CONTENT), text: CONTENT, value: CONTENT_VALUE }],
    diagnostics: [],
  });
  assertPlain(r);
});

test("a valid getDefinition body: the whole result", () => {
  const text = body([part("copyjob-content.json", b64(CONTENT))]);
  const r = lint(text);
  assert.deepStrictEqual(r, {
    kind: "definitionBody",
    source: text,
    parts: [
      {
        path: "copyjob-content.json",
        payload: b64(CONTENT),
        payloadRange: rangeOf(text, `"${b64(CONTENT)}"`),
        bytes: bytes(CONTENT),
        text: CONTENT,
        value: CONTENT_VALUE,
      },
    ],
    diagnostics: [],
  });
  assert.deepStrictEqual(unpack(text), r);
  assert.deepStrictEqual(unpack(bytes(text)), r);
});

test("an invalid value: the whole result, the range slices the value", () => {
  const r = lint(TYPO);
  assert.deepStrictEqual(r, {
    kind: "content",
    parts: [
      {
        path: "copyjob-content.json",
        bytes: bytes(TYPO),
        text: TYPO,
        value: { properties: { jobMode: "Batchh" }, activities: [] },
      },
    ],
    diagnostics: [
      {
        code: "schema/invalid-value",
        severity: "error",
        message: '"Batchh" is not a valid value for jobMode: expected one of "Batch", "CDC"',
        help: 'did you mean "Batch"?',
        part: "copyjob-content.json",
        pointer: "/properties/jobMode",
        range: { start: { line: 3, column: 16, offset: 35 }, end: { line: 3, column: 24, offset: 43 } },
      },
    ],
  });
  assert.equal(slice(TYPO, r.diagnostics[0].range), '"Batchh"');
});

test("bad base64: one diagnostic at the bad character, no part", () => {
  const text = JSON.stringify({ parts: [part("copyjob-content.json", "ewog!ICJ")] }, null, 2);
  const r = lint(text);
  assert.deepStrictEqual(r, {
    kind: "definition",
    source: text,
    parts: [],
    diagnostics: [
      {
        code: "codec/invalid-base64",
        severity: "error",
        message:
          'the payload of "copyjob-content.json" is not valid base64: invalid base64 character `!` at byte 4 of the payload',
        help: "the payload must be the base64 encoding of the part's bytes; re-encode the part",
        pointer: "/parts/0/payload",
        range: { start: { line: 5, column: 23, offset: 81 }, end: { line: 5, column: 24, offset: 82 } },
      },
    ],
  });
  assert.equal(slice(text, r.diagnostics[0].range), "!");
});

test("unpadded base64 is decoded with a codec/missing-padding warning", () => {
  const payload = b64(CONTENT).replace(/=+$/, "");
  assert.notEqual(payload.length % 4, 0);
  const r = unpack({ parts: [part("copyjob-content.json", payload)] });
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.pointer]), [
    ["codec/missing-padding", "warning", "/parts/0/payload"],
  ]);
  assert.equal(r.parts[0].text, CONTENT);
});

// A non-ASCII table name with an astral character: bytes, characters and UTF-16 units all differ.
const TABLE = "Städte_東京😀";
const NON_ASCII = `{
  "properties": { "jobMode": "Batch" },
  "activities": [
    { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "${TABLE}" } }, "destination": { "datasetSettings": { "table": "${TABLE}" }, "writeBehavior": "Überschreiben" } } }
  ]
}`;

function expectedRange(text, needle) {
  const offset = text.indexOf(needle);
  const lineStart = text.lastIndexOf("\n", offset) + 1;
  const line = text.slice(0, offset).split("\n").length;
  const at = (o) => ({ line, column: o - lineStart + 1, offset: o });
  return { start: at(offset), end: at(offset + needle.length) };
}

test("a non-ASCII table name: UTF-16 columns and offsets slice the offending text", () => {
  // The document has no connections: that lint rule is not what this test is about.
  const quiet = { rules: { "lint/activities-without-connection": "off" } };
  const r = lint(NON_ASCII, { fileName: "copyjob-content.json", ...quiet });
  const range = expectedRange(NON_ASCII, '"Überschreiben"');
  assert.deepStrictEqual(r.diagnostics, [
    {
      code: "schema/invalid-value",
      severity: "error",
      message:
        '"Überschreiben" is not a valid value for writeBehavior: expected one of "Append", "Overwrite", "Merge", "Upsert"',
      help: "Append adds rows, Overwrite replaces the table's rows, Merge and Upsert update rows by upsertSettings.keys",
      part: "copyjob-content.json",
      pointer: "/activities/0/properties/destination/writeBehavior",
      range,
    },
  ]);
  // The UTF-16 column differs from the character column (the emoji is two code units) and from
  // the byte offset.
  assert.equal(range.start.column, 211);
  assert.equal(range.start.offset, 270);
  assert.notEqual(Buffer.byteLength(NON_ASCII.slice(0, range.start.offset)), range.start.offset);
  assert.equal(slice(NON_ASCII, r.diagnostics[0].range), '"Überschreiben"');
  assert.equal(r.parts[0].value.activities[0].properties.source.datasetSettings.table, TABLE);

  // The same part inside a definition body: positions refer to the decoded part's text.
  const inBody = lint(body([part("copyjob-content.json", b64(NON_ASCII))]), quiet);
  assert.deepStrictEqual(
    inBody.diagnostics.map(({ inEnvelope, ...d }) => d),
    r.diagnostics,
  );
  // ...and where it shows in the body: on the part's payload (the message in characters, as the CLI).
  assert.deepStrictEqual(inBody.diagnostics[0].inEnvelope, {
    range: inBody.parts[0].payloadRange,
    message: `${r.diagnostics[0].message} (copyjob-content.json line 4, column 209)`,
  });
  assert.equal(slice(inBody.parts[0].text, inBody.diagnostics[0].range), '"Überschreiben"');
});

test("a parsed object is checked as 2-space indented JSON, returned as source", () => {
  const r = lint({ parts: [part("copyjob-content.json", "ewog!ICJ")] });
  assert.equal(r.kind, "definition");
  assert.equal(r.source, JSON.stringify({ parts: [part("copyjob-content.json", "ewog!ICJ")] }, null, 2));
  assert.equal(slice(r.source, r.diagnostics[0].range), "!");
});

test("options.rules turns codes off and changes severities", () => {
  assert.deepEqual(lint(TYPO, { rules: { "schema/invalid-value": "off" } }).diagnostics, []);
  const info = lint(TYPO, { rules: { "schema/invalid-value": "info" } }).diagnostics;
  assert.deepEqual(info.map((d) => [d.code, d.severity]), [["schema/invalid-value", "info"]]);
  // Options of one call do not leak into the next.
  assert.deepEqual(lint(TYPO).diagnostics.map((d) => d.severity), ["error"]);
  assert.deepEqual(lint(TYPO, {}).diagnostics.map((d) => d.severity), ["error"]);
  assert.deepEqual(lint(TYPO, undefined).diagnostics.map((d) => d.severity), ["error"]);
});

test("a problem inside a part says where it shows in the envelope: on the part's payload", () => {
  const text = body([part(".platform", b64('{"metadata": {}}')), part("copyjob-content.json", b64(TYPO))]);
  const r = lint(text);
  const typo = r.diagnostics.find((d) => d.code === "schema/invalid-value");
  assert.equal(typo.part, "copyjob-content.json");
  assert.equal(slice(TYPO, typo.range), '"Batchh"');
  assert.deepStrictEqual(typo.inEnvelope, {
    range: rangeOf(text, `"${b64(TYPO)}"`),
    message: `${typo.message} (copyjob-content.json line 3, column 16)`,
  });
  assert.deepStrictEqual(typo.inEnvelope.range, r.parts[1].payloadRange);
  // Problems of the document itself, and of bare parts, have no envelope placement.
  assert.ok(r.diagnostics.filter((d) => !d.part).every((d) => d.inEnvelope === undefined));
  assert.equal(lint(TYPO).diagnostics[0].inEnvelope, undefined);
});

test("an unknown code in options.rules throws an Error naming the nearest code", () => {
  assert.throws(
    () => lint(CONTENT, { rules: { "lint/duplicate-activity": "off" } }),
    (e) => e instanceof Error && e.message.includes("unknown code `lint/duplicate-activity`: did you mean `lint/duplicate-activity-id`?"),
  );
  assert.throws(() => lint(CONTENT, { rules: { "lint/typo": "off" } }), /unknown code `lint\/typo`: did you mean `lint\/[a-z-]+`\?/);
  assert.throws(() => lint(CONTENT, { rules: { "json/sintax": "off" } }), /did you mean `json\/syntax`\?/);
});

test("options.kind names a body its content cannot: an update (PATCH) body", () => {
  const text = JSON.stringify({ displayName: "Sales", description: "Copies the sales tables" });
  const guessed = lint(text);
  assert.equal(guessed.kind, "createRequest");
  assert.deepStrictEqual(guessed.diagnostics.map((d) => [d.code, d.severity]), [["envelope/ambiguous-shape", "info"]]);
  const named = lint(text, { kind: "updateRequest" });
  assert.equal(named.kind, "updateRequest");
  assert.deepStrictEqual(named.diagnostics, []);
  assert.equal(lint(text, { fileName: "rename.update.json" }).kind, "updateRequest");
  assert.throws(() => lint(text, { kind: "patch" }), /unknown kind `patch`/);
});

test("codes(): every code any input can produce, with its documentation page", () => {
  const list = codes();
  assert.equal(new Set(list.map((c) => c.code)).size, list.length, "codes are unique");
  const groups = new Set(list.map((c) => c.group));
  assert.deepStrictEqual([...groups].sort(), ["codec", "deploy", "envelope", "json", "lint", "schema"]);
  for (const c of list) {
    assert.deepStrictEqual(Object.keys(c), ["code", "group", "severity", "fixable", "serviceRejects", "summary", "evidence", "docs", "docsUrl"]);
    assert.ok(c.code.startsWith(`${c.group}/`), c.code);
    assert.ok(c.docs.includes("## What it does"), c.code);
    const page = join(root, c.docsUrl);
    assert.ok(readFileSync(page, "utf8").includes(c.docs), `${c.docsUrl} is out of date`);
  }
  assert.equal(list.filter((c) => c.group === "lint").length, rules().length);
  assert.equal(list.find((c) => c.code === "json/syntax").serviceRejects, true);
  assert.equal(list.find((c) => c.code === "lint/upsert-without-keys").serviceRejects, false);
});

test("options.fileName checks a file as the part its name says", () => {
  const platform = lint('{"x": 1}', { fileName: "Name.CopyJob/.platform" });
  assert.equal(platform.kind, "platform");
  assert.equal(platform.parts[0].path, ".platform");
  assert.equal(lint('{"x": 1}').kind, "unknown");
});

test("an item folder: files as strings or bytes", () => {
  const r = lint({ files: { "copyjob-content.json": bytes(CONTENT), ".platform": "{" } });
  assert.equal(r.kind, "itemFolder");
  assert.deepEqual(r.parts.map((p) => p.path), ["copyjob-content.json", ".platform"]);
  assert.ok(r.diagnostics.length > 0);
  assert.ok(r.diagnostics.every((d) => d.part === ".platform" && d.code.startsWith("json/")), JSON.stringify(r.diagnostics));
  const missing = lint({ files: { ".platform": "{}" } }).diagnostics.map((d) => d.code);
  assert.ok(missing.includes("envelope/missing-content-part"));
});

test("non-UTF-8 bytes: codec/invalid-utf8, no text", () => {
  const r = lint(new Uint8Array([0x7b, 0xff, 0x7d]), { fileName: "copyjob-content.json" });
  assert.deepEqual(r.diagnostics.map((d) => d.code), ["codec/invalid-utf8"]);
  assert.equal(r.parts[0].text, undefined);
  assert.deepStrictEqual(r.parts[0].bytes, new Uint8Array([0x7b, 0xff, 0x7d]));
});

test("pack: the whole definition body, known parts first, bytes exact", () => {
  const packed = pack({ other: "x", ".platform": new Uint8Array([0xff, 0]), "copyjob-content.json": CONTENT });
  assert.deepStrictEqual(packed, {
    definition: {
      parts: [
        { path: "copyjob-content.json", payload: b64(CONTENT), payloadType: "InlineBase64" },
        { path: ".platform", payload: "/wA=", payloadType: "InlineBase64" },
        { path: "other", payload: "eA==", payloadType: "InlineBase64" },
      ],
    },
  });
  assertPlain(packed);
  const again = unpack(packed);
  assert.deepEqual(again.parts.map((p) => p.path), ["copyjob-content.json", ".platform", "other"]);
  assert.deepStrictEqual(again.parts[1].bytes, new Uint8Array([0xff, 0]));
});

test("schemas(): every JSON Schema as a plain object", () => {
  const list = schemas();
  assert.deepEqual(list.map((s) => s.name), [
    "copyjob-content.schema.json",
    "platform.schema.json",
    "definition.schema.json",
    "create-request.schema.json",
    "update-request.schema.json",
    "update-definition-request.schema.json",
  ]);
  for (const s of list) {
    assert.equal(s.schema.$id, s.uri);
    assert.equal(s.schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assertPlain(s);
  }
});

test("connectors(): the connector catalog, with evidence for every name", () => {
  const catalog = connectors();
  assertPlain(catalog);
  const lakehouse = catalog.connectors.find((c) => c.name === "Fabric Lakehouse table");
  assert.deepEqual(lakehouse.connectionTypes[0].name, "Lakehouse");
  assert.deepEqual(lakehouse.datasetTypes.map((n) => n.name), ["LakehouseTable", "Lakehouse"]);
  assert.deepEqual(lakehouse.capabilities, {
    source: "yes",
    destination: "yes",
    fullLoad: "yes",
    watermark: "yes",
    cdc: "yes",
    append: "yes",
    overwrite: "yes",
    upsert: "yes",
    merge: "yes",
  });
  assert.equal(catalog.sources["copy-job-table"].kind, "docs");
  for (const c of catalog.connectors) {
    for (const n of [...c.connectionTypes, ...c.datasetTypes, ...c.locationTypes, ...c.storeSettingsTypes]) {
      assert.ok(n.evidence.length > 0 && n.evidence.every((k) => k in catalog.sources), `${c.name}: ${n.name}`);
    }
  }
  assert.ok(catalog.formats.some((f) => f.name === "Parquet" && f.reads && f.writes));
});

test("unusable arguments throw Error objects", () => {
  const cases = [
    () => lint(42),
    () => lint(null),
    () => lint(undefined),
    () => lint(true),
    () => lint("{}", { rulez: {} }),
    () => lint("{}", { rules: { "schema/invalid-value": "fatal" } }),
    () => lint({ files: "nope" }),
    () => lint({ files: { a: 1 } }),
    () => pack("x"),
    () => pack([]),
    () => pack({ a: 1 }),
    () => unpack(7),
  ];
  for (const f of cases) assert.throws(f, (e) => e instanceof Error && e.message.length > 0, String(f));
  assert.throws(() => lint("{}", { rulez: {} }), /invalid lint options: unknown field `rulez`/);
  assert.throws(() => pack({ a: 1 }), /files\["a"\] must be a string or a Uint8Array/);
});

test("problems in documents are diagnostics, not throws", () => {
  for (const input of ["", "{", "[]", "null", "\ufeff{}", "{".repeat(10000)]) {
    const r = lint(input);
    assert.ok(r.diagnostics.length > 0, JSON.stringify(input.slice(0, 10)));
    assert.ok(r.diagnostics.every((d) => /^[a-z]+\/[a-z0-9-]+$/.test(d.code)));
  }
});
