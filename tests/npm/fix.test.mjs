// Safe fixes, the formatter and the rule metadata of the built package: a diagnostic's `fix`
// (UTF-16 positions), `fix()` on a part, a definition body and an item folder (idempotent, honouring
// the rule levels), `format()`, `formatDefinition()` and `rules()`.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fix, format, formatDefinition, lint, rules, unpack } from "@copyjob/copyjob";
import { corpus, envelopes, fabricApiFiles, recordings, root, slice } from "./helpers.mjs";

const b64 = (s) => Buffer.from(s, "utf8").toString("base64");
const body = (parts) => JSON.stringify({ definition: { parts } }, null, 2);
const part = (path, payload) => ({ path, payload, payloadType: "InlineBase64" });

// Non-ASCII text before the misspelled keys: UTF-16 offsets differ from byte offsets.
const TEXT = `{
  "properties": {
    "jobMode": "Batch"
  },
  "activities": [
    {
      "id": "2905df0f-1421-42e5-b769-0b0a32cb5321",
      "properties": {
        "source": { "datasetSettings": { "table": "Städte_😀" } },
        "destination": { "datasetSettings": { "table": "Städte_😀", "Schema": "dbo" }, "writeBehaviour": "Append" }
      }
    }
  ]
}`;
const FIXED = TEXT.replace('"Schema"', '"schema"').replace('"writeBehaviour"', '"writeBehavior"');
const CHANGES = ['rename "Schema" to "schema"', 'rename "writeBehaviour" to "writeBehavior"'];
const PLATFORM = readFileSync(join(corpus, "fabric-cli-recording-getDefinition.platform"), "utf8");

/** The range of the first `needle` in a one-line-per-needle text, in UTF-16 units. */
function rangeOf(text, needle) {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const lineStart = text.lastIndexOf("\n", offset) + 1;
  const line = text.slice(0, offset).split("\n").length;
  const at = (o) => ({ line, column: o - lineStart + 1, offset: o });
  return { start: at(offset), end: at(offset + needle.length) };
}

test("a diagnostic carries its safe fix, with UTF-16 positions", () => {
  const d = lint(TEXT).diagnostics.find((d) => d.pointer.endsWith("/writeBehaviour"));
  const range = rangeOf(TEXT, '"writeBehaviour"');
  assert.deepStrictEqual(d, {
    code: "lint/misspelled-property",
    severity: "warning",
    message: 'unknown property "writeBehaviour": did you mean "writeBehavior"?',
    help: 'the service ignores "writeBehaviour"; the property is spelled "writeBehavior"',
    part: "copyjob-content.json",
    pointer: "/activities/0/properties/destination/writeBehaviour",
    range,
    fix: {
      message: 'rename "writeBehaviour" to "writeBehavior"',
      edits: [{ range, newText: '"writeBehavior"' }],
    },
  });
  assert.equal(slice(TEXT, d.fix.edits[0].range), '"writeBehaviour"');
  // The emoji and the ß: the UTF-16 offset is not the byte offset.
  assert.notEqual(Buffer.byteLength(TEXT.slice(0, range.start.offset)), range.start.offset);
  // Diagnostics without a safe fix have no `fix` key at all.
  for (const other of lint(TEXT).diagnostics.filter((x) => x.code !== "lint/misspelled-property")) {
    assert.equal("fix" in other, false, other.code);
  }
  // In a definition body, the fix's positions refer to the decoded part, like the diagnostic's.
  const inBody = lint(body([part("copyjob-content.json", b64(TEXT))]));
  const { inEnvelope, ...again } = inBody.diagnostics.find((d) => d.pointer.endsWith("/writeBehaviour"));
  assert.deepStrictEqual(again, d);
  assert.deepStrictEqual(inEnvelope.range, inBody.parts[0].payloadRange);
  assert.equal(slice(inBody.parts[0].text, again.fix.edits[0].range), '"writeBehaviour"');
});

