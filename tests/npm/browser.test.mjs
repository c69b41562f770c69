// The package in headless Chromium (playwright-core + Debian's /usr/bin/chromium): the web build
// served from 127.0.0.1 initialises from its URL and lints a document in a page, both as shipped
// (ES module + .wasm next to it) and bundled by esbuild. A screenshot is saved under
// target/npm-test-artifacts/.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { artifacts, pkgDir, skipUnlessCI } from "./helpers.mjs";

const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const skip = existsSync(chromiumPath) ? false : skipUnlessCI(`${chromiumPath} is missing (apt-get install chromium)`);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

const DOCUMENT = JSON.stringify(
  { properties: { jobMode: "Batchh" }, activities: [{ properties: { destination: { datasetSettings: { table: "Überweisungen_日本" } } } }] },
  null,
  2,
);

const page = (module) => `<!doctype html>
<html><head><meta charset="utf-8"><title>copyjob in the browser</title><link rel="icon" href="data:,">
<style>body{font:14px system-ui;margin:2em} pre{background:#f4f4f4;padding:1em}</style></head>
<body><h1>@copyjob/copyjob <span id="version"></span></h1>
<p>status: <b id="status">loading</b></p>
<h2>copyjob-content.json</h2><pre id="doc"></pre><h2>diagnostics</h2><pre id="result"></pre>
<script type="module">
import init, { lint, version } from "${module}";
try {
  await init();
  const text = ${JSON.stringify(DOCUMENT)};
  const r = lint(text, { fileName: "copyjob-content.json" });
  document.getElementById("version").textContent = version();
  document.getElementById("doc").textContent = text;
  document.getElementById("result").textContent = r.diagnostics
    .map((d) => d.range.start.line + ":" + d.range.start.column + " " + d.severity + " " + d.code + " " + d.pointer +
      " [" + text.slice(d.range.start.offset, d.range.end.offset) + "] " + d.message)
    .join("\\n");
  window.result = r;
  document.getElementById("status").textContent = "ready";
} catch (e) {
  document.getElementById("status").textContent = "failed: " + e;
}
</script></body></html>`;

let server;
let context;
let base;
const www = mkdtempSync(join(tmpdir(), "copyjob-www-"));
const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));

before(async () => {
  if (skip) return;
  // The esbuild bundle of a tiny entry, as the editor will build it; the .wasm goes next to it.
  mkdirSync(join(www, "bundle"), { recursive: true });
  await build({
    stdin: { contents: 'export { default, lint, version } from "@copyjob/copyjob";', resolveDir: import.meta.dirname },
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: join(www, "bundle/entry.js"),
    logLevel: "silent",
  });
  copyFileSync(join(pkgDir, "copyjob_bg.wasm"), join(www, "bundle/copyjob_bg.wasm"));
  const pages = { "/index.html": page("/pkg/copyjob.js"), "/bundled.html": page("/bundle/entry.js") };
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    let body;
    if (pages[path]) body = pages[path];
    else if (path.startsWith("/pkg/")) body = tryRead(join(pkgDir, path.slice(5)));
    else body = tryRead(join(www, path));
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

function tryRead(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

after(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  rmSync(www, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

async function lintInPage(url, screenshot) {
  const p = await context.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await p.goto(`${base}${url}`);
  await p.waitForFunction(() => document.getElementById("status").textContent !== "loading");
  assert.equal(await p.textContent("#status"), "ready");
  const result = await p.evaluate(() => window.result);
  if (screenshot) {
    mkdirSync(artifacts, { recursive: true });
    await p.screenshot({ path: join(artifacts, screenshot), fullPage: true });
  }
  await p.close();
  assert.deepEqual(errors, []);
  return result;
}

function checkResult(r) {
  const codes = r.diagnostics.map((d) => `${d.code} ${d.pointer}`);
  assert.ok(codes.includes("schema/invalid-value /properties/jobMode"), codes.join("\n"));
  const jobMode = r.diagnostics.find((d) => d.pointer === "/properties/jobMode");
  assert.equal(DOCUMENT.slice(jobMode.range.start.offset, jobMode.range.end.offset), '"Batchh"');
  assert.equal(jobMode.range.start.line, 3);
  assert.equal(r.parts[0].path, "copyjob-content.json");
}

test("the web build initialises from its URL and lints in Chromium", { skip }, async () => {
  checkResult(await lintInPage("/index.html", "browser-lint.png"));
});

test("the esbuild bundle lints in Chromium", { skip }, async () => {
  checkResult(await lintInPage("/bundled.html", "browser-lint-bundled.png"));
});
