// The editor: three CodeMirror documents — copyjob-content.json, .platform and the definition
// envelope (base64 parts) — kept in sync with the package's pack/unpack, linted on every change
// through @codemirror/lint with the package's diagnostics (computed in the lint worker, off the
// main thread; a result for a text that has changed since is dropped); opening, formatting and
// downloading files; the definition to send.
import * as copyjob from "@copyjob/copyjob";
import { EditorView, basicSetup } from "codemirror";
import { Annotation, EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";
import { schemaCompletion, schemaHover } from "./schema.js";
import { $, setMessage, showError } from "./dom.js";
import { FILE_NAMES, renderProblems, toCodeMirror } from "./problems.js";
import { state } from "./state.js";
import { STALE, call, latest } from "./worker.js";

export const PARTS = { content: "copyjob-content.json", platform: ".platform" };
const SCHEMA_OF = {
  content: "copyjob-content.schema.json",
  platform: "platform.schema.json",
  envelope: "update-definition-request.schema.json",
};

const DEFAULT_CONTENT = `{
  "properties": {
    "jobMode": "Batch"
  },
  "activities": []
}`;
const DEFAULT_PLATFORM = `{
  "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
  "metadata": {
    "type": "CopyJob",
    "displayName": "New copy job"
  },
  "config": {
    "version": "2.0",
    "logicalId": "00000000-0000-0000-0000-000000000000"
  }
}`;

/** Marks the editor changes made by syncing tabs (not by the user). */
const Synced = Annotation.define();

export function text(tab) {
  // The envelope follows the parts lazily (packing a large definition is a long task): when it is
  // read, shown (switchTab) or sent.
  if (tab === "envelope" && state.sync.from && state.sync.from !== "envelope") flushSync();
  return tab === state.active && state.view ? state.view.state.doc.toString() : state.tabs[tab].doc.toString();
}

export function setText(tab, value) {
  if (text(tab) === value) return;
  const apply = (s) => ({ changes: { from: 0, to: s.doc.length, insert: value }, annotations: Synced.of(true) });
  if (tab === state.active && state.view) state.view.dispatch(apply(state.view.state));
  else state.tabs[tab] = state.tabs[tab].update(apply(state.tabs[tab])).state;
}

/** The item folder files of the definition: content, and .platform when it is not empty. */
export function files() {
  const out = { [PARTS.content]: text("content") };
  const platform = text("platform");
  if (platform.trim() !== "") out[PARTS.platform] = platform;
  return out;
}

function envelopeText() {
  return JSON.stringify(copyjob.pack(files()), null, 2);
}

function scheduleSync(from) {
  state.sync.from = from;
  clearTimeout(state.sync.timer);
  // Only an edit of the envelope updates the parts on a timer; the envelope itself is rebuilt
  // from the parts when it is needed (see `text`), not while the user types in a part.
  if (from === "envelope") state.sync.timer = setTimeout(flushSync, 250);
}

/** Brings the other tabs up to date with the one last edited. */
export function flushSync() {
  clearTimeout(state.sync.timer);
  const from = state.sync.from;
  state.sync.from = null;
  if (!from) return;
  if (from === "envelope") {
    let result;
    try {
      result = copyjob.unpack(text("envelope"));
    } catch {
      return;
    }
    // Only a readable envelope updates the parts.
    if (result.diagnostics.some((d) => !d.part && d.severity === "error")) return;
    const content = result.parts.find((p) => p.path === PARTS.content);
    const platform = result.parts.find((p) => p.path === PARTS.platform);
    if (content?.text !== undefined) setText("content", content.text);
    setText("platform", platform?.text ?? "");
  } else {
    setText("envelope", envelopeText());
  }
}

/** A tab's diagnostics, from the lint worker; STALE when a newer request for the tab replaced it. */
async function lintTab(tab, value) {
  if (tab === "platform" && value.trim() === "") return [];
  try {
    const report = await latest(tab, "lint", ...(tab === "envelope" ? [value] : [value, { fileName: PARTS[tab] }]));
    return report === STALE ? STALE : report.diagnostics;
  } catch (e) {
    return [{ code: "editor/lint-failed", severity: "error", message: String(e?.message ?? e), pointer: "", range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } }];
  }
}

/** Selects a problem's text, in its part's tab. */
function reveal(d, partTab) {
  if (partTab && partTab !== state.active) switchTab(partTab);
  const { view } = state;
  const length = view.state.doc.length;
  const from = Math.min(length, d.range.start.offset);
  const to = Math.min(length, Math.max(from, d.range.end.offset));
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
}

/** Lints the active tab into the problems panel (unless the tab or its text changed meanwhile). */
export async function showProblems() {
  const tab = state.active;
  const doc = state.view.state.doc;
  const diagnostics = await lintTab(tab, doc.toString());
  if (diagnostics !== STALE && state.active === tab && state.view.state.doc === doc) renderProblems(tab, diagnostics, reveal);
}