test("fix() on a copyjob-content.json text: the fixed text, and nothing left to fix", () => {
  const r = fix(TEXT);
  assert.deepStrictEqual(r, { changed: true, text: FIXED, changes: CHANGES });
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.deepStrictEqual(fix(r.text), { changed: false, text: FIXED, changes: [] });
  assert.ok(lint(r.text).diagnostics.every((d) => !d.fix && d.code !== "lint/misspelled-property"));
  // The same as bytes and with a file name.
  assert.deepStrictEqual(fix(new Uint8Array(Buffer.from(TEXT)), { fileName: "copyjob-content.json" }), r);
});

test("fix() on a getDefinition body: the payload is re-encoded, the rest kept", () => {
  const text = body([part("copyjob-content.json", b64(TEXT)), part(".platform", b64(PLATFORM))]);
  const r = fix(text);
  const expected = body([part("copyjob-content.json", b64(FIXED)), part(".platform", b64(PLATFORM))]);
  assert.deepStrictEqual(r, {
    changed: true,
    text: expected,
    changes: CHANGES.map((c) => `copyjob-content.json: ${c}`),
  });
  const decoded = unpack(r.text).parts;
  assert.equal(decoded[0].text, FIXED);
  assert.equal(decoded[1].text, PLATFORM);
  // Idempotent.
  assert.deepStrictEqual(fix(r.text), { changed: false, text: expected, changes: [] });
});

test("fix() on an item folder returns only the changed files", () => {
  const r = fix({ files: { "copyjob-content.json": TEXT, ".platform": PLATFORM } });
  assert.deepStrictEqual(r, {
    changed: true,
    files: { "copyjob-content.json": FIXED },
    changes: CHANGES.map((c) => `copyjob-content.json: ${c}`),
  });
  assert.deepStrictEqual(fix({ files: { "copyjob-content.json": FIXED, ".platform": PLATFORM } }), {
    changed: false,
    files: {},
    changes: [],
  });
});

test("fix() honours the rule levels: a rule turned off offers no fix", () => {
  const off = { rules: { "lint/misspelled-property": "off" } };
  assert.ok(lint(TEXT, off).diagnostics.every((d) => !d.fix));
  assert.deepStrictEqual(fix(TEXT, off), { changed: false, text: TEXT, changes: [] });
  const inBody = body([part("copyjob-content.json", b64(TEXT))]);
  assert.deepStrictEqual(fix(inBody, off), { changed: false, text: inBody, changes: [] });
  // A changed severity still fixes.
  assert.equal(fix(TEXT, { rules: { "lint/misspelled-property": "info" } }).text, FIXED);
});

test("fix() leaves documents without fixes alone and throws on unusable arguments", () => {
  for (const text of ["", "{", '{"x": 1}', PLATFORM]) {
    assert.deepStrictEqual(fix(text), { changed: false, text, changes: [] });
  }
  assert.throws(() => fix(42), Error);
  assert.throws(() => fix(TEXT, { rulez: {} }), /invalid fix options: unknown field `rulez`/);
  assert.throws(() => fix(TEXT, { rules: { "lint/misspelled-property": "fatal" } }), Error);
});

const FOUR = `{
    "properties": {"jobMode": "Batch", "n": 1.50, "e": 1E3, "s": "\\u00e9\\n"},
    "activities": [ ],
    "empty": {}, "list": [1, [2, {"a": null}], true]
}
`;
const TWO = `{
  "properties": {
    "jobMode": "Batch",
    "n": 1.50,
    "e": 1E3,
    "s": "\\u00e9\\n"
  },
  "activities": [],
  "empty": {},
  "list": [
    1,
    [
      2,
      {
        "a": null
      }
    ],
    true
  ]
}`;

test("format(): 2-space indentation, no trailing newline, keys, strings and numbers kept", () => {
  assert.equal(format(FOUR), TWO);
  assert.equal(format(TWO), TWO);
});

test("format() throws an Error with the JSON problem when the text is not JSON", () => {
  assert.throws(() => format('{"a": }'), (e) => e instanceof Error && e.message === "not valid JSON: unexpected close brace (line 1, column 7)");
  for (const bad of ["", "{", "[1,]", "{'a': 1}"]) {
    assert.throws(() => format(bad), (e) => e instanceof Error && e.message.startsWith("not valid JSON: "), bad);
  }
  assert.throws(() => format(42), /format: expected a string/);
});

