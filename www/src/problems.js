// Diagnostics in the editor: the problems panel (severity, code, where, message, help, the code's
// doc page, quick fixes) and the conversion to @codemirror/lint diagnostics. Positions come from
// the package (UTF-16 offsets = CodeMirror positions); a problem inside a part, shown in the
// envelope tab, uses the package's `inEnvelope` placement on the part's payload string.
import { $ } from "./dom.js";
import { state } from "./state.js";

const DOCS_BASE = "https://github.com/copyjob/copyjob/blob/main/";
export const FILE_NAMES = { content: "copyjob-content.json", platform: ".platform", envelope: "definition.json" };
export const TAB_OF_PART = { "copyjob-content.json": "content", ".platform": "platform" };

/** Loads every code's metadata (`codes()`) for the doc links. */
export function loadCodes(list) {
  state.codes = new Map((Array.isArray(list) ? list : []).map((c) => [c.code, c]));
}

/** The code's doc page in the repository, from the package's `codes()` metadata. */
export function docUrl(code) {
  const path = state.codes.get(code)?.docsUrl;
  return typeof path === "string" ? `${DOCS_BASE}${path}` : null;
}

export function applyFix(target, fix) {
  const length = target.state.doc.length;
  const clamp = (n) => Math.max(0, Math.min(length, n));
  const changes = (fix.edits ?? []).map((e) => ({ from: clamp(e.range.start.offset), to: clamp(e.range.end.offset), insert: e.newText ?? "" }));
  if (changes.length) target.dispatch({ changes, userEvent: "input.fix" });
}

/**
 * A package diagnostic as CodeMirror's. In the envelope tab, a problem inside a part is placed on
 * its payload (`inEnvelope`), and its fix (which edits the part's text) is not offered.
 */
export function toCodeMirror(d, length, inEnvelope) {
  const placed = inEnvelope && d.inEnvelope ? { ...d, ...d.inEnvelope, fix: undefined } : d;
  const clamp = (n) => Math.max(0, Math.min(length, n ?? 0));
  const from = clamp(placed.range?.start?.offset);
  const to = Math.max(from, clamp(placed.range?.end?.offset));
  const fix = placed.fix && Array.isArray(placed.fix.edits) ? placed.fix : null;
  return {
    from,
    to,
    severity: ["error", "warning", "info"].includes(d.severity) ? d.severity : "info",
    source: d.code,
    message: d.help ? `${placed.message}\nhelp: ${d.help}` : placed.message,
    actions: fix ? [{ name: fix.message || "Fix", apply: (v) => applyFix(v, fix) }] : [],
  };
}

/**
 * Fills the problems panel with a tab's diagnostics. `reveal(d, partTab)` shows a problem in the
 * editor (switching to its part's tab).
 */
export function renderProblems(tab, diagnostics, reveal) {
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
        applyFix(state.view, d.fix);
      });
      actions.append(b);
    }
    tr.addEventListener("click", () => reveal(d, partTab));
    body.append(tr);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  $("lint-summary").textContent = `${FILE_NAMES[tab]}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  document.body.dataset.lintedTab = tab;
}
