// Shared paths and helpers of the npm package tests. The tests use the BUILT package only.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../..");
export const pkgDir = join(root, "crates/copyjob-wasm/pkg");
export const shared = resolve(process.env.COPYJOB_SHARED ?? join(root, "../shared"));
export const artifacts = join(root, "target/npm-test-artifacts");

if (!existsSync(join(pkgDir, "package.json"))) {
  throw new Error(`the package is not built: run crates/copyjob-wasm/build.sh (no ${pkgDir}/package.json)`);
}

/** Every file under a folder, recursively, sorted. */
export function walkFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walkFiles(path));
    else out.push(path);
  }
  return out;
}

/** The UTF-16 text of a range. */
export function slice(text, range) {
  return text.slice(range.start.offset, range.end.offset);
}