test("format() changes no JSON payload the service sent, and formatDefinition() no envelope", () => {
  const api = recordings;
  let contents = 0;
  for (const file of fabricApiFiles()) {
    for (const { pointer, envelope } of envelopes(JSON.parse(readFileSync(file, "utf8")), "", [])) {
      const where = `${relative(api, file)} ${pointer}`;
      for (const p of envelope.parts) {
        const text = Buffer.from(p.payload, "base64").toString("utf8");
        let isJson = true;
        try {
          JSON.parse(text);
        } catch {
          isJson = false; // the docs' placeholders (`dotPlatformBase64String`), notebooks
        }
        if (!isJson) continue;
        assert.equal(format(text), text, `${where} ${p.path}`);
        if (p.path === "copyjob-content.json") contents++;
      }
      const text = JSON.stringify(envelope, null, 2);
      assert.deepStrictEqual(formatDefinition(text), { changed: false, text, changes: [] }, where);
    }
  }
  assert.ok(contents >= 4, `only ${contents} copyjob-content.json payloads`);
});

test("formatDefinition(): parts formatted, payloads re-encoded, item folders by file", () => {
  const text = body([part("copyjob-content.json", b64(FOUR)), part(".platform", b64(PLATFORM))]);
  assert.deepStrictEqual(formatDefinition(text), {
    changed: true,
    text: body([part("copyjob-content.json", b64(TWO)), part(".platform", b64(PLATFORM))]),
    changes: ["copyjob-content.json: formatted copyjob-content.json"],
  });
  assert.deepStrictEqual(formatDefinition(FOUR, { fileName: "copyjob-content.json" }), {
    changed: true,
    text: TWO,
    changes: ["formatted copyjob-content.json"],
  });
  assert.deepStrictEqual(formatDefinition({ files: { "copyjob-content.json": FOUR, ".platform": PLATFORM } }), {
    changed: true,
    files: { "copyjob-content.json": TWO },
    changes: ["copyjob-content.json: formatted copyjob-content.json"],
  });
  // A part that is not JSON is left as it is.
  assert.deepStrictEqual(formatDefinition("{", { fileName: "copyjob-content.json" }), {
    changed: false,
    text: "{",
    changes: [],
  });
  assert.throws(() => formatDefinition(TWO, { rules: {} }), /invalid format options: unknown field `rules`/);
});

test("rules(): every lint rule with its metadata and documentation", () => {
  const list = rules();
  assert.ok(list.length >= 25, `only ${list.length} rules`);
  assert.equal(new Set(list.map((r) => r.code)).size, list.length, "codes are unique");
  for (const r of list) {
    assert.deepStrictEqual(Object.keys(r), ["code", "name", "severity", "fixable", "summary", "evidence", "docs", "docsUrl"]);
    assert.equal(r.code, `lint/${r.name}`);
    assert.match(r.name, /^[a-z0-9-]+$/);
    assert.ok(["error", "warning", "info"].includes(r.severity), r.code);
    assert.equal(typeof r.fixable, "boolean");
    assert.ok(r.summary.length > 10 && r.summary.endsWith("."), r.code);
    assert.ok(r.evidence.length > 0, r.code);
    assert.ok(r.docs.includes("What it does"), r.code);
    assert.equal(r.docsUrl, `docs/rules/${r.name}.md`);
    // The generated page holds the same documentation.
    const page = join(root, r.docsUrl);
    assert.ok(existsSync(page), page);
    assert.ok(readFileSync(page, "utf8").includes(r.docs), `${r.docsUrl} is out of date`);
  }
  const misspelled = list.find((r) => r.code === "lint/misspelled-property");
  assert.equal(misspelled.fixable, true);
  assert.equal(misspelled.severity, "warning");
  assert.ok(list.some((r) => !r.fixable));
});
