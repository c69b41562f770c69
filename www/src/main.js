// The Copy job definition editor and REST console.
//
// Editor: three CodeMirror documents — copyjob-content.json, .platform and the definition
// envelope (base64 parts) — kept in sync with the WASM package's pack/unpack, linted on every
// change through @codemirror/lint with the package's diagnostics (UTF-16 offsets = CodeMirror
// positions). REST console: every Copy job call, through FabricClient (api.js).
//
// Security: the bearer token lives in memory (and in sessionStorage only when the user asks);
// never in localStorage, a URL or a log. Everything the service or a file says is shown with
// textContent, never as HTML.
import init, * as copyjob from "@copyjob/copyjob";
import { EditorView, basicSetup } from "codemirror";
import { Annotation, EditorState } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";
import { ApiError, FabricClient, TERMINAL_JOB_STATES, sleep } from "./api.js";
import { SchemaSet, schemaCompletion, schemaHover } from "./schema.js";
import { diffLines, hunks } from "./diff.js";

const $ = (id) => document.getElementById(id);
const FABRIC_API = "https://api.fabric.microsoft.com/v1";
const EMULATOR_WORKSPACE = "00000000-0000-4000-8000-000000000001";
const DOCS_BASE = "https://github.com/copyjob/copyjob/blob/main/";
const DEFAULT_SCOPES = [
  "https://api.fabric.microsoft.com/Workspace.ReadWrite.All",
  "https://api.fabric.microsoft.com/Item.ReadWrite.All",
  "https://api.fabric.microsoft.com/Item.Execute.All",
].join(" ");
const TOKEN_KEY = "copyjob.token"; // sessionStorage only, and only when the user ticks the box
const SETTINGS_KEY = "copyjob.settings"; // localStorage: no secret in it

const PARTS = { content: "copyjob-content.json", platform: ".platform" };
const FILE_NAMES = { content: "copyjob-content.json", platform: ".platform", envelope: "definition.json" };
const SCHEMA_OF = {
  content: "copyjob-content.schema.json",
  platform: "platform.schema.json",
  envelope: "update-definition-request.schema.json",
};
const TAB_OF_PART = { "copyjob-content.json": "content", ".platform": "platform" };

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

let schemas;
let view;
let active = "content";
const states = {};
let syncTimer = null;
let pendingSyncFrom = null;
let token = "";
let msal = null; // { app, account, scopes }
let selected = null; // the selected copy job item
let job = null; // { itemId, id, abort }
let rulesMeta = new Map();

// ---- settings (no secrets) -----------------------------------------------------------------

function isLoopbackPage() {
  return location.protocol === "http:" && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(location.hostname);
}

function loadSettings() {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}") ?? {};
  } catch {
    saved = {};
  }
  const local = isLoopbackPage();
  $("base-url").value = saved.baseUrl || (local ? `${location.origin}/v1` : FABRIC_API);
  $("workspace").value = saved.workspace || (local ? EMULATOR_WORKSPACE : "");
  $("msal-client").value = saved.clientId || "";
  $("msal-tenant").value = saved.tenant || "";
  $("msal-scopes").value = saved.scopes || DEFAULT_SCOPES;
  if (saved.jobType) $("job-type").value = saved.jobType;
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) {
    token = kept;
    $("token").value = kept;
    $("remember-token").checked = true;
  }
}

