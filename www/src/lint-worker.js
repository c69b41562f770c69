// The lint worker (dist/lint-worker.js, a module worker from this origin): holds its own instance
// of the package and runs what is heavy on large documents off the page's main thread — `lint`
// and `unpack`. Requests are { id, op, args }; each gets { id, result } or { id, error }.
import init, { lint, unpack } from "@copyjob/copyjob";

const OPS = { lint, unpack };
const ready = init({ module_or_path: new URL("./copyjob_bg.wasm", import.meta.url) });

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    if (!Object.hasOwn(OPS, op)) throw new Error(`unknown operation ${op}`);
    self.postMessage({ id, result: OPS[op](...args) });
  } catch (e) {
    self.postMessage({ id, error: String(e?.message ?? e) });
  }
};
