// Typing benchmark for the browser editor (run by hand, not a test):
//
//   node tests/browser/bench-typing.mjs    (after tests/browser/run.sh, or www/build.sh and
//                                           cargo build -p copyjob-cli)
//
// Generates the 4 MB benchmark document (scripts/gen-bench-docs.py → large.json, 1000 activities)
// in a temporary folder, loads it into the editor served by `copyjob serve`, lets its first lint
// settle (3 s), then types 60 characters into it (one keypress every 50 ms) and waits 2 s more (the
// lint of the final text lands well within that). Reports the long main-thread tasks
// (PerformanceObserver "longtask" entries, i.e. every task over 50 ms) from the first keypress on,
// and the longest.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { browser, openEditor, root, serve } from "./helpers.mjs";

const CHARS = 60;
const KEY_DELAY_MS = 50;

const dir = mkdtempSync(join(tmpdir(), "copyjob-bench-"));
execFileSync("python3", [join(root, "scripts/gen-bench-docs.py"), join(root, "tests/corpus")], { cwd: dir, stdio: "ignore" });
const large = readFileSync(join(dir, "large.json"), "utf8");
rmSync(dir, { recursive: true, force: true });

const server = await serve();
const chrome = await browser();
try {
  const { page, pageErrors } = await openEditor(chrome.context, server.url);
  // Load the document as the editor's own API does, then wait for its problems.
  const loadStart = Date.now();
  await page.evaluate((text) => window.copyjobEditor.setText("content", text), large);
  await page.waitForFunction(() => window.copyjobEditor.view.state.doc.length > 1_000_000);
  console.log(`loaded ${(large.length / 1048576).toFixed(1)} MiB (${Date.now() - loadStart} ms until set)`);

  // Observe long tasks from now on.
  await page.evaluate(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => window.__longtasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: "longtask" });
  });
  // Let the load's own lint and tab sync settle before typing.
  await page.waitForTimeout(3000);
  await page.evaluate(() => (window.__longtasks.length = 0));
  const summaryBefore = await page.textContent("#lint-summary");

  // Type inside the first activity's "name" string value.
  await page.evaluate(() => {
    const { view } = window.copyjobEditor;
    const at = view.state.doc.toString().indexOf('"name"');
    const quote = view.state.doc.toString().indexOf('"', at + 7);
    view.focus();
    view.dispatch({ selection: { anchor: quote + 1 } });
  });
  const typed = "x".repeat(CHARS);
  await page.waitForTimeout(1000);
  const firstKeyAt = await page.evaluate(() => performance.now());
  const typeStart = Date.now();
  await page.keyboard.type(typed, { delay: KEY_DELAY_MS });
  const typeEnd = Date.now();
  const typedAt = await page.evaluate(() => performance.now());
  // Wait until the problems panel reflects the final text (the lint after the last keypress).
  await page.waitForFunction(
    (n) => window.copyjobEditor.view.state.doc.toString().includes("x".repeat(n)),
    CHARS,
  );
  await page.waitForTimeout(2000);
  // Only what started from the first keypress on (placing the cursor is not typing).
  const tasks = (await page.evaluate(() => window.__longtasks.slice())).filter((t) => t.start >= firstKeyAt);
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  const during = Math.max(0, ...tasks.filter((t) => t.start < typedAt).map((t) => t.duration));
  console.log(`typed ${CHARS} characters in ${typeEnd - typeStart} ms (${KEY_DELAY_MS} ms between keys)`);
  console.log(`problems before typing: ${summaryBefore}; after: ${await page.textContent("#lint-summary")}`);
  console.log(`main-thread long tasks (> 50 ms) while typing and linting: ${tasks.length}`);
  console.log(`longest main-thread task: ${longest.toFixed(0)} ms (while keys were being typed: ${during.toFixed(0)} ms)`);
  console.log(`all long tasks (ms after the first key, duration): ${tasks.map((t) => `${(t.start - firstKeyAt).toFixed(0)}:${t.duration.toFixed(0)}`).join(" ")}`);
  if (pageErrors.length) console.log(`page errors: ${pageErrors.join("; ")}`);
} finally {
  await chrome.close();
  await server.stop();
}
