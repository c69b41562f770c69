// The console's settings (base URL, workspace, MSAL app, job type): in localStorage, never a
// secret. The token is kept in sessionStorage only when the user ticks the box.
import { $ } from "./dom.js";
import { state } from "./state.js";

export const FABRIC_API = "https://api.fabric.microsoft.com/v1";
export const EMULATOR_WORKSPACE = "00000000-0000-4000-8000-000000000001";
export const TOKEN_KEY = "copyjob.token"; // sessionStorage only, and only when the user ticks the box
const SETTINGS_KEY = "copyjob.settings"; // localStorage: no secret in it
const DEFAULT_SCOPES = [
  "https://api.fabric.microsoft.com/Workspace.ReadWrite.All",
  "https://api.fabric.microsoft.com/Item.ReadWrite.All",
  "https://api.fabric.microsoft.com/Item.Execute.All",
].join(" ");

function isLoopbackPage() {
  return location.protocol === "http:" && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(location.hostname);
}

export function loadSettings() {
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
    state.token = kept;
    $("token").value = kept;
    $("remember-token").checked = true;
  }
}

export function saveSettings() {
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

/** Points the console at this server's emulator. */
export function useLocal() {
  $("base-url").value = `${location.origin}/v1`;
  if (!$("workspace").value.trim()) $("workspace").value = EMULATOR_WORKSPACE;
  saveSettings();
}
