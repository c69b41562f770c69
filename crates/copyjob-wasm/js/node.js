// Node entry of @copyjob/copyjob: instantiates the module synchronously at import, so
// `import { lint } from "@copyjob/copyjob"` is ready to use with no init call.
import { readFileSync } from "node:fs";
import { initSync } from "./copyjob.js";

initSync({ module: readFileSync(new URL("./copyjob_bg.wasm", import.meta.url)) });

export * from "./copyjob.js";
// Already initialised: awaiting it (with no argument) resolves at once.
export { default } from "./copyjob.js";
