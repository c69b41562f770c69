// Node entry: the module is instantiated at import; `init` and `initSync` need not be called.
export * from "./copyjob.js";
export { default } from "./copyjob.js";
