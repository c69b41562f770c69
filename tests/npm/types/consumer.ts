// Type-checked (tsc --strict) against the built package's .d.ts: every export has real types.
import init, { codes, connectors, fix, format, formatDefinition, lint, pack, rules, schemas, unpack, version } from "@copyjob/copyjob";
import type {
  CodeInfo, Diagnostic, DocumentKind, DocumentRewrite, FilesRewrite, Fix, FormatOptions, JsonValue, LintOptions, LintResult, Part,
  Position, Range, RuleInfo, Severity, SchemaInfo, TextEdit, ConnectorCatalog, ConnectorInfo, Support,
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
const safeFix: Fix | undefined = first?.fix;
const edit: TextEdit | undefined = safeFix?.edits[0];
const newText: string | undefined = edit?.newText;
const fixed: DocumentRewrite = fix('{"activities": []}', { rules: { "lint/misspelled-property": "off" } });
const fixedText: string = fixed.text;
const changed: boolean = fixed.changed;
const fixedFiles: FilesRewrite = fix({ files: { "copyjob-content.json": new Uint8Array() } });
const fileText: string | undefined = fixedFiles.files["copyjob-content.json"];
const changes: string[] = fixedFiles.changes;
const formatted: string = format("{}");
const formatOptions: FormatOptions = { fileName: "copyjob-content.json" };
const formattedBody: DocumentRewrite = formatDefinition({ definition: { parts: [] } }, formatOptions);
const formattedFiles: FilesRewrite = formatDefinition({ files: { ".platform": "{}" } });
const ruleList: RuleInfo[] = rules();
const docsUrl: string | undefined = ruleList[0]?.docsUrl;
const fixable: boolean | undefined = ruleList[0]?.fixable;
// @ts-expect-error: a document's rewrite has no files
fix("{}").files;
// @ts-expect-error: formatDefinition takes no rules
formatDefinition("{}", { rules: {} });
// @ts-expect-error: format takes a text
format({});
console.log(kind, severity, offset, bytes, value, payload, list, v, newText, fixedText, changed, fileText, changes);
const catalog: ConnectorCatalog = connectors();
const connector: ConnectorInfo | undefined = catalog.connectors[0];
const cdc: Support | undefined = connector?.capabilities.cdc;
const connectionType: string | undefined = connector?.connectionTypes[0]?.name;
const evidenceKind: string | undefined = catalog.sources["copy-job-table"]?.kind;
// @ts-expect-error: capabilities are "yes" | "no" | "n/a" | "unknown"
const wrong: Support = "maybe";
const codeList: CodeInfo[] = codes();
const serviceRejects: boolean | undefined = codeList[0]?.serviceRejects;
const payloadRange: Range | undefined = part?.payloadRange;
const inEnvelope: { range: Range; message: string } | undefined = first?.inEnvelope;
lint("{}", { kind: "updateRequest" });
// @ts-expect-error: an item folder is not a kind of document
lint("{}", { kind: "itemFolder" });
console.log(formatted, formattedBody, formattedFiles, docsUrl, fixable, cdc, connectionType, evidenceKind, wrong);
console.log(serviceRejects, payloadRange, inEnvelope);
