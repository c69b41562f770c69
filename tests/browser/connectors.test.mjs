// The editor's completion and hover on connector `type` fields, from the package's connector
// catalog (`connectors()`), in headless Chromium against `copyjob serve --port 0`.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { browser, chromiumPath, openEditor, screenshot, serve } from "./helpers.mjs";

const skip = existsSync(chromiumPath) ? false : `${chromiumPath} is missing (apt-get install chromium)`;

let chrome;
let server;
before(async () => {
  if (skip) return;
  chrome = await browser();
  server = await serve();
});
after(async () => {
  await server?.stop();
  await chrome?.close();
});

/** Replaces the content tab's text and puts the cursor at `marker` (removed). */
async function setText(page, text, marker = "|") {
  await page.evaluate(
    ({ text, marker }) => {
      const { view } = window.copyjobEditor;
      const at = text.indexOf(marker);
      const insert = at < 0 ? text : text.slice(0, at) + text.slice(at + marker.length);
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert }, selection: { anchor: Math.max(at, 0) } });
      view.focus();
    },
    { text, marker },
  );
}

async function completionLabels(page) {
  await page.keyboard.press("Control+Space");
  await page.waitForSelector(".cm-tooltip-autocomplete");
  const labels = await page.$$eval(".cm-tooltip-autocomplete li", (els) => els.map((e) => e.textContent));
  await page.keyboard.press("Escape");
  return labels;
}

async function hoverText(page, needle) {
  // The lint result arrives from the worker at its own pace; when it lands (re-decorating the
  // text, updating the toolbar's summary) the hovered place can move: look it up again and
  // hover once more, as a user would.
  for (let attempt = 1; ; attempt++) {
    const box = await page.evaluate((needle) => {
      const { view } = window.copyjobEditor;
      const c = view.coordsAtPos(view.state.doc.toString().indexOf(needle) + 3);
      return { x: c.left, y: (c.top + c.bottom) / 2 };
    }, needle);
    await page.mouse.move(box.x, box.y);
    try {
      await page.waitForSelector(".schema-hover", { timeout: 3000 });
      break;
    } catch (e) {
      if (attempt === 5) throw e;
      await page.mouse.move(5, 5);
    }
  }
  const text = await page.textContent(".schema-hover");
  await page.mouse.move(5, 5);
  await page.waitForSelector(".schema-hover", { state: "detached" });
  return text;
}

test("connector types: completion fits the other field, hover shows capabilities", { skip }, async () => {
  const ctx = await openEditor(chrome.context, server.url);
  const { page } = ctx;
  try {
    // A dataset type for a Lakehouse connection: its table type and the file formats, first.
    await setText(
      page,
      '{\n  "properties": {\n    "jobMode": "Batch",\n    "destination": {\n      "type": |,\n      "connectionSettings": { "type": "Lakehouse" }\n    }\n  },\n  "activities": []\n}',
    );
    let labels = await completionLabels(page);
    assert.ok(labels[0].startsWith('"LakehouseTable"'), labels.slice(0, 5).join(", "));
    assert.ok(labels.some((l) => l.startsWith('"Parquet"')), labels.join(", "));
    assert.ok(!labels.some((l) => l.startsWith('"AzureSqlTable"')), labels.join(", "));

    // A connection type for a DataWarehouseTable: DataWarehouse first, every connector offered.
    await setText(
      page,
      '{\n  "properties": {\n    "jobMode": "Batch",\n    "source": {\n      "type": "DataWarehouseTable",\n      "connectionSettings": { "type": "|" }\n    }\n  },\n  "activities": []\n}',
    );
    labels = await completionLabels(page);
    assert.ok(labels[0].startsWith('"DataWarehouse"'), labels.slice(0, 5).join(", "));
    assert.ok(labels.some((l) => l.startsWith('"AzureSqlDatabase"')), labels.join(", "));

    // A location type for an activity reading Azure Blob Storage.
    await setText(
      page,
      '{\n  "properties": {\n    "jobMode": "Batch",\n    "source": { "type": "Parquet", "connectionSettings": { "type": "AzureBlobStorage" } }\n  },\n  "activities": [ { "properties": { "source": { "datasetSettings": { "location": { "type": | } } } } } ]\n}',
    );
    labels = await completionLabels(page);
    assert.deepEqual(labels.map((l) => l.split('"')[1]), ["AzureBlobStorageLocation"]);

    // Hover on a connection type: the connector, its capabilities and evidence (Cassandra is a
    // source only, read in full, in Microsoft's table; its type strings are Data Factory's).
    await setText(
      page,
      '{\n  "properties": {\n    "jobMode": "Batch",\n    "source": { "type": "CassandraTable", "connectionSettings": { "type": "Cassandra" } }\n  },\n  "activities": []\n}',
    );
    const hover = await hoverText(page, '"Cassandra"');
    assert.match(hover, /Cassandra/);
    assert.match(hover, /source only; reads: full/);
    assert.match(hover, /evidence: inferred/);
    await screenshot(page, "connector-hover.png");
    assert.deepEqual(ctx.pageErrors, []);
  } finally {
    await ctx.page.close();
  }
});
