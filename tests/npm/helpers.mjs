// Shared paths and helpers of the npm package tests. The tests use the BUILT package only.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../..");
export const pkgDir = join(root, "crates/copyjob-wasm/pkg");
/** Real-world definitions (provenance in tests/corpus/SOURCES.md). */
export const corpus = join(root, "tests/corpus");
/** The corpus's definitions (its SOURCES.md aside). */
export const corpusFiles = () => walkFiles(corpus).filter((f) => !f.endsWith("SOURCES.md"));
/** The Fabric REST API's examples and recorded exchanges (tests/recordings/SOURCES.md). */
export const recordings = join(root, "tests/recordings");
export const artifacts = join(root, "target/npm-test-artifacts");

if (!existsSync(join(pkgDir, "package.json"))) {
  throw new Error(`the package is not built: run crates/copyjob-wasm/build.sh (no ${pkgDir}/package.json)`);
}

/** Every file under a folder, recursively, sorted. */
export function walkFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walkFiles(path));
    else out.push(path);
  }
  return out;
}

/** The UTF-16 text of a range. */
export function slice(text, range) {
  return text.slice(range.start.offset, range.end.offset);
}

/** Every `{parts: [...]}` envelope in a JSON value, including inside JSON-string bodies. */
export function envelopes(value, pointer, out) {
  if (typeof value === "string") {
    const t = value.trimStart();
    if ((t.startsWith("{") || t.startsWith("[")) && value.includes('"parts"')) {
      let parsed;
      try {
        parsed = JSON.parse(value);
      } catch {
        return out;
      }
      envelopes(parsed, `${pointer}(body)`, out);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => envelopes(v, `${pointer}/${i}`, out));
  } else if (value && typeof value === "object") {
    if (Array.isArray(value.parts) && value.parts.some((p) => p && typeof p.payload === "string")) {
      out.push({ pointer, envelope: value });
    }
    for (const [k, v] of Object.entries(value)) envelopes(v, `${pointer}/${k}`, out);
  }
  return out;
}

/**
 * The Fabric REST API files holding definitions: tests/recordings/{copyJob_examples,
 * platform_examples}/*.json and observed_exchanges_fabric-cli_recordings.json.
 */
export function fabricApiFiles() {
  const api = recordings;
  return [
    ...walkFiles(join(api, "copyJob_examples")),
    ...walkFiles(join(api, "platform_examples")),
    join(api, "observed_exchanges_fabric-cli_recordings.json"),
  ].filter((f) => f.endsWith(".json"));
}

/**
 * The reason to skip tests whose prerequisite is missing — but under CI (`CI=true`, as
 * scripts/test sets it) a missing prerequisite is a failure, never a silent skip.
 */
export function skipUnlessCI(reason) {
  if (process.env.CI === "true") throw new Error(`${reason}; CI=true requires it (the tests would be skipped)`);
  return reason;
}
