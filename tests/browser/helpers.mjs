// Shared by the browser tests: starts `copyjob serve --port 0` (the editor + the emulator on one
// loopback port) with the given emulator flags, and a headless Chromium (Debian's, through
// playwright-core) with a fresh profile; collects the console and page errors; saves screenshots
// under target/browser-test-artifacts/.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

export const root = resolve(import.meta.dirname, "../..");
export const artifacts = join(root, "target/browser-test-artifacts");
export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const TOKEN = "browser-test-token-7f3a9c2e51d84b6f";
export const WORKSPACE = "00000000-0000-4000-8000-000000000001";

/** The copyjob binary: $COPYJOB_BIN, else the newest of target/{release,debug}/copyjob. */
export function copyjobBinary() {
  if (process.env.COPYJOB_BIN) return process.env.COPYJOB_BIN;
  const target = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
  for (const profile of ["release", "debug"]) {
    const bin = join(target, profile, "copyjob");
    if (existsSync(bin)) return bin;
  }
  throw new Error("no copyjob binary: run tests/browser/run.sh (or cargo build -p copyjob-cli)");
}

/** Starts `copyjob serve --port 0 ...flags`; resolves { url, stop }. */
export async function serve(flags = []) {
  const args = ["serve", "--port", "0", "--www", join(root, "www/dist"), ...flags];
  const child = spawn(copyjobBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`copyjob serve printed no URL: ${stderr}`)), 30000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolveUrl(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`copyjob serve exited ${code}: ${stderr}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
  return { url, stop, child };
}

/** A headless Chromium with a fresh profile. */
export async function browser() {
  const profile = mkdtempSync(join(tmpdir(), "copyjob-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    acceptDownloads: true,
    downloadsPath: profile,
    viewport: { width: 1400, height: 950 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Opens the editor; returns { page, consoleLines, pageErrors, requests }. `requests` holds every
 * URL the page asked for (to check that the token is in none). `beforeLoad(page)` runs before the
 * page loads (to install a fake clock or init scripts).
 */
export async function openEditor(context, url, { beforeLoad } = {}) {
  const page = await context.newPage();
  await beforeLoad?.(page);
  const consoleLines = [];
  const pageErrors = [];
  const requests = [];
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("status").textContent !== "loading");
  assert.equal(await page.textContent("#status"), "ready", await page.textContent("#error"));
  return { page, consoleLines, pageErrors, requests };
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, name), fullPage: true });
}

/** Pastes the token as a user would. */
export async function signInWithToken(page, token = TOKEN) {
  await page.fill("#token", token);
}

/** Waits until #message has exactly `text` (or matches a RegExp). */
export async function waitMessage(page, text, timeout = 20000) {
  await page.waitForFunction(
    ([t, isRe]) => {
      const m = document.getElementById("message").textContent;
      return isRe ? new RegExp(t).test(m) : m === t;
    },
    [text instanceof RegExp ? text.source : text, text instanceof RegExp],
    { timeout },
  );
}

/** Waits for a problems panel rendering of `tab` with its rows. */
export async function problems(page) {
  return page.$$eval("#problems tbody tr", (rows) =>
    rows.map((r) => ({ code: r.dataset.code, line: Number(r.dataset.line), severity: r.cells[0].textContent, message: r.cells[3].textContent })),
  );
}

/** Replaces the first occurrence of `search` in the active editor by typing `replacement`. */
export async function typeOver(page, search, replacement) {
  await page.evaluate((s) => {
    const { view } = window.copyjobEditor;
    const at = view.state.doc.toString().indexOf(s);
    if (at < 0) throw new Error(`not in the editor: ${s}`);
    view.focus();
    view.dispatch({ selection: { anchor: at, head: at + s.length } });
  }, search);
  await page.keyboard.type(replacement);
}

export const editorText = (page, tab) => page.evaluate((t) => window.copyjobEditor.text(t), tab);

/**
 * The reason to skip tests whose prerequisite is missing — but under CI (`CI=true`, as
 * scripts/test sets it) a missing prerequisite is a failure, never a silent skip.
 */
export function skipUnlessCI(reason) {
  if (process.env.CI === "true") throw new Error(`${reason}; CI=true requires it (the tests would be skipped)`);
  return reason;
}
