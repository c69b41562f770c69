// The page's shared DOM helpers: element lookup, the status message, the error box, the request
// log, the confirmation dialogs, and running an operation with all of them. Everything the
// service or a file says is shown with textContent, never as HTML.
import { ApiError } from "./api.js";
import { state } from "./state.js";

export const $ = (id) => document.getElementById(id);

export function setMessage(text) {
  $("message").textContent = text;
}

export function clearError() {
  $("error").hidden = true;
  $("error-code").textContent = "";
  $("error-message").textContent = "";
  $("error-request-id").textContent = "";
  $("error-details").replaceChildren();
}

export function showError(e) {
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

export function logRequest({ method, path, status, requestId, note }) {
  const li = document.createElement("li");
  li.textContent = `${method} ${path} → ${status || "failed"}${note ? ` (${note})` : ""}${requestId ? `  RequestId ${requestId}` : ""}`;
  if (!status || status >= 400) li.className = "status-err";
  const log = $("log");
  log.append(li);
  while (log.children.length > 200) log.firstChild.remove();
  li.scrollIntoView({ block: "nearest" });
}

/** Runs an operation: its label as the message, its error in the error box. */
export async function operation(label, fn) {
  clearError();
  setMessage(`${label}…`);
  state.busy++;
  document.body.dataset.busy = String(state.busy);
  try {
    return await fn();
  } catch (e) {
    if (e?.name === "AbortError") return undefined;
    showError(e);
    setMessage(`${label} failed`);
    return undefined;
  } finally {
    state.busy--;
    document.body.dataset.busy = String(state.busy);
  }
}

/** Shows a confirmation dialog; resolves whether the user confirmed. */
export function ask(dialog) {
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
  });
}
