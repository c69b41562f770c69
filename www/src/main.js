// The Copy job definition editor and REST console: starts the package, builds the editor and
// wires the page. Each module has one job: state.js (the one state object), dom.js (messages,
// errors, dialogs), settings.js, auth.js (the token), editor.js (tabs, sync, lint, files),
// problems.js (the problems panel), console.js (the REST calls), api.js (FabricClient),
// schema.js (completion and hover), diff.js.
//
// Security: the bearer token lives in memory (and in sessionStorage only when the user asks);
// never in localStorage, a URL or a log. Everything the service or a file says is shown with
// textContent, never as HTML.
import init, * as copyjob from "@copyjob/copyjob";
import { SchemaSet } from "./schema.js";
import { rememberToken, signIn, tokenInput } from "./auth.js";
import * as api from "./console.js";
import { $, showError } from "./dom.js";
import { createEditor, download, flushSync, formatActive, openFiles, setText, switchTab, text } from "./editor.js";
import { loadCodes } from "./problems.js";
import { loadSettings, saveSettings, useLocal } from "./settings.js";
import { state } from "./state.js";

function wire() {
  const on = (id, event, fn) => $(id).addEventListener(event, fn);
  on("token", "input", tokenInput);
  on("remember-token", "change", rememberToken);
  for (const id of ["base-url", "workspace", "msal-client", "msal-tenant", "msal-scopes", "job-type"]) on(id, "change", saveSettings);
  on("use-local", "click", useLocal);
  on("list-workspaces", "click", api.listWorkspaces);
  on("list", "click", api.listJobs);
  on("create", "click", () => api.create(false));
  on("create-with-definition", "click", () => api.create(true));
  on("get", "click", api.getItem);
  on("update", "click", api.updateItem);
  on("get-definition", "click", api.getDefinition);
  on("update-definition", "click", api.updateDefinition);
  on("delete", "click", api.deleteItem);
  on("run", "click", api.runJob);
  on("cancel", "click", api.cancelJob);
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
    state.schemas = new SchemaSet(copyjob.schemas(), copyjob.connectors());
    loadCodes(copyjob.codes());
    $("version").textContent = `v${copyjob.version()}`;
    loadSettings();
    wire();
    createEditor($("editor"));
    // A hook for automation and debugging (no secrets in it).
    window.copyjobEditor = { get view() { return state.view; }, text, setText, switchTab, flushSync, get active() { return state.active; } };
    $("status").textContent = "ready";
  } catch (e) {
    $("status").textContent = "failed";
    showError(e);
  }
}

start();
