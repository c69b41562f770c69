// The REST console: every Copy job call through FabricClient (api.js) — list, create, get,
// rename / describe, getDefinition into the editor, updateDefinition after a diff, run and watch a
// job instance, cancel, delete.
import { ApiError, FabricClient, TERMINAL_JOB_STATES, sleep } from "./api.js";
import { currentToken } from "./auth.js";
import { diffLines, hunks } from "./diff.js";
import { $, ask, logRequest, operation, setMessage, showError } from "./dom.js";
import { definitionToSend, files, loadParts, switchTab } from "./editor.js";
import { FABRIC_API, saveSettings } from "./settings.js";
import { state } from "./state.js";
import { call } from "./worker.js";

function client() {
  return new FabricClient({ baseUrl: $("base-url").value.trim() || FABRIC_API, getToken: currentToken, log: logRequest });
}

function workspace() {
  const ws = $("workspace").value.trim();
  if (!ws) throw Object.assign(new Error("Enter a workspace id (or list the workspaces)"), { errorCode: "NoWorkspace" });
  return encodeURIComponent(ws);
}

function requireSelected() {
  if (!state.selected) throw Object.assign(new Error("Select a copy job first (list them, or create one)"), { errorCode: "NoSelection" });
  return state.selected;
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

function itemPath(item) {
  return `/workspaces/${workspace()}/copyJobs/${encodeURIComponent(item.id)}`;
}

function renderJobs() {
  const list = $("jobs");
  list.replaceChildren();
  for (const item of state.listed) {
    const li = document.createElement("li");
    li.dataset.id = item.id;
    li.setAttribute("aria-selected", String(state.selected?.id === item.id));
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

/** Replaces the listed items and shows them. */
function setListed(items) {
  state.listed = items;
  renderJobs();
}

function select(item) {
  state.selected = item;
  $("selected").textContent = item ? `${item.displayName} (${item.id})` : "none";
  $("item-name").value = item?.displayName ?? "";
  $("item-description").value = item?.description ?? "";
  $("item-json").textContent = item ? JSON.stringify(item, null, 2) : "";
  for (const li of $("jobs").children) li.setAttribute("aria-selected", String(li.dataset.id === item?.id));
}

export async function listJobs() {
  await operation("Listing copy jobs", async () => {
    const { items, pages } = await client().listAll(`/workspaces/${workspace()}/copyJobs`);
    setListed(items);
    $("jobs-count").textContent = `${items.length} copy job${items.length === 1 ? "" : "s"} in ${pages} page${pages === 1 ? "" : "s"}`;
    if (state.selected && !items.some((i) => i.id === state.selected.id)) select(null);
    setMessage(`Listed ${items.length} copy jobs`);
  });
}

export async function listWorkspaces() {
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

export async function create(withDefinition) {
  const displayName = $("new-name").value.trim();
  const description = $("new-description").value.trim();
  if (!displayName) {
    showError({ errorCode: "NoName", message: "Enter a display name" });
    return;
  }
  const body = { displayName };
  if (description) body.description = description;
  if (withDefinition) {
    const definition = await definitionToSend();
    if (!definition) return;
    body.definition = definition;
  }
  await operation(`Creating ${displayName}`, async () => {
    const item = await client().lro("POST", `/workspaces/${workspace()}/copyJobs`, { body, onState: (s) => setMessage(`Creating ${displayName}: ${s}`) });
    if (item?.id) {
      select(item);
      setListed([...state.listed.filter((i) => i.id !== item.id), item]);
    }
    setMessage(`Created ${displayName}`);
  });
}

export async function getItem() {
  await operation("Getting the copy job", async () => {
    const r = await client().request("GET", itemPath(requireSelected()));
    select(r.body);
    setMessage(`Got ${r.body.displayName}`);
  });
}

export async function updateItem() {
  await operation("Updating the copy job", async () => {
    const item = requireSelected();
    const body = {};
    const name = $("item-name").value.trim();
    const description = $("item-description").value;
    if (name && name !== item.displayName) body.displayName = name;
    if (description !== (item.description ?? "")) body.description = description;
    const r = await client().request("PATCH", itemPath(item), { body });
    select(r.body);
    setListed(state.listed.map((i) => (i.id === r.body.id ? r.body : i)));
    setMessage(`Updated ${r.body.displayName}`);
  });
}

async function fetchDefinition(item) {
  const result = await client().lro("POST", `${itemPath(item)}/getDefinition`, {
    onState: (s) => setMessage(`Getting the definition: ${s}`),
  });
  if (!result?.definition) throw Object.assign(new Error("The service returned no definition"), { errorCode: "NoDefinition" });
  return call("unpack", result);
}

export async function getDefinition() {
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

export async function updateDefinition() {
  const item = selectedOrShowError();
  if (!item) return;
  const definition = await definitionToSend();
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
    await client().lro("POST", `${itemPath(item)}/updateDefinition`, {
      body: { definition },
      query,
      onState: (s) => setMessage(`Updating the definition: ${s}`),
    });
    setMessage(`Updated the definition of ${item.displayName}`);
  });
}

export async function deleteItem() {
  const item = selectedOrShowError();
  if (!item) return;
  $("delete-name").textContent = item.displayName;
  if (!(await ask($("delete-dialog")))) {
    setMessage("Delete cancelled");
    return;
  }
  await operation(`Deleting ${item.displayName}`, async () => {
    await client().request("DELETE", itemPath(item));
    setListed(state.listed.filter((i) => i.id !== item.id));
    select(null);
    setMessage(`Deleted ${item.displayName}`);
  });
}

function setJobStatus(status, instance) {
  $("job-status").textContent = status;
  const reason = instance?.failureReason;
  $("failure-reason").textContent = reason ? `${reason.errorCode ?? "Failed"}: ${reason.message ?? ""}${reason.requestId ? ` (RequestId ${reason.requestId})` : ""}` : "";
}

export async function runJob() {
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
  state.job?.abort.abort();
  const abort = new AbortController();
  state.job = { itemId: item.id, id: jobId, abort, ws };
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
    if (state.job?.abort === abort) {
      $("cancel").disabled = true;
    }
  }
}

export async function cancelJob() {
  await operation("Cancelling the run", async () => {
    const { job } = state;
    if (!job) throw Object.assign(new Error("No run to cancel"), { errorCode: "NoRun" });
    await client().request("POST", `/workspaces/${job.ws}/items/${encodeURIComponent(job.itemId)}/jobs/instances/${encodeURIComponent(job.id)}/cancel`);
    setMessage("Cancel requested");
  });
}