function saveSettings() {
  const settings = {
    baseUrl: $("base-url").value.trim(),
    workspace: $("workspace").value.trim(),
    clientId: $("msal-client").value.trim(),
    tenant: $("msal-tenant").value.trim(),
    scopes: $("msal-scopes").value.trim(),
    jobType: $("job-type").value,
  };
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

// ---- messages, errors, request log -----------------------------------------------------------

function setMessage(text) {
  $("message").textContent = text;
}

function clearError() {
  $("error").hidden = true;
  $("error-code").textContent = "";
  $("error-message").textContent = "";
  $("error-request-id").textContent = "";
  $("error-details").replaceChildren();
}

function showError(e) {
  const box = $("error");
  box.hidden = false;
  const err = e instanceof ApiError ? e : { errorCode: e?.errorCode ?? e?.name ?? "Error", message: e?.message ?? String(e), requestId: e?.requestId ?? "", moreDetails: e?.moreDetails ?? [] };
  $("error-code").textContent = err.errorCode;
  $("error-message").textContent = err.message;
  $("error-request-id").textContent = err.requestId || "–";
  const list = $("error-details");
  list.replaceChildren();
  for (const d of err.moreDetails ?? []) {
    const li = document.createElement("li");
    const where = d.range?.start ? ` ${d.part ?? ""}:${d.range.start.line}:${d.range.start.column}` : "";
    li.textContent = `${d.errorCode ?? d.code ?? ""}${where} ${d.message ?? ""}${d.help ? ` (help: ${d.help})` : ""}`;
    list.append(li);
  }
}

function logRequest({ method, path, status, requestId, note }) {
  const li = document.createElement("li");
  li.textContent = `${method} ${path} → ${status || "failed"}${note ? ` (${note})` : ""}${requestId ? `  RequestId ${requestId}` : ""}`;
  if (!status || status >= 400) li.className = "status-err";
  const log = $("log");
  log.append(li);
  while (log.children.length > 200) log.firstChild.remove();
  li.scrollIntoView({ block: "nearest" });
}

let busy = 0;
async function operation(label, fn) {
  clearError();
  setMessage(`${label}…`);
  busy++;
  document.body.dataset.busy = String(busy);
  try {
    return await fn();
  } catch (e) {
    if (e?.name === "AbortError") return undefined;
    showError(e);
    setMessage(`${label} failed`);
    return undefined;
  } finally {
    busy--;
    document.body.dataset.busy = String(busy);
  }
}

// ---- the API client ----------------------------------------------------------------------------

async function currentToken() {
  if (msal?.account) {
    try {
      const r = await msal.app.acquireTokenSilent({ scopes: msal.scopes, account: msal.account });
      return r.accessToken;
    } catch {
      const r = await msal.app.acquireTokenPopup({ scopes: msal.scopes });
      return r.accessToken;
    }
  }
  return token;
}

function client() {
  return new FabricClient({ baseUrl: $("base-url").value.trim() || FABRIC_API, getToken: currentToken, log: logRequest });
}

function workspace() {
  const ws = $("workspace").value.trim();
  if (!ws) throw Object.assign(new Error("Enter a workspace id (or list the workspaces)"), { errorCode: "NoWorkspace" });
  return encodeURIComponent(ws);
}

function requireSelected() {
  if (!selected) throw Object.assign(new Error("Select a copy job first (list them, or create one)"), { errorCode: "NoSelection" });
  return selected;
}

/** The selected copy job, or null after showing why there is none (for actions that ask first). */
function selectedOrShowError() {
  try {
    return requireSelected();
  } catch (e) {
    showError(e);
    return null;
  }
}

// ---- editor ------------------------------------------------------------------------------------

function text(tab) {
  return tab === active && view ? view.state.doc.toString() : states[tab].doc.toString();
}

function setText(tab, value) {
  if (text(tab) === value) return;
  const apply = (state) => ({ changes: { from: 0, to: state.doc.length, insert: value }, annotations: Synced.of(true) });
  if (tab === active && view) view.dispatch(apply(view.state));
  else states[tab] = states[tab].update(apply(states[tab])).state;
}

/** The item folder files of the definition: content, and .platform when it is not empty. */
function files() {
  const out = { [PARTS.content]: text("content") };
  const platform = text("platform");
  if (platform.trim() !== "") out[PARTS.platform] = platform;
  return out;
}

function envelopeText() {
  return JSON.stringify(copyjob.pack(files()), null, 2);
}

function scheduleSync(from) {
  pendingSyncFrom = from;
  clearTimeout(syncTimer);
  syncTimer = setTimeout(flushSync, 250);
}

/** Brings the other tabs up to date with the one last edited. */
function flushSync() {
  clearTimeout(syncTimer);
  const from = pendingSyncFrom;
  pendingSyncFrom = null;
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

function lintTab(tab, value) {
  if (tab === "platform" && value.trim() === "") return [];
  try {
    return (tab === "envelope" ? copyjob.lint(value) : copyjob.lint(value, { fileName: PARTS[tab] })).diagnostics;
  } catch (e) {
    return [{ code: "editor/lint-failed", severity: "error", message: String(e?.message ?? e), pointer: "", range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } }];
  }
}

/** The rule's doc page: the package's `rules()` metadata when it has a URL, else docs/rules/<name>.md for lint/<name>. */
function docUrl(code) {
  const meta = rulesMeta.get(code);
  const url = meta?.url ?? meta?.docs ?? meta?.docUrl;
  if (typeof url === "string" && /^https?:\/\//.test(url)) return url;
  const m = /^lint\/([a-z0-9-]+)$/.exec(code);
  return m ? `${DOCS_BASE}docs/rules/${m[1]}.md` : null;
}

function applyFix(target, fix) {
  const length = target.state.doc.length;
  const clamp = (n) => Math.max(0, Math.min(length, n));
  const changes = (fix.edits ?? []).map((e) => ({ from: clamp(e.range.start.offset), to: clamp(e.range.end.offset), insert: e.newText ?? "" }));
  if (changes.length) target.dispatch({ changes, userEvent: "input.fix" });
}

function toCodeMirror(d, length) {
  const clamp = (n) => Math.max(0, Math.min(length, n ?? 0));
  const from = clamp(d.range?.start?.offset);
  const to = Math.max(from, clamp(d.range?.end?.offset));
  const fix = d.fix && Array.isArray(d.fix.edits) ? d.fix : null;
  return {
    from,
    to,
    severity: ["error", "warning", "info"].includes(d.severity) ? d.severity : "info",
    source: d.code,
    message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
    actions: fix ? [{ name: fix.message || "Fix", apply: (v) => applyFix(v, fix) }] : [],
  };
}

/**
 * Where each part's `"payload"` string is in an envelope's text, by the part's path:
 * Map(path → { from, to }), quotes included, for the parts at /definition/parts/i or /parts/i.
 * A small JSON scanner (the lint result has no envelope position for a part); empty when the
 * text is not JSON. The first part with a path wins.
 */
function payloadRanges(source) {
  let at = 0;
  const fail = () => {
    throw new SyntaxError(`unexpected input at ${at}`);
  };
  const skip = () => {
    while (at < source.length && " \t\n\r".includes(source[at])) at++;
  };
  const token = (re) => {
    re.lastIndex = at;
    if (!re.exec(source)) fail();
    const from = at;
    at = re.lastIndex;
    return { from, to: at };
  };
  const expect = (c) => {
    skip();
    if (source[at++] !== c) fail();
  };
  // A string is { from, to, value }, an object a Map, an array an Array, a scalar null.
  const value = () => {
    skip();
    const c = source[at];
    if (c === '"') {
      const span = token(/"(?:[^"\\\u0000-\u001f]|\\.)*"/y);
      return { ...span, value: JSON.parse(source.slice(span.from, span.to)) };
    }
    if (c === "{" || c === "[") {
      at++;
      const object = c === "{";
      const out = object ? new Map() : [];
      skip();
      if (source[at] === (object ? "}" : "]")) {
        at++;
        return out;
      }
      for (;;) {
        if (object) {
          skip();
          if (source[at] !== '"') fail();
          const key = value().value;
          expect(":");
          if (!out.has(key)) out.set(key, value());
          else value();
        } else out.push(value());
        skip();
        const next = source[at++];
        if (next === (object ? "}" : "]")) return out;
        if (next !== ",") fail();
      }
    }
    token(/-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y);
    return null;
  };
  const ranges = new Map();
  try {
    const root = value();
    const definition = root instanceof Map && root.get("definition") instanceof Map ? root.get("definition") : root;
    const parts = definition instanceof Map ? definition.get("parts") : null;
    for (const part of Array.isArray(parts) ? parts : []) {
      const path = part instanceof Map ? part.get("path")?.value : undefined;
      const payload = part instanceof Map ? part.get("payload") : undefined;
      if (typeof path === "string" && typeof payload?.value === "string" && !ranges.has(path)) {
        ranges.set(path, { from: payload.from, to: payload.to });
      }
    }
  } catch {
    ranges.clear();
  }
  return ranges;
}

/**
 * A problem inside a part, placed on the part's payload string in the envelope (as the CLI's
 * github and sarif formats do), its place in the part added to the message; null when the
 * payload is not found. Its fix edits the part's text, so it is not offered here.
 */
function onPayload(d, ranges) {
  const range = ranges.get(d.part);
  if (!range) return null;
  const { line, column } = d.range.start;
  return {
    ...d,
    message: `${d.message} (${d.part} line ${line}, column ${column})`,
    range: { start: { offset: range.from }, end: { offset: range.to } },
    fix: undefined,
  };
}

function renderProblems(tab, diagnostics) {
  const body = $("problems").tBodies[0];
  body.replaceChildren();
  for (const d of diagnostics) {
    const tr = document.createElement("tr");
    tr.className = "problem";
    tr.dataset.code = d.code;
    tr.dataset.line = String(d.range?.start?.line ?? "");
    const cell = (value, cls) => {
      const td = document.createElement("td");
      td.textContent = value;
      if (cls) td.className = cls;
      tr.append(td);
      return td;
    };
    cell(d.severity, `sev-${d.severity}`);
    cell(d.code, "code");
    const partTab = d.part ? TAB_OF_PART[d.part] : tab;
    cell(`${d.part && tab === "envelope" ? `${d.part} ` : ""}${d.range.start.line}:${d.range.start.column}`, "where");
    cell(d.message, "message");
    cell(d.help ?? "", "help");
    const actions = cell("", "actions");
    const url = docUrl(d.code);
    if (url) {
      const a = document.createElement("a");
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = "docs";
      a.className = "doc-link";
      actions.append(a);
    }
    if (d.fix && Array.isArray(d.fix.edits) && partTab === tab) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "quick-fix";
      b.textContent = d.fix.message || "Fix";
      b.addEventListener("click", (e) => {
        e.stopPropagation();
        applyFix(view, d.fix);
      });
      actions.append(b);
    }
    tr.addEventListener("click", () => {
      if (partTab && partTab !== active) switchTab(partTab);
      const length = view.state.doc.length;
      const from = Math.min(length, d.range.start.offset);
      const to = Math.min(length, Math.max(from, d.range.end.offset));
      view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
      view.focus();
    });
    body.append(tr);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  $("lint-summary").textContent = `${FILE_NAMES[tab]}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  document.body.dataset.lintedTab = tab;
}

function formatText(value) {
  const name = "format"; // feature-detected: the package exports it once the core has a formatter
  const fmt = copyjob[name];
  if (typeof fmt === "function") {
    const r = fmt(value);
    if (typeof r === "string") return r;
    if (r && typeof r.text === "string") return r.text;
  }
  return JSON.stringify(JSON.parse(value), null, 2);
}

function formatActive() {
  try {
    const formatted = formatText(view.state.doc.toString());
    if (formatted !== view.state.doc.toString()) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: formatted }, userEvent: "input.format" });
    }
    setMessage(`Formatted ${FILE_NAMES[active]}`);
  } catch (e) {
    showError({ errorCode: "CannotFormat", message: `${FILE_NAMES[active]} is not valid JSON: ${e.message}` });
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
        (v) => {
          const value = v.state.doc.toString();
          const diagnostics = lintTab(tab, value);
          if (tab === active) renderProblems(tab, diagnostics);
          // In the envelope, problems inside a part are listed (and open that part's tab) and
          // squiggle on the part's payload string.
          const ranges = tab === "envelope" && diagnostics.some((d) => d.part) ? payloadRanges(value) : null;
          return diagnostics
            .map((d) => (ranges && d.part ? onPayload(d, ranges) : d))
            .filter(Boolean)
            .map((d) => toCodeMirror(d, v.state.doc.length));
        },
        { delay: 300 },
      ),
      autocompletion({ override: [schemaCompletion(schemas, SCHEMA_OF[tab])] }),
      schemaHover(schemas, SCHEMA_OF[tab]),
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

function switchTab(tab) {
  if (tab === active) return;
  flushSync();
  states[active] = view.state;
  active = tab;
  view.setState(states[tab]);
  for (const b of document.querySelectorAll("#tabs [role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  renderProblems(tab, lintTab(tab, view.state.doc.toString()));
}

/** Loads decoded parts (from unpack/lint) into the editor. */
function loadParts(parts) {
  const content = parts.find((p) => p.path === PARTS.content);
  const platform = parts.find((p) => p.path === PARTS.platform);
  setText("content", content?.text ?? "");
  setText("platform", platform?.text ?? "");
  setText("envelope", envelopeText());
}

async function openFiles(list) {
  const opened = [];
  for (const file of list) {
    const name = file.name;
    const value = await file.text();
    if (name === PARTS.content) setText("content", value);
    else if (name === PARTS.platform) setText("platform", value);
    else {
      const kind = copyjob.lint(value).kind;
      if (["definitionBody", "definition", "createRequest"].includes(kind)) {
        loadParts(copyjob.unpack(value).parts);
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
  renderProblems(active, lintTab(active, text(active)));
}

function download() {
  flushSync();
  const blob = new Blob([text(active)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = FILE_NAMES[active];
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The definition to send, or null (and an error shown) when it has lint errors and no override. */
function definitionToSend() {
  flushSync();
  const report = copyjob.lint({ files: files() });
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
  return copyjob.pack(files()).definition;
}

// ---- operations ----------------------------------------------------------------------------------

function renderJobs(items) {
  const list = $("jobs");
  list.replaceChildren();
  for (const item of items) {
    const li = document.createElement("li");
    li.dataset.id = item.id;
    li.setAttribute("aria-selected", String(selected?.id === item.id));
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = item.displayName;
    const id = document.createElement("span");
    id.className = "id";
    id.textContent = item.id;
    li.append(name, id);
    li.addEventListener("click", () => select(item));
    list.append(li);
  }
}

let listed = [];

function select(item) {
  selected = item;
  $("selected").textContent = item ? `${item.displayName} (${item.id})` : "none";
  $("item-name").value = item?.displayName ?? "";
  $("item-description").value = item?.description ?? "";
  $("item-json").textContent = item ? JSON.stringify(item, null, 2) : "";
  for (const li of $("jobs").children) li.setAttribute("aria-selected", String(li.dataset.id === item?.id));
}

async function listJobs() {
  await operation("Listing copy jobs", async () => {
    const { items, pages } = await client().listAll(`/workspaces/${workspace()}/copyJobs`);
    listed = items;
    renderJobs(items);
    $("jobs-count").textContent = `${items.length} copy job${items.length === 1 ? "" : "s"} in ${pages} page${pages === 1 ? "" : "s"}`;
    if (selected && !items.some((i) => i.id === selected.id)) select(null);
    setMessage(`Listed ${items.length} copy jobs`);
  });
}

async function listWorkspaces() {
  await operation("Listing workspaces", async () => {
    const { items } = await client().listAll("/workspaces");
    const list = $("workspaces");
    list.replaceChildren();
    for (const ws of items) {
      const option = document.createElement("option");
      option.value = ws.id;
      option.textContent = ws.displayName;
      list.append(option);
    }
    if (!$("workspace").value.trim() && items[0]) $("workspace").value = items[0].id;
    saveSettings();
    setMessage(`Listed ${items.length} workspace${items.length === 1 ? "" : "s"}`);
  });
}

async function create(withDefinition) {
  const displayName = $("new-name").value.trim();
  const description = $("new-description").value.trim();
  if (!displayName) {
    showError({ errorCode: "NoName", message: "Enter a display name" });
    return;
  }
  const body = { displayName };
  if (description) body.description = description;
  if (withDefinition) {
    const definition = definitionToSend();
    if (!definition) return;
    body.definition = definition;
  }
  await operation(`Creating ${displayName}`, async () => {
    const item = await client().lro("POST", `/workspaces/${workspace()}/copyJobs`, { body, onState: (s) => setMessage(`Creating ${displayName}: ${s}`) });
    if (item?.id) {
      select(item);
      listed = [...listed.filter((i) => i.id !== item.id), item];
      renderJobs(listed);
    }
    setMessage(`Created ${displayName}`);
  });
}

async function getItem() {
  await operation("Getting the copy job", async () => {
    const item = requireSelected();
    const r = await client().request("GET", `/workspaces/${workspace()}/copyJobs/${encodeURIComponent(item.id)}`);
    select(r.body);
    setMessage(`Got ${r.body.displayName}`);
  });
}

async function updateItem() {
  await operation("Updating the copy job", async () => {
    const item = requireSelected();
    const body = {};
    const name = $("item-name").value.trim();
    const description = $("item-description").value;
    if (name && name !== item.displayName) body.displayName = name;
    if (description !== (item.description ?? "")) body.description = description;
    const r = await client().request("PATCH", `/workspaces/${workspace()}/copyJobs/${encodeURIComponent(item.id)}`, { body });
    select(r.body);
    listed = listed.map((i) => (i.id === r.body.id ? r.body : i));
    renderJobs(listed);
    setMessage(`Updated ${r.body.displayName}`);
  });
}

async function fetchDefinition(item) {
  const result = await client().lro("POST", `/workspaces/${workspace()}/copyJobs/${encodeURIComponent(item.id)}/getDefinition`, {
    onState: (s) => setMessage(`Getting the definition: ${s}`),
  });
  if (!result?.definition) throw Object.assign(new Error("The service returned no definition"), { errorCode: "NoDefinition" });
  return copyjob.unpack(result);
}

async function getDefinition() {
  await operation("Getting the definition", async () => {
    const item = requireSelected();
    const unpacked = await fetchDefinition(item);
    loadParts(unpacked.parts);
    switchTab("content");
    setMessage(`Loaded the definition of ${item.displayName}`);
  });
}

function renderDiff(current, editor) {
  const pre = $("diff");
  pre.replaceChildren();
  const paths = [...new Set([...Object.keys(current), ...Object.keys(editor)])];
  let changed = 0;
  for (const path of paths) {
    const before = current[path] ?? "";
    const after = editor[path] ?? "";
    if (before === after) continue;
    changed++;
    const head = document.createElement("b");
    head.textContent = `--- ${path} (service)\n+++ ${path} (editor)\n`;
    pre.append(head);
    for (const { op, line } of hunks(diffLines(before, after))) {
      const span = document.createElement("span");
      span.className = op === "+" ? "add" : op === "-" ? "del" : "same";
      span.textContent = `${op} ${line}\n`;
      pre.append(span);
    }
  }
  if (!changed) pre.textContent = "(no changes: the editor holds the service's definition)";
}

function ask(dialog) {
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}

async function updateDefinition() {
  const item = selectedOrShowError();
  if (!item) return;
  const definition = definitionToSend();
  if (!definition) return;
  const current = await operation("Getting the current definition", async () => fetchDefinition(item));
  if (!current) return;
  const currentTexts = Object.fromEntries(current.parts.map((p) => [p.path, p.text ?? ""]));
  renderDiff(currentTexts, files());
  $("diff-title").textContent = item.displayName;
  setMessage("Review the changes");
  if (!(await ask($("diff-dialog")))) {
    setMessage("Update cancelled");
    return;
  }
  await operation("Updating the definition", async () => {
    const query = $("update-metadata").checked ? { updateMetadata: "true" } : undefined;
    await client().lro("POST", `/workspaces/${workspace()}/copyJobs/${encodeURIComponent(item.id)}/updateDefinition`, {
      body: { definition },
      query,
      onState: (s) => setMessage(`Updating the definition: ${s}`),
    });
    setMessage(`Updated the definition of ${item.displayName}`);
  });
}

async function deleteItem() {
  const item = selectedOrShowError();
  if (!item) return;
  $("delete-name").textContent = item.displayName;
  if (!(await ask($("delete-dialog")))) {
    setMessage("Delete cancelled");
    return;
  }
  await operation(`Deleting ${item.displayName}`, async () => {
    await client().request("DELETE", `/workspaces/${workspace()}/copyJobs/${encodeURIComponent(item.id)}`);
    listed = listed.filter((i) => i.id !== item.id);
    renderJobs(listed);
    select(null);
    setMessage(`Deleted ${item.displayName}`);
  });
}

function setJobStatus(status, instance) {
  $("job-status").textContent = status;
  const reason = instance?.failureReason;
  $("failure-reason").textContent = reason ? `${reason.errorCode ?? "Failed"}: ${reason.message ?? ""}${reason.requestId ? ` (RequestId ${reason.requestId})` : ""}` : "";
}

async function runJob() {
  await operation("Starting a run", async () => {
    const item = requireSelected();
    const ws = workspace();
    const api = client();
    let jobType = $("job-type").value;
    const start = (type) => api.request("POST", `/workspaces/${ws}/items/${encodeURIComponent(item.id)}/jobs/${encodeURIComponent(type)}/instances`);
    let r;
    try {
      r = await start(jobType);
    } catch (e) {
      if (!(e instanceof ApiError && e.errorCode === "InvalidJobType" && jobType !== "CopyJob")) throw e;
      jobType = "CopyJob";
      $("job-type").value = jobType;
      r = await start(jobType);
    }
    const location = r.headers.get("location") ?? "";
    const m = /\/jobs\/instances\/([^/?#]+)/.exec(location);
    if (!m) throw Object.assign(new Error(`The run was accepted but its Location is not a job instance: ${location}`), { errorCode: "NoJobInstance" });
    setMessage(`Run started: ${decodeURIComponent(m[1])}`);
    monitor(api, ws, item, decodeURIComponent(m[1]), r.headers);
  });
}

/** Polls the job instance as Retry-After says until a terminal status. */
async function monitor(api, ws, item, jobId, headers) {
  job?.abort.abort();
  const abort = new AbortController();
  job = { itemId: item.id, id: jobId, abort, ws };
  $("cancel").disabled = false;
  setJobStatus("NotStarted");
  let wait = api.delay(headers, 10000);
  try {
    for (;;) {
      await sleep(wait, abort.signal);
      const r = await api.request("GET", `/workspaces/${ws}/items/${encodeURIComponent(item.id)}/jobs/instances/${encodeURIComponent(jobId)}`, { signal: abort.signal });
      const status = r.body?.status ?? "Unknown";
      setJobStatus(status, r.body);
      if (TERMINAL_JOB_STATES.has(status)) {
        setMessage(`Run ${status}`);
        break;
      }
      wait = api.delay(r.headers, 10000);
    }
  } catch (e) {
    if (!abort.signal.aborted) showError(e);
  } finally {
    if (job?.abort === abort) {
      $("cancel").disabled = true;
    }
  }
}

async function cancelJob() {
  await operation("Cancelling the run", async () => {
    if (!job) throw Object.assign(new Error("No run to cancel"), { errorCode: "NoRun" });
    await client().request("POST", `/workspaces/${job.ws}/items/${encodeURIComponent(job.itemId)}/jobs/instances/${encodeURIComponent(job.id)}/cancel`);
    setMessage("Cancel requested");
  });
}

async function signIn() {
  await operation("Signing in", async () => {
    const clientId = $("msal-client").value.trim();
    if (!clientId) throw Object.assign(new Error("Enter the client id of your Entra app registration"), { errorCode: "NoClientId" });
    saveSettings();
    const { PublicClientApplication } = await import("@azure/msal-browser");
    const tenant = $("msal-tenant").value.trim() || "organizations";
    const scopes = $("msal-scopes").value.trim().split(/\s+/).filter(Boolean);
    const app = new PublicClientApplication({
      auth: { clientId, authority: `https://login.microsoftonline.com/${encodeURIComponent(tenant)}`, redirectUri: location.origin + location.pathname },
      cache: { cacheLocation: $("remember-token").checked ? "sessionStorage" : "memoryStorage" },
    });
    await app.initialize();
    const result = await app.loginPopup({ scopes });
    msal = { app, account: result.account, scopes };
    $("msal-account").textContent = `signed in as ${result.account?.username ?? "?"}`;
    setMessage("Signed in");
  });
}

