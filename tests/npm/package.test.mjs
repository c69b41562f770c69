// The package as published: package.json, `npm pack`, complete .d.ts without `any` (tsc
// --strict on a consumer), and bundling with esbuild.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { build } from "esbuild";
import { here, pkgDir } from "./helpers.mjs";

const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

test("package.json: name, version, license, ESM, exports, types, files", () => {
  assert.equal(pkg.name, "@copyjob/copyjob");
  assert.match(pkg.version, /^\d+\.\d+\.\d+/);
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  assert.equal(pkg.type, "module");
  assert.equal(pkg.types, "./copyjob.d.ts");
  assert.deepEqual(pkg.exports["."], {
    node: { types: "./node.d.ts", default: "./node.js" },
    types: "./copyjob.d.ts",
    browser: "./copyjob.js",
    default: "./copyjob.js",
  });
});

test("npm pack accepts the folder and ships exactly the files", () => {
  const [info] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: pkgDir, encoding: "utf8" }));
  assert.equal(info.name, "@copyjob/copyjob");
  assert.deepEqual(info.files.map((f) => f.path).sort(), [...pkg.files, "package.json"].sort());
});

test("the .d.ts files have no `any`", () => {
  for (const f of readdirSync(pkgDir).filter((f) => f.endsWith(".d.ts"))) {
    const code = readFileSync(join(pkgDir, f), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    assert.doesNotMatch(code, /\bany\b/, f);
  }
});

test("tsc --strict type-checks a consumer of every export", () => {
  const tsc = join(here, "node_modules/.bin/tsc");
  try {
    execFileSync(tsc, ["-p", join(here, "types")], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test("esbuild bundles it; the browser bundle initialises from bytes and lints", async () => {
  const dir = mkdtempSync(join(tmpdir(), "copyjob-esbuild-"));
  try {
    await build({
      stdin: {
        contents:
          'export { default, fix, format, formatDefinition, lint, pack, rules, schemas, unpack, version } from "@copyjob/copyjob";',
        resolveDir: here,
      },
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: join(dir, "browser.js"),
      logLevel: "silent",
    });
    const m = await import(pathToFileURL(join(dir, "browser.js")).href);
    await m.default({ module_or_path: readFileSync(join(pkgDir, "copyjob_bg.wasm")) });
    const r = m.lint('{"properties": {"jobMode": "Batchh"}, "activities": []}');
    assert.deepEqual(r.diagnostics.map((d) => d.code), ["schema/invalid-value"]);
    assert.equal(m.format('{"a":  1}'), '{\n  "a": 1\n}');
    assert.ok(m.rules().length > 0);

    // For Node, the bundle instantiates at import from the .wasm next to it.
    await build({
      stdin: { contents: 'export { lint } from "@copyjob/copyjob";', resolveDir: here },
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: join(dir, "node.js"),
      logLevel: "silent",
    });
    copyFileSync(join(pkgDir, "copyjob_bg.wasm"), join(dir, "copyjob_bg.wasm"));
    const n = await import(pathToFileURL(join(dir, "node.js")).href);
    assert.equal(n.lint('{"activities": []}').kind, "content");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
