// Bundles the editor into dist/: main.js (+ chunks, e.g. MSAL loaded on sign-in), the lint
// worker lint-worker.js (a second entry point: a module worker served from this origin, as the
// page's CSP wants), index.html, style.css, and the package's copyjob_bg.wasm next to the bundle
// (init() fetches it from there, in the page and in the worker).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const here = import.meta.dirname;
const dist = join(here, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/main.js", "src/lint-worker.js"],
  bundle: true,
  format: "esm",
  splitting: true,
  platform: "browser",
  target: "es2022",
  outdir: dist,
  chunkNames: "[name]-[hash]",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});

const require = createRequire(import.meta.url);
const pkg = dirname(require.resolve("@copyjob/copyjob/package.json"));
copyFileSync(join(pkg, "copyjob_bg.wasm"), join(dist, "copyjob_bg.wasm"));
copyFileSync(join(here, "index.html"), join(dist, "index.html"));
copyFileSync(join(here, "style.css"), join(dist, "style.css"));

const sizes = Object.entries(result.metafile.outputs)
  .filter(([name]) => name.endsWith(".js"))
  .map(([name, o]) => `${name.replace(/^.*dist\//, "")} ${(o.bytes / 1024).toFixed(0)} KiB`);
console.error(`www: built dist/ (${sizes.join(", ")}, copyjob_bg.wasm)`);