// ---- start ---------------------------------------------------------------------------------------

function wire() {
  const on = (id, event, fn) => $(id).addEventListener(event, fn);
  on("token", "input", () => {
    token = $("token").value.trim();
    if ($("remember-token").checked) sessionStorage.setItem(TOKEN_KEY, token);
  });
  on("remember-token", "change", () => {
    if ($("remember-token").checked && token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  });
  for (const id of ["base-url", "workspace", "msal-client", "msal-tenant", "msal-scopes", "job-type"]) on(id, "change", saveSettings);
  on("use-local", "click", () => {
    $("base-url").value = `${location.origin}/v1`;
    if (!$("workspace").value.trim()) $("workspace").value = EMULATOR_WORKSPACE;
    saveSettings();
  });
  on("list-workspaces", "click", listWorkspaces);
  on("list", "click", listJobs);
  on("create", "click", () => create(false));
  on("create-with-definition", "click", () => create(true));
  on("get", "click", getItem);
  on("update", "click", updateItem);
  on("get-definition", "click", getDefinition);
  on("update-definition", "click", updateDefinition);
  on("delete", "click", deleteItem);
  on("run", "click", runJob);
  on("cancel", "click", cancelJob);
  on("msal-signin", "click", signIn);
  on("format", "click", formatActive);
  on("download", "click", download);
  on("open-files", "change", (e) => openFiles(e.target.files));
  on("open-folder", "change", (e) => openFiles(e.target.files));
  for (const b of document.querySelectorAll("#tabs [role=tab]")) b.addEventListener("click", () => switchTab(b.dataset.tab));
  const editor = $("editor");
  editor.addEventListener("dragover", (e) => {
    e.preventDefault();
    editor.classList.add("drag");
  });
  editor.addEventListener("dragleave", () => editor.classList.remove("drag"));
  editor.addEventListener("drop", () => editor.classList.remove("drag"));
}

async function start() {
  try {
    await init({ module_or_path: new URL("./copyjob_bg.wasm", import.meta.url) });
    schemas = new SchemaSet(copyjob.schemas(), copyjob.connectors());
    const rulesName = "rules"; // feature-detected: rule metadata arrives with the core's lint rules
    if (typeof copyjob[rulesName] === "function") {
      try {
        const list = copyjob[rulesName]();
        for (const r of Array.isArray(list) ? list : []) if (r?.code) rulesMeta.set(r.code, r);
      } catch {
        rulesMeta = new Map();
      }
    }
    $("version").textContent = `v${copyjob.version()}`;
    loadSettings();
    wire();
    states.content = makeState("content", DEFAULT_CONTENT);
    states.platform = makeState("platform", DEFAULT_PLATFORM);
    states.envelope = makeState("envelope", "");
    view = new EditorView({ state: states.content, parent: $("editor") });
    setText("envelope", envelopeText());
    renderProblems("content", lintTab("content", text("content")));
    // A hook for automation and debugging (no secrets in it).
    window.copyjobEditor = { get view() { return view; }, text, setText, switchTab, flushSync, get active() { return active; } };
    $("status").textContent = "ready";
  } catch (e) {
    $("status").textContent = "failed";
    showError(e);
  }
}

start();
