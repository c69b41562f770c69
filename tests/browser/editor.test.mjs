// The editor and REST console in headless Chromium against `copyjob serve --port 0` (the
// emulator over real HTTP): the full scenario, async LROs, 429s, paging, a failed run, an error
// message carrying HTML, and where the token must never be. Screenshots of the main states are
// saved under target/browser-test-artifacts/.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  TOKEN,
  WORKSPACE,
  browser,
  chromiumPath,
  editorText,
  openEditor,
  problems,
  screenshot,
  serve,
  signInWithToken,
  skipUnlessCI,
  typeOver,
  waitMessage,
} from "./helpers.mjs";

const skip = existsSync(chromiumPath) ? false : skipUnlessCI(`${chromiumPath} is missing (apt-get install chromium)`);
// Short emulator durations; Retry-After 0 makes the page poll at its floor (200 ms).
const FAST = ["--job-queued-ms", "300", "--job-running-ms", "1500", "--retry-after", "0", "--lro-queued-ms", "100", "--lro-running-ms", "200"];

let chrome;
before(async () => {
  if (!skip) chrome = await browser();
});
after(async () => {
  await chrome?.close();
});

/** Runs `fn(ctx)` against a fresh `copyjob serve` with `flags`; checks the token's whereabouts after. */
async function withServer(flags, fn) {
  const server = await serve(flags);
  const ctx = await openEditor(chrome.context, server.url);
  try {
    await signInWithToken(ctx.page);
    await fn({ ...ctx, server });
    await assertTokenNotLeaked(ctx);
    assert.deepEqual(ctx.pageErrors, []);
  } catch (e) {
    await screenshot(ctx.page, `failure-${Date.now()}.png`).catch(() => {});
    throw e;
  } finally {
    await ctx.page.close();
    await server.stop();
  }
}

async function assertTokenNotLeaked({ page, consoleLines, requests }) {
  const storage = await page.evaluate(() => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join("\n");
    return { local: dump(localStorage), session: dump(sessionStorage), url: location.href };
  });
  assert.ok(!storage.local.includes(TOKEN), "the token is in localStorage");
  assert.ok(!storage.session.includes(TOKEN), "the token is in sessionStorage without the user asking");
  assert.ok(!storage.url.includes(TOKEN), "the token is in the page URL");
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(!url.includes(TOKEN), `the token is in a request URL: ${url}`);
  for (const line of consoleLines) assert.ok(!line.includes(TOKEN), `the token is in the console: ${line}`);
  assert.ok(!(await page.textContent("#log")).includes(TOKEN), "the token is in the request log");
}

