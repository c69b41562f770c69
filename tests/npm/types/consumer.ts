// Type-checked (tsc --strict) against the built package's .d.ts: every export has real types.
import init, { lint, pack, schemas, unpack, version } from "@copyjob/copyjob";
import type {
  Diagnostic, DocumentKind, JsonValue, LintOptions, LintResult, Part, Position, Severity, SchemaInfo,
} from "@copyjob/copyjob";

await init();
const options: LintOptions = { rules: { "codec/missing-padding": "off" }, fileName: "copyjob-content.json" };
const result: LintResult = lint('{"activities": []}', options);
const kind: DocumentKind = result.kind;
const first: Diagnostic | undefined = result.diagnostics[0];
const severity: Severity | undefined = first?.severity;
const start: Position | undefined = first?.range.start;
const offset: number | undefined = start?.offset;
const part: Part | undefined = unpack({ parts: [] }).parts[0];
const bytes: Uint8Array | undefined = part?.bytes;
const value: JsonValue | undefined = part?.value;
const payload: string = pack({ "copyjob-content.json": "{}", ".platform": new Uint8Array() }).definition.parts[0].payload;
const list: SchemaInfo[] = schemas();
const v: string = version();
lint({ files: { "copyjob-content.json": "{}" } });
// @ts-expect-error: unknown rule level
lint("{}", { rules: { "a/b": "fatal" } });
// @ts-expect-error: numbers are not an input
lint(42);
console.log(kind, severity, offset, bytes, value, payload, list, v);
