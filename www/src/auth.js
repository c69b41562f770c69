// The bearer token: pasted (in memory; in sessionStorage only when the user asks) or from an
// MSAL sign-in. Never in localStorage, a URL or a log.
import { $, operation, setMessage } from "./dom.js";
import { saveSettings, TOKEN_KEY } from "./settings.js";
import { state } from "./state.js";

export async function currentToken() {
  if (state.msal?.account) {
    const { app, account, scopes } = state.msal;
    try {
      return (await app.acquireTokenSilent({ scopes, account })).accessToken;
    } catch {
      return (await app.acquireTokenPopup({ scopes })).accessToken;
    }
  }
  return state.token;
}

export function tokenInput() {
  state.token = $("token").value.trim();
  if ($("remember-token").checked) sessionStorage.setItem(TOKEN_KEY, state.token);
}

export function rememberToken() {
  if ($("remember-token").checked && state.token) sessionStorage.setItem(TOKEN_KEY, state.token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function signIn() {
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
    state.msal = { app, account: result.account, scopes };
    $("msal-account").textContent = `signed in as ${result.account?.username ?? "?"}`;
    setMessage("Signed in");
  });
}