function formatText(value) {
  return copyjob.format(value);
}

export function formatActive() {
  const { view } = state;
  try {
    const formatted = formatText(view.state.doc.toString());
    if (formatted !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: formatted }, userEvent: "input.format" });
    }
    setMessage(`Formatted ${FILE_NAMES[state.active]}`);
  } catch (e) {
    showError({ errorCode: "CannotFormat", message: `${FILE_NAMES[state.active]} is not valid JSON: ${e.message}` });
  }
  return true;
}

function makeState(tab, doc) {
  return EditorState.create({
    doc,
    extensions: [
      basicSetup,
      json(),
      lintGutter(),
      linter(
        async (v) => {
          const doc = v.state.doc;
          const diagnostics = await lintTab(tab, doc.toString());
          // A result for a text that has changed since (or another tab's) is dropped; the change
          // has scheduled a new lint. (@codemirror/lint also drops results for an older doc.)
          if (diagnostics === STALE || v.state.doc !== doc) return [];
          if (tab === state.active) renderProblems(tab, diagnostics, reveal);
          // In the envelope, problems inside a part are listed (and open that part's tab) and
          // squiggle on the part's payload string, where the package places them.
          const envelope = tab === "envelope";
          return diagnostics
            .filter((d) => !(envelope && d.part && !d.inEnvelope))
            .map((d) => toCodeMirror(d, v.state.doc.length, envelope));
        },
        { delay: 300 },
      ),
      autocompletion({ override: [schemaCompletion(state.schemas, SCHEMA_OF[tab])] }),
      schemaHover(state.schemas, SCHEMA_OF[tab]),
      keymap.of([{ key: "Shift-Alt-f", run: formatActive }]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && !update.transactions.some((t) => t.annotation(Synced))) scheduleSync(tab);
      }),
      EditorView.domEventHandlers({
        drop(event) {
          if (event.dataTransfer?.files?.length) {
            event.preventDefault();
            openFiles(event.dataTransfer.files);
            return true;
          }
          return false;
        },
      }),
    ],
  });
}

/** Builds the three tabs and the view, showing copyjob-content.json. */
export function createEditor(parent) {
  state.tabs.content = makeState("content", DEFAULT_CONTENT);
  state.tabs.platform = makeState("platform", DEFAULT_PLATFORM);
  state.tabs.envelope = makeState("envelope", "");
  state.view = new EditorView({ state: state.tabs.content, parent });
  setText("envelope", envelopeText());
  showProblems();
}

export function switchTab(tab) {
  if (tab === state.active) return;
  flushSync();
  state.tabs[state.active] = state.view.state;
  state.active = tab;
  state.view.setState(state.tabs[tab]);
  for (const b of document.querySelectorAll("#tabs [role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  showProblems();
}

/** Loads decoded parts (from unpack/lint) into the editor. */
export function loadParts(parts) {
  const content = parts.find((p) => p.path === PARTS.content);
  const platform = parts.find((p) => p.path === PARTS.platform);
  setText("content", content?.text ?? "");
  setText("platform", platform?.text ?? "");
  setText("envelope", envelopeText());
}

export async function openFiles(list) {
  const opened = [];
  for (const file of list) {
    const name = file.name;
    const value = await file.text();
    if (name === PARTS.content) setText("content", value);
    else if (name === PARTS.platform) setText("platform", value);
    else {
      const { kind } = await call("lint", value);
      if (["definitionBody", "definition", "createRequest"].includes(kind)) {
        loadParts((await call("unpack", value)).parts);
      } else if (kind === "content") setText("content", value);
      else if (kind === "platform") setText("platform", value);
      else {
        showError({ errorCode: "UnknownFile", message: `${name} is not a copyjob-content.json, a .platform or a definition` });
        continue;
      }
    }
    opened.push(name);
  }
  setText("envelope", envelopeText());
  if (opened.length) setMessage(`Opened ${opened.join(", ")}`);
  showProblems();
}

export function download() {
  flushSync();
  const blob = new Blob([text(state.active)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = FILE_NAMES[state.active];
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The definition to send, or null (and an error shown) when it has lint errors and no override. */
export async function definitionToSend() {
  flushSync();
  const parts = files();
  const report = await call("lint", { files: parts });
  const errors = report.diagnostics.filter((d) => d.severity === "error");
  if (errors.length && !$("force").checked) {
    const first = errors[0];
    showError({
      errorCode: "LintErrors",
      message: `Not sent: the definition has ${errors.length} lint error${errors.length === 1 ? "" : "s"} (first: ${first.part ?? ""}:${first.range.start.line}:${first.range.start.column} ${first.code} ${first.message}). Fix them, or tick "send even with lint errors".`,
    });
    setMessage("Not sent");
    return null;
  }
  return copyjob.pack(parts).definition;
}
