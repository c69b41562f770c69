// The package and the CLI agree: for every file in tests/fixtures/ and tests/corpus/
// (and every item folder in tests/fixtures/), `lint` gives the diagnostics of
// `copyjob lint --format json` — same codes, severities, messages, parts, pointers and lines, the
// package's UTF-16 columns equal the CLI's `utf16Column`, and the same safe fixes (message, edits).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { test } from "node:test";
import { lint } from "@copyjob/copyjob";
import { corpus, corpusFiles, root, skipUnlessCI, walkFiles } from "./helpers.mjs";

const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, "target");
const cli = process.env.COPYJOB_BIN ?? join(targetDir, "debug/copyjob");
const skip = existsSync(cli)
  ? false
  : skipUnlessCI(`the CLI binary ${cli} is missing: build it with \`cargo build -p copyjob-cli\` (or set COPYJOB_BIN)`);
if (skip) console.log(`# SKIP consistency: ${skip}`);

const fixtures = join(root, "tests/fixtures");
const isItemFolder = (dir) =>
  dir.endsWith(".CopyJob") || ["copyjob-content.json", ".platform"].some((f) => existsSync(join(dir, f)));

// Item folders (Name.CopyJob/) are linted as folders, and every file as a document.
const folders = [];
(function findFolders(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    if (name.endsWith(".CopyJob")) folders.push(path);
    else findFolders(path);
  }
})(fixtures);
const files = [...walkFiles(fixtures), ...corpusFiles()];

let compared = 0;

function runCli(path) {
  const r = spawnSync(cli, ["lint", "--format", "json", path], { encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `copyjob lint exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A CLI position as the package gives it (UTF-16 column and offset). */
const cliAt = (p) => [p.line, p.utf16Column, p.utf16Offset];
const jsAt = (p) => [p.line, p.column, p.offset];

/**
 * What must agree, from a CLI diagnostic (char columns and byte offsets left out), with its
 * safe fix when it has one. The CLI's `file` is left out, and `configured` must be absent: the
 * package is run without options, so no copyjob.json may configure the CLI's run.
 */
const fromCli = (d) => {
  assert.equal(d.configured, undefined, `${d.code} configured by ${d.configured}: the CLI found a configuration`);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    part: d.part,
    pointer: d.pointer,
    start: cliAt(d.range.start),
    end: cliAt(d.range.end),
    fix: d.fix && { message: d.fix.message, edits: d.fix.edits.map((e) => [cliAt(e.range.start), cliAt(e.range.end), e.newText]) },
  };
};
const fromJs = (d) => ({
  code: d.code,
  severity: d.severity,
  message: d.message,
  part: d.part,
  pointer: d.pointer,
  start: jsAt(d.range.start),
  end: jsAt(d.range.end),
  fix: d.fix && { message: d.fix.message, edits: d.fix.edits.map((e) => [jsAt(e.range.start), jsAt(e.range.end), e.newText]) },
});
let fixes = 0;

test("the corpus is there", () => {
  assert.ok(files.filter((f) => f.startsWith(corpus)).length >= 20, "no tests/corpus");
});

for (const file of files) {
  const name = relative(root, file);
  test(`package = CLI: ${name}`, { skip }, () => {
    const expected = runCli(file).map(fromCli);
    // The CLI checks a file by its name: copyjob-content.json and .platform are checked as parts.
    const actual = lint(readFileSync(file), { fileName: basename(file) }).diagnostics.map(fromJs);
    assert.deepEqual(actual, expected);
    compared += expected.length;
    fixes += expected.filter((d) => d.fix).length;
  });
}

for (const folder of folders) {
  test(`package = CLI: ${relative(root, folder)}/`, { skip }, () => {
    assert.ok(isItemFolder(folder));
    const expected = runCli(folder).map(fromCli);
    const entries = readdirSync(folder)
      .filter((n) => statSync(join(folder, n)).isFile())
      .sort()
      .map((n) => [n, readFileSync(join(folder, n))]);
    const actual = lint({ files: Object.fromEntries(entries) }).diagnostics.map(fromJs);
    assert.deepEqual(actual, expected);
    compared += expected.length;
    fixes += expected.filter((d) => d.fix).length;
  });
}

test("the comparison is not vacuous", { skip }, () => {
  const inFixtures = files.filter((f) => f.startsWith(fixtures)).length;
  // The invalid fixtures give diagnostics; with no fixtures, the samples still give some.
  assert.ok(compared >= (inFixtures > 0 ? 50 : 1), `only ${compared} diagnostics compared`);
  assert.ok(inFixtures === 0 || fixes > 0, "no diagnostic with a fix was compared");
});
