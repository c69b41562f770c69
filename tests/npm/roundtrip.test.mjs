// pack(unpack(x)) is byte-exact on every payload the Fabric REST API documents or was recorded
// sending: tests/recordings/{copyJob_examples,platform_examples}/*.json and the JSON-string
// bodies of observed_exchanges_fabric-cli_recordings.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { pack, unpack } from "@copyjob/copyjob";
import { envelopes, fabricApiFiles, recordings } from "./helpers.mjs";

const api = recordings;

// Payloads published without their base64 padding. The core decodes them, warns
// `codec/missing-padding`, and pack() writes the padded form the service writes.
const UNPADDED = new Set([
  "platform_examples/GetItemDefinition.json /responses/200/body/definition definition.pbir",
  "platform_examples/UpdateItemDefinition.json /parameters/updateItemDefinitionRequest/definition definition.pbir",
]);

const files = fabricApiFiles();

test("the fabric-api corpus is there", () => {
  assert.ok(files.length >= 3, `no fabric-api files under ${api}`);
});

let total = 0;
const unpaddedSeen = new Set();

for (const file of files) {
  const name = relative(api, file);
  const found = envelopes(JSON.parse(readFileSync(file, "utf8")), "", []);
  for (const { pointer, envelope } of found) {
    test(`pack(unpack(x)) is byte-exact: ${name} ${pointer}`, () => {
      // unpack the envelope as the text the service sends.
      const result = unpack(JSON.stringify(envelope, null, 2));
      const bytesByPath = Object.fromEntries(result.parts.map((p) => [p.path, p.bytes]));
      const packed = pack(bytesByPath);
      const out = new Map(packed.definition.parts.map((p) => [p.path, p]));
      for (const [i, part] of envelope.parts.entries()) {
        total++;
        const again = out.get(part.path);
        assert.ok(again, `part ${part.path} lost`);
        assert.equal(again.payloadType, "InlineBase64");
        if (part.payload.length % 4 === 0) {
          assert.equal(again.payload, part.payload, `${part.path} changed`);
        } else {
          const key = `${name} ${pointer} ${part.path}`;
          assert.ok(UNPADDED.has(key), `unexpected unpadded payload: ${key}`);
          unpaddedSeen.add(key);
          const padded = part.payload + "=".repeat((4 - (part.payload.length % 4)) % 4);
          assert.equal(again.payload, padded);
          assert.ok(
            result.diagnostics.some(
              (d) => d.code === "codec/missing-padding" && d.pointer === `/parts/${i}/payload`,
            ),
            "codec/missing-padding is reported",
          );
        }
        // The text view decodes the same bytes.
        const text = result.parts.find((p) => p.path === part.path).text;
        assert.equal(Buffer.from(text, "utf8").toString("base64"), again.payload);
      }
    });
  }
}

test("every documented unpadded payload was seen, and the corpus was covered", () => {
  assert.deepEqual([...unpaddedSeen].sort(), [...UNPADDED].sort());
  assert.ok(total >= 15, `only ${total} payloads checked`);
});
