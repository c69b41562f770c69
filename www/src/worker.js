// The page's side of the lint worker (lint-worker.js): one module worker, started on first use;
// `call(op, ...args)` resolves with the package function's result, or rejects with its error.
// `latest(key, op, ...args)` is for requests where only the newest matters (lint as you type):
// while one request for `key` is running, a newer one replaces any waiting one, and the replaced
// request resolves `STALE` without reaching the worker.

export const STALE = Symbol("stale");

let worker = null;
let nextId = 1;
const pending = new Map();
const lanes = new Map();

function start() {
  if (worker) return worker;
  worker = new Worker(new URL("./lint-worker.js", import.meta.url), { type: "module", name: "copyjob-lint" });
  worker.onmessage = ({ data: { id, result, error } }) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (error !== undefined) p.reject(new Error(error));
    else p.resolve(result);
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(`the lint worker failed: ${e.message ?? "error"}`));
    pending.clear();
  };
  return worker;
}

/** Runs the package's `op(...args)` in the worker. */
export function call(op, ...args) {
  const w = start();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, op, args });
  });
}

/** Like `call`, but a newer request for the same `key` supersedes a waiting one (→ STALE). */
export function latest(key, op, ...args) {
  let lane = lanes.get(key);
  if (!lane) lanes.set(key, (lane = { running: false, waiting: null }));
  return new Promise((resolve, reject) => {
    lane.waiting?.resolve(STALE);
    lane.waiting = { op, args, resolve, reject };
    if (!lane.running) pump(lane);
  });
}

async function pump(lane) {
  while (lane.waiting) {
    const { op, args, resolve, reject } = lane.waiting;
    lane.waiting = null;
    lane.running = true;
    try {
      resolve(await call(op, ...args));
    } catch (e) {
      reject(e);
    }
  }
  lane.running = false;
}