/** Creates copy jobs straight through the API (test setup, not the page). */
async function createJobs(url, names) {
  for (const displayName of names) {
    const r = await fetch(`${url}v1/workspaces/${WORKSPACE}/copyJobs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ displayName }),
    });
    assert.equal(r.status, 201, await r.text());
  }
}

const logText = (page) => page.textContent("#log");

describe("the editor against the emulator", { skip }, () => {
  test("full scenario: list, create, edit with lint, fix, update, round trip, run, cancel, delete", async () => {
    await withServer(["--job-queued-ms", "300", "--job-running-ms", "2500", "--retry-after", "0"], async ({ page }) => {
      // list (empty), then create
      await page.click("#list");
      await waitMessage(page, "Listed 0 copy jobs");
      assert.equal(await page.textContent("#jobs-count"), "0 copy jobs in 1 page");
      await page.fill("#new-name", "Nightly sales");
      await page.fill("#new-description", "Loads the sales tables");
      await page.click("#create");
      await waitMessage(page, "Created Nightly sales");
      await page.click("#list");
      await waitMessage(page, "Listed 1 copy jobs");
      assert.equal(await page.textContent("#jobs li .name"), "Nightly sales");
      await page.click("#jobs li");
      assert.match(await page.textContent("#selected"), /^Nightly sales \(/);

      // getDefinition → the editor
      await page.click("#get-definition");
      await waitMessage(page, "Loaded the definition of Nightly sales");
      assert.match(await editorText(page, "content"), /"jobMode": "Batch"/);
      assert.match(await editorText(page, "platform"), /"displayName": "Nightly sales"/);
      await screenshot(page, "1-definition-loaded.png");

      // edit: a lint error appears on line 3, with a squiggle and a problem row
      await typeOver(page, "Batch", "Batchh");
      await page.waitForSelector("#problems tbody tr[data-code='schema/invalid-value']");
      const rows = await problems(page);
      const row = rows.find((r) => r.code === "schema/invalid-value");
      assert.equal(row.line, 3);
      assert.equal(row.severity, "error");
      await page.waitForSelector(".cm-lintRange-error");
      assert.equal(await page.textContent(".cm-lintRange-error"), '"Batchh"');
      assert.match(await page.textContent("#lint-summary"), /1 error/);
      // every code has its doc page, from the package's codes()
      assert.equal(
        await page.getAttribute("#problems tbody tr[data-code='schema/invalid-value'] a.doc-link", "href"),
        "https://github.com/copyjob/copyjob/blob/main/docs/codes/schema/invalid-value.md",
      );
      await screenshot(page, "2-lint-error.png");

      // a definition with errors is not sent
      const logBefore = await logText(page);
      await page.click("#update-definition");
      await waitMessage(page, "Not sent");
      assert.equal(await page.textContent("#error-code"), "LintErrors");
      assert.equal(await logText(page), logBefore, "nothing was sent");

      // fix: the rule's quick fix when it offers one, else by hand — to CDC, a real change
      const quickFix = await page.$("#problems .quick-fix");
      if (quickFix) {
        await quickFix.click();
        await page.waitForFunction(() => !document.querySelector("#problems tbody tr[data-code='schema/invalid-value']"));
      }
      await typeOver(page, quickFix ? "Batch" : "Batchh", "CDC");
      await page.waitForFunction(() => /: 0 errors/.test(document.getElementById("lint-summary").textContent));
      const sent = await editorText(page, "content");
      assert.match(sent, /"jobMode": "CDC"/);

      // envelope tab follows (base64 parts), and shows the same definition
      await page.click("#tabs [data-tab=envelope]");
      const envelope = JSON.parse(await editorText(page, "envelope"));
      const part = envelope.definition.parts.find((p) => p.path === "copyjob-content.json");
      assert.equal(Buffer.from(part.payload, "base64").toString("utf8"), sent);
      await page.click("#tabs [data-tab=content]");

      // updateDefinition: the diff first, then the call
      await page.click("#update-definition");
      await page.waitForSelector("#diff-dialog[open]");
      const diff = await page.textContent("#diff");
      assert.match(diff, /- {5}"jobMode": "Batch"/);
      assert.match(diff, /\+ {5}"jobMode": "CDC"/);
      await screenshot(page, "3-update-diff.png");
      await page.click("#diff-confirm");
      await waitMessage(page, "Updated the definition of Nightly sales");

      // getDefinition round trip: a local change is replaced by the service's (= what was sent)
      await typeOver(page, "CDC", "Batch");
      await page.click("#get-definition");
      await waitMessage(page, "Loaded the definition of Nightly sales");
      assert.equal(await editorText(page, "content"), sent);

      // run → monitor to Completed
      await page.click("#run");
      await page.waitForFunction(() => document.getElementById("job-status").textContent === "Completed", null, { timeout: 30000 });
      assert.equal(await page.textContent("#failure-reason"), "");
      assert.match(await logText(page), /POST \/v1\/workspaces\/[^ ]+\/items\/[^ ]+\/jobs\/Execute\/instances → 202/);
      assert.match(await logText(page), /GET \/v1\/workspaces\/[^ ]+\/jobs\/instances\/[^ ]+ → 200/);
      await screenshot(page, "4-run-completed.png");

      // run again and cancel
      await page.click("#run");
      await waitMessage(page, /^Run started/);
      await page.click("#cancel");
      await page.waitForFunction(() => document.getElementById("job-status").textContent === "Cancelled", null, { timeout: 30000 });
      assert.match(await logText(page), /\/cancel → 202/);

      // delete, with confirmation
      await page.click("#delete");
      await page.waitForSelector("#delete-dialog[open]");
      await page.click("#delete-confirm");
      await waitMessage(page, "Deleted Nightly sales");
      await page.click("#list");
      await waitMessage(page, "Listed 0 copy jobs");
      await screenshot(page, "5-deleted.png");
    });
  });

  test("async long-running operations: 202, operation polling, /result", async () => {
    await withServer([...FAST, "--lro", "async"], async ({ page }) => {
      await page.fill("#new-name", "Async job");
      await page.click("#create-with-definition");
      await waitMessage(page, "Created Async job");
      assert.match(await page.textContent("#selected"), /^Async job \(/);
      await page.click("#get-definition");
      await waitMessage(page, "Loaded the definition of Async job");
      assert.match(await editorText(page, "content"), /"jobMode": "Batch"/);
      const log = await logText(page);
      assert.match(log, /POST \/v1\/workspaces\/[^ ]+\/copyJobs → 202/);
      assert.match(log, /GET \/v1\/operations\/[^ /]+ → 200/);
      assert.match(log, /GET \/v1\/operations\/[^ ]+\/result → 200/);
      assert.match(log, /getDefinition → 202/);
      await screenshot(page, "async-lro.png");
    });
  });

  test("429 RequestBlocked is retried after Retry-After", async () => {
    await withServer([...FAST, "--throttle-every", "2", "--throttle-retry-after", "1"], async ({ page, server }) => {
      await createJobs(server.url, ["One"]); // request 1
      await page.click("#list"); // request 2: 429, then 3
      await waitMessage(page, "Listed 1 copy jobs");
      await page.click("#jobs li");
      await page.click("#get"); // 4: 429, then 5
      await waitMessage(page, "Got One");
      const log = await logText(page);
      assert.match(log, /GET \/v1\/workspaces\/[^ ]+\/copyJobs → 429 \(throttled, retrying in 1 s\)/);
      assert.match(log, /GET \/v1\/workspaces\/[^ ]+\/copyJobs → 200/);
      assert.equal(await page.isHidden("#error"), true);
    });
  });

  test("lists every page (continuationToken)", async () => {
    await withServer([...FAST, "--page-size", "2"], async ({ page, server }) => {
      const names = ["A1", "A2", "A3", "A4", "A5"];
      await createJobs(server.url, names);
      await page.click("#list");
      await waitMessage(page, "Listed 5 copy jobs");
      assert.equal(await page.textContent("#jobs-count"), "5 copy jobs in 3 pages");
      assert.deepEqual((await page.$$eval("#jobs li .name", (els) => els.map((e) => e.textContent))).sort(), names);
      assert.match(await logText(page), /continuationToken=/);
      await screenshot(page, "paging.png");
    });
  });

  test("a failed run shows its failureReason", async () => {
    await withServer([...FAST, "--fail-runs"], async ({ page, server }) => {
      await createJobs(server.url, ["Doomed"]);
      await page.click("#list");
      await waitMessage(page, "Listed 1 copy jobs");
      await page.click("#jobs li");
      await page.click("#run");
      await page.waitForFunction(() => document.getElementById("job-status").textContent === "Failed", null, { timeout: 30000 });
      const reason = await page.textContent("#failure-reason");
      assert.match(reason, /^\w+: .+/);
      await waitMessage(page, "Run Failed");
      await screenshot(page, "run-failed.png");
    });
  });

  test("an error message carrying HTML is shown as inert text", async () => {
    const name = "<img src=x onerror=window.__pwned=1>";
    await withServer(FAST, async ({ page }) => {
      await page.fill("#new-name", name);
      await page.click("#create");
      await waitMessage(page, `Created ${name}`);
      await page.click("#create"); // the same name again: ItemDisplayNameAlreadyInUse echoes it
      await waitMessage(page, `Creating ${name} failed`);
      assert.equal(await page.textContent("#error-code"), "ItemDisplayNameAlreadyInUse");
      const message = await page.textContent("#error-message");
      assert.ok(message.includes(name), message);
      assert.match(await page.textContent("#error-request-id"), /^[0-9a-f-]{36}$/);
      assert.equal(await page.$$eval("img", (els) => els.length), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(await page.textContent("#jobs li .name"), name);
      await screenshot(page, "html-in-error.png");
    });
  });

  test("editor tools: open files, tabs in sync, format, completion, hover, download", async () => {
    await withServer(FAST, async ({ page }) => {
      const content = '{"properties":{"jobMode":"CDC"},"activities":[]}';
      const platform = JSON.stringify({ metadata: { type: "CopyJob", displayName: "From disk" }, config: { version: "2.0", logicalId: "8d6a2c3e-4b1f-4e0a-9c7d-2f5e6a7b8c9d" } }, null, 2);
      await page.setInputFiles("#open-files", [
        { name: "copyjob-content.json", mimeType: "application/json", buffer: Buffer.from(content) },
        { name: ".platform", mimeType: "application/json", buffer: Buffer.from(platform) },
      ]);
      await waitMessage(page, "Opened copyjob-content.json, .platform");
      assert.equal(await editorText(page, "content"), content);
      assert.equal(await editorText(page, "platform"), platform);
      const envelope = JSON.parse(await editorText(page, "envelope"));
      assert.deepEqual(envelope.definition.parts.map((p) => p.path), ["copyjob-content.json", ".platform"]);

      // format: the package's format() when exported, else the service's 2-space JSON
      await page.click("#format");
      await waitMessage(page, "Formatted copyjob-content.json");
      assert.equal(await editorText(page, "content"), JSON.stringify(JSON.parse(content), null, 2));

      // editing the envelope updates the parts
      await page.click("#tabs [data-tab=envelope]");
      const edited = JSON.parse(await editorText(page, "envelope"));
      edited.definition.parts[0].payload = Buffer.from('{\n  "properties": {\n    "jobMode": "Batch"\n  },\n  "activities": []\n}').toString("base64");
      await page.evaluate((t) => window.copyjobEditor.view.dispatch({ changes: { from: 0, to: window.copyjobEditor.view.state.doc.length, insert: t } }), JSON.stringify(edited, null, 2));
      await page.click("#tabs [data-tab=content]");
      assert.match(await editorText(page, "content"), /"jobMode": "Batch"/);

      // completion from the schema
      await page.evaluate(() => {
        const { view } = window.copyjobEditor;
        const text = '{\n  "properties": {\n    \n  }\n}';
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: text.indexOf("\n  }") } });
        view.focus();
      });
      await page.keyboard.press("Control+Space");
      await page.waitForSelector(".cm-tooltip-autocomplete");
      const labels = await page.$$eval(".cm-tooltip-autocomplete li", (els) => els.map((e) => e.textContent));
      assert.ok(labels.some((l) => l.startsWith("jobMode")), labels.join(", "));
      await page.keyboard.press("Escape");

      // hover card on a key
      await page.evaluate(() => {
        const { view } = window.copyjobEditor;
        const text = '{\n  "properties": {\n    "jobMode": "Batch"\n  },\n  "activities": []\n}';
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      });
      const box = await page.evaluate(() => {
        const { view } = window.copyjobEditor;
        const c = view.coordsAtPos(view.state.doc.toString().indexOf("jobMode") + 2);
        return { x: c.left, y: (c.top + c.bottom) / 2 };
      });
      await page.mouse.move(box.x, box.y);
      await page.waitForSelector(".schema-hover");
      assert.match(await page.textContent(".schema-hover"), /\/properties\/jobMode.*Batch/s);
      await screenshot(page, "hover.png");
      await page.mouse.move(5, 5);
      await page.waitForSelector(".schema-hover", { state: "detached" });

      // download the current file
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      assert.equal(download.suggestedFilename(), "copyjob-content.json");
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      assert.equal(Buffer.concat(chunks).toString("utf8"), await editorText(page, "content"));
    });
  });

  test("lint runs in the worker: the typed text goes to lint-worker.js and its problems come back", async () => {
    await withServer(FAST, async ({ page }) => {
      // The page runs one module worker, served from this origin (the CSP's worker-src 'self').
      await page.waitForFunction(() => document.body.dataset.lintedTab === "content");
      const workers = page.workers().map((w) => new URL(w.url()).pathname);
      assert.deepEqual(workers, ["/lint-worker.js"]);
      // Record what the page posts to its workers (test instrumentation, from outside the app).
      await page.evaluate(() => {
        window.posted = [];
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function (message, ...rest) {
          window.posted.push(message);
          return post.call(this, message, ...rest);
        };
      });
      await typeOver(page, "Batch", "Batchh");
      await page.waitForSelector("#problems tbody tr[data-code='schema/invalid-value']");
      assert.equal(await page.textContent("#problems tbody tr[data-code='schema/invalid-value'] .where"), "3:16");
      await page.waitForSelector(".cm-lintRange-error");
      assert.equal(await page.textContent(".cm-lintRange-error"), '"Batchh"');
      // The diagnostics came from a lint request the worker answered, for exactly the typed text.
      const text = await editorText(page, "content");
      const lints = await page.evaluate(() => window.posted.filter((m) => m.op === "lint").map((m) => m.args));
      assert.ok(lints.some(([t, options]) => t === text && options?.fileName === "copyjob-content.json"), JSON.stringify(lints));
      // Fixing it clears the problem (again through the worker).
      await typeOver(page, "Batchh", "Batch");
      await page.waitForFunction(() => !document.querySelector("#problems tbody tr[data-code='schema/invalid-value']"));
    });
  });

  test("the envelope tab squiggles a problem inside a part on that part's payload string", async () => {
    await withServer(FAST, async ({ page }) => {
      const content = '{\n  "properties": {\n    "jobMode": "Batchh"\n  },\n  "activities": []\n}';
      const platform = JSON.stringify({
        $schema: "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
        metadata: { type: "CopyJob", displayName: "Envelope" },
        config: { version: "2.0", logicalId: "8d6a2c3e-4b1f-4e0a-9c7d-2f5e6a7b8c9d" },
      }, null, 2);
      const b64 = (t) => Buffer.from(t).toString("base64");
      const definition = {
        definition: {
          parts: [
            { path: ".platform", payload: b64(platform), payloadType: "InlineBase64" },
            { path: "copyjob-content.json", payload: b64(content), payloadType: "InlineBase64" },
          ],
        },
      };
      // the envelope as the user pastes it (.platform first: the squiggle must find the right part)
      await page.click("#tabs [data-tab=envelope]");
      await page.evaluate((t) => window.copyjobEditor.view.dispatch({ changes: { from: 0, to: window.copyjobEditor.view.state.doc.length, insert: t } }), JSON.stringify(definition, null, 2));
      await page.evaluate(() => window.copyjobEditor.flushSync());
      assert.equal(await editorText(page, "content"), content);
      await page.waitForSelector("#problems tbody tr[data-code='schema/invalid-value']");
      assert.match(await page.textContent("#problems tbody tr[data-code='schema/invalid-value'] .where"), /^copyjob-content\.json 3:16$/);
      await page.waitForSelector(".cm-lintRange-error");

      // the squiggle covers exactly the content part's payload string (the second part), and nothing else
      const envelope = await editorText(page, "envelope");
      const payload = JSON.parse(envelope).definition.parts.find((p) => p.path === "copyjob-content.json").payload;
      const literal = `"${payload}"`;
      assert.equal(envelope.indexOf(literal), envelope.lastIndexOf(literal));
      const squiggles = await page.$$eval(".cm-lintRange-error", (els) => els.map((e) => e.textContent));
      assert.equal(squiggles.join(""), literal);
      const range = await page.evaluate(() => {
        const { view } = window.copyjobEditor;
        const el = document.querySelector(".cm-lintRange-error");
        return { from: view.posAtDOM(el, 0), to: view.posAtDOM(el, el.childNodes.length) };
      });
      assert.deepEqual(range, { from: envelope.indexOf(literal), to: envelope.indexOf(literal) + literal.length });

      // its tooltip names the part and the place in it
      const box = await page.evaluate(() => {
        const r = document.querySelector(".cm-lintRange-error").getBoundingClientRect();
        return { x: r.left + Math.min(20, r.width / 2), y: (r.top + r.bottom) / 2 };
      });
      await page.mouse.move(box.x, box.y);
      await page.waitForSelector(".cm-tooltip-lint");
      const tooltip = await page.textContent(".cm-tooltip-lint");
      assert.match(tooltip, /"Batchh" is not a valid value for jobMode/);
      assert.match(tooltip, /\(copyjob-content\.json line 3, column 16\)/);
      await screenshot(page, "envelope-part-squiggle.png");
      await page.mouse.move(5, 5);

      // clicking the problem still opens the part's tab at the problem
      await page.click("#problems tbody tr[data-code='schema/invalid-value']");
      assert.equal(await page.evaluate(() => window.copyjobEditor.active), "content");
      const selected = await page.evaluate(() => {
        const { view } = window.copyjobEditor;
        const { from, to } = view.state.selection.main;
        return view.state.sliceDoc(from, to);
      });
      assert.equal(selected, '"Batchh"');
    });
  });

  test("the token goes to sessionStorage only when asked, never to localStorage", async () => {
    await withServer(FAST, async ({ page }) => {
      await page.check("#remember-token");
      assert.equal(await page.evaluate(() => sessionStorage.getItem("copyjob.token")), TOKEN);
      await page.reload();
      await page.waitForFunction(() => document.getElementById("status").textContent === "ready");
      await page.click("#list");
      await waitMessage(page, "Listed 0 copy jobs");
      const local = await page.evaluate(() => JSON.stringify({ ...localStorage }));
      assert.ok(!local.includes(TOKEN));
      await page.uncheck("#remember-token");
      assert.equal(await page.evaluate(() => sessionStorage.getItem("copyjob.token")), null);
    });
  });
});
