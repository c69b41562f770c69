// The state the editor's modules share: what one module sets and another reads lives here. The
// only other mutable module state is worker.js's private bookkeeping of its requests to the lint
// worker (the worker, ids, pending requests, lanes), which no other module sees.

/** What the page holds between events. */
export const state = {
  /** The package's compiled schemas for completion and hover (SchemaSet). */
  schemas: null,
  /** Every diagnostic code's metadata, by code (the package's `codes()`). */
  codes: new Map(),
  /** The CodeMirror view, showing the active tab. */
  view: null,
  /** The active tab: "content", "platform" or "envelope". */
  active: "content",
  /** The EditorState of each tab (the active one's is in the view). */
  tabs: {},
  /** The tab edited last, whose change the other tabs have not followed yet, and its timer. */
  sync: { from: null, timer: null },
  /** The pasted bearer token (memory; sessionStorage only when the user asks). */
  token: "",
  /** The MSAL sign-in: { app, account, scopes }. */
  msal: null,
  /** The selected copy job item, and the items listed. */
  selected: null,
  listed: [],
  /** The job instance being watched: { itemId, id, abort, ws }. */
  job: null,
  /** How many operations are running. */
  busy: 0,
};
