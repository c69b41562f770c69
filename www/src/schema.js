// Schema-driven completion and hover for CodeMirror, from the JSON Schemas the WASM package
// ships (`schemas()`): property names with their descriptions, enum / const / boolean values,
// and a hover card with a field's type, description and allowed values. Only `$ref` (local and
// between our schemas by `$id`), `allOf` / `anyOf` / `oneOf`, `if` / `then` / `else`,
// `properties`, `patternProperties`, `additionalProperties`, `items` and `prefixItems` are needed.
// With the connector catalog (`connectors()`), the connector `type` fields of copyjob-content.json
// complete with the strings that fit the other side of the field (a Lakehouse connection offers
// LakehouseTable and the file formats) and hover with the connector's capabilities and evidence.
import { syntaxTree } from "@codemirror/language";
import { hoverTooltip } from "@codemirror/view";

const PUNCTUATION = new Set(["{", "}", "[", "]", ",", ":", "⚠"]);

export class SchemaSet {
  /**
   * @param {{name: string, uri: string, schema: object}[]} list
   * @param {object} [catalog] the package's `connectors()`: connector type strings for completion and hover
   */
  constructor(list, catalog) {
    this.byUri = new Map(list.map((s) => [s.uri, s.schema]));
    this.byName = new Map(list.map((s) => [s.name, s.schema]));
    this.catalog = catalog ? new Catalog(catalog) : null;
  }

  /** The schema named `name` (e.g. `copyjob-content.schema.json`), or undefined. */
  root(name) {
    const schema = this.byName.get(name);
    return schema ? { schema, root: schema } : undefined;
  }

  /** Follows `$ref`, `allOf`, `anyOf`, `oneOf` and `if`/`then`/`else`: every schema that applies. */
  expand(nodes, depth = 0) {
    const out = [];
    for (const node of nodes) {
      const { schema, root } = node;
      if (!schema || typeof schema !== "object") continue;
      out.push(node);
      if (depth > 16) continue;
      const more = [];
      if (typeof schema.$ref === "string") {
        const target = this.deref(schema.$ref, root);
        if (target) more.push(target);
      }
      for (const key of ["allOf", "anyOf", "oneOf"]) {
        if (Array.isArray(schema[key])) more.push(...schema[key].map((s) => ({ schema: s, root })));
      }
      for (const key of ["then", "else"]) {
        if (schema[key] && typeof schema[key] === "object") more.push({ schema: schema[key], root });
      }
      out.push(...this.expand(more, depth + 1));
    }
    return out;
  }

  deref(ref, root) {
    const hash = ref.indexOf("#");
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.slice(hash + 1);
    const doc = base ? this.byUri.get(base) : root;
    if (!doc) return undefined;
    let node = doc;
    for (const raw of fragment.split("/").slice(1)) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      node = node?.[key];
    }
    return node === undefined ? undefined : { schema: node, root: doc };
  }

  /** The schemas of a child: a property name (string) or an array index (number). */
  child(nodes, segment) {
    const out = [];
    for (const { schema, root } of this.expand(nodes)) {
      if (typeof segment === "number") {
        if (Array.isArray(schema.prefixItems) && segment < schema.prefixItems.length) {
          out.push({ schema: schema.prefixItems[segment], root });
        } else if (schema.items && typeof schema.items === "object") {
          out.push({ schema: schema.items, root });
        }
        continue;
      }
      if (schema.properties && Object.hasOwn(schema.properties, segment)) {
        out.push({ schema: schema.properties[segment], root });
        continue;
      }
      let matched = false;
      for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
        try {
          if (new RegExp(pattern, "u").test(segment)) {
            out.push({ schema: sub, root });
            matched = true;
          }
        } catch {
          // A pattern JavaScript cannot compile: ignore it.
        }
      }
      if (!matched && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        out.push({ schema: schema.additionalProperties, root });
      }
    }
    return out;
  }

  at(rootNode, path) {
    let nodes = [rootNode];
    for (const segment of path) nodes = this.child(nodes, segment);
    return this.expand(nodes);
  }
}

const CONTENT_SCHEMA = "copyjob-content.schema.json";
const ROLES = ["source", "destination"];

/**
 * The connector catalog (`connectors()` of the package) as the editor uses it: which `type`
 * strings fit a field, given what the rest of the document already says.
 */
export class Catalog {
  constructor(data) {
    this.data = data;
    this.formats = data.formats ?? [];
    this.connectors = data.connectors ?? [];
  }

  /** Which catalog field a JSON path is, or null: `{ kind, role }`. */
  static fieldOf(path) {
    const at = (i, v) => path[i] === v;
    if (path.length === 3 && at(0, "properties") && ROLES.includes(path[1]) && at(2, "type")) {
      return { kind: "dataset", role: path[1] };
    }
    if (path.length === 4 && at(0, "properties") && ROLES.includes(path[1]) && at(2, "connectionSettings") && at(3, "type")) {
      return { kind: "connection", role: path[1] };
    }
    if (path.length >= 6 && at(0, "activities") && at(2, "properties") && ROLES.includes(path[3]) && path.at(-1) === "type") {
      const rest = path.slice(4, -1).join("/");
      const kind = { "datasetSettings/location": "location", storeSettings: "storeSettings", formatSettings: "formatSettings" }[rest];
      if (kind) return { kind, role: path[3] };
    }
    return null;
  }

  /** The connectors with a connection type, the one taking `dataset` first. */
  byConnection(connection, dataset) {
    const list = this.connectors.filter((c) => c.connectionTypes.some((n) => n.name === connection));
    return dataset ? [...list.filter((c) => this.takes(c, dataset)), ...list.filter((c) => !this.takes(c, dataset))] : list;
  }

  takes(connector, dataset) {
    return connector.datasetTypes.some((n) => n.name === dataset) || (connector.files && this.formats.some((f) => f.name === dataset));
  }

  byDataset(dataset) {
    return this.connectors.filter((c) => c.datasetTypes.some((n) => n.name === dataset));
  }

  /** The strings that fit a field, best first: `[{ name, detail, info, boost }]`. */
  options(field, context) {
    const { connection, dataset } = context[field.role] ?? {};
    const own = connection ? this.byConnection(connection, dataset) : [];
    const out = new Map();
    const add = (name, detail, info, boost) => {
      if (!out.has(name)) out.set(name, { name, detail, info, boost });
    };
    const formatDetail = (f) => `file format${f.reads ? "" : ", write only"}${f.writes ? "" : ", read only"}`;
    if (field.kind === "connection") {
      const fitting = dataset ? [...this.byDataset(dataset), ...(this.formats.some((f) => f.name === dataset) ? this.connectors.filter((c) => c.files) : [])] : [];
      for (const c of fitting) for (const n of c.connectionTypes) add(n.name, c.name, summary(c), 2);
      for (const c of this.connectors) for (const n of c.connectionTypes) add(n.name, c.name, summary(c), 0);
    } else if (field.kind === "dataset") {
      for (const c of own) {
        c.datasetTypes.forEach((n, i) => add(n.name, c.name, summary(c), i === 0 ? 3 : 2));
        if (c.files) for (const f of this.formats) add(f.name, formatDetail(f), summary(c), 1);
      }
      if (!own.length) {
        for (const c of this.connectors) for (const n of c.datasetTypes) add(n.name, c.name, summary(c), 0);
        for (const f of this.formats) add(f.name, formatDetail(f), undefined, 0);
      }
    } else if (field.kind === "location" || field.kind === "storeSettings") {
      const list = field.kind === "location" ? "locationTypes" : "storeSettingsTypes";
      const wanted = field.role === "source" ? "ReadSettings" : "WriteSettings";
      for (const c of own) for (const n of c[list]) add(n.name, c.name, undefined, field.kind === "location" || n.name.endsWith(wanted) ? 2 : 1);
      if (!own.length) for (const c of this.connectors) for (const n of c[list]) add(n.name, c.name, undefined, 0);
    } else if (field.kind === "formatSettings") {
      const wanted = field.role === "source" ? "ReadSettings" : "WriteSettings";
      const formats = dataset && this.formats.some((f) => f.name === dataset) ? this.formats.filter((f) => f.name === dataset) : this.formats;
      for (const f of formats) for (const n of f.formatSettingsTypes) add(n.name, f.name, undefined, n.name.endsWith(wanted) ? 2 : 0);
    }
    return [...out.values()];
  }

  /** Hover text for a catalog string in a field: lines. */
  describe(field, value, context) {
    const lines = [];
    const evidence = (n) => (n?.evidence?.length ? `evidence: ${n.evidence.map((k) => this.data.sources?.[k]?.kind ?? k).join(", ")} (${n.evidence.join(", ")})` : null);
    if (field.kind === "connection") {
      const { dataset } = context[field.role] ?? {};
      for (const c of this.byConnection(value, dataset).slice(0, 1)) {
        lines.push(`${c.name}${c.tableName ? "" : " (not in Microsoft's connector table)"}`, capabilityLines(c));
        lines.push(`dataset types: ${[...c.datasetTypes.map((n) => n.name), ...(c.files ? ["file formats"] : [])].join(", ")}`);
        lines.push(evidence(c.connectionTypes.find((n) => n.name === value)));
      }
    } else if (field.kind === "dataset") {
      const format = this.formats.find((f) => f.name === value);
      if (format) {
        lines.push(`file format: ${format.reads ? "read" : ""}${format.reads && format.writes ? " and " : ""}${format.writes ? "write" : ""}`, evidence(format));
      }
      for (const c of this.byDataset(value).slice(0, 1)) {
        lines.push(`${c.name}: connection type ${c.connectionTypes.map((n) => n.name).join(" or ")}`, capabilityLines(c));
        lines.push(evidence(c.datasetTypes.find((n) => n.name === value)));
      }
    } else {
      const list = { location: "locationTypes", storeSettings: "storeSettingsTypes" }[field.kind];
      if (list) {
        for (const c of this.connectors) {
          const n = c[list].find((x) => x.name === value);
          if (n) lines.push(`${c.name} (connection type ${c.connectionTypes[0]?.name})`, evidence(n));
        }
      } else {
        for (const f of this.formats) {
          const n = f.formatSettingsTypes.find((x) => x.name === value);
          if (n) lines.push(`${f.name} files`, evidence(n));
        }
      }
    }
    const text = lines.filter(Boolean);
    if (!text.length) text.push(`not in the connector catalog (docs/connectors.md): unknown, not necessarily wrong`);
    return text;
  }
}

function summary(c) {
  return capabilityLines(c);
}

function capabilityLines(c) {
  const k = c.capabilities;
  const yes = (pairs) => pairs.filter(([, v]) => v === "yes").map(([n]) => n);
  const reads = yes([["full", k.fullLoad], ["watermark incremental", k.watermark], ["CDC", k.cdc]]);
  const writes = yes([["Append", k.append], ["Overwrite", k.overwrite], ["Upsert", k.upsert], ["Merge", k.merge]]);
  const role =
    k.source === "yes" && k.destination === "yes"
      ? "source and destination"
      : k.source === "yes"
        ? k.destination === "unknown" ? "source; destination unknown" : "source only"
        : k.destination === "yes"
          ? k.source === "unknown" ? "destination; source unknown" : "destination only"
          : "role unknown";
  const parts = [role];
  if (k.source === "yes") parts.push(`reads: ${reads.join(", ") || "unknown"}`);
  if (k.destination === "yes") parts.push(`writes: ${writes.join(", ") || "unknown"}`);
  return parts.join("; ");
}

/** The string value at a JSON path of the document, read from the syntax tree (works while typing). */
function stringAt(state, path) {
  let node = syntaxTree(state).topNode.firstChild;
  while (node && PUNCTUATION.has(node.name)) node = node.nextSibling;
  for (const segment of path) {
    if (!node) return undefined;
    let next = null;
    if (typeof segment === "string" && node.name === "Object") {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        const name = c.name === "Property" ? c.getChild("PropertyName") : null;
        if (name && parseKey(state.sliceDoc(name.from, name.to)) === segment) {
          next = name.nextSibling;
          while (next && PUNCTUATION.has(next.name)) next = next.nextSibling;
          break;
        }
      }
    } else if (typeof segment === "number" && node.name === "Array") {
      let i = 0;
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (PUNCTUATION.has(c.name)) continue;
        if (i++ === segment) {
          next = c;
          break;
        }
      }
    }
    node = next;
  }
  if (!node || node.name !== "String") return undefined;
  try {
    return JSON.parse(state.sliceDoc(node.from, node.to));
  } catch {
    return undefined;
  }
}

/** What the document says about each side: `{ source: { connection, dataset }, destination: ... }`. */
function sidesOf(state) {
  const out = {};
  for (const role of ROLES) {
    out[role] = {
      connection: stringAt(state, ["properties", role, "connectionSettings", "type"]),
      dataset: stringAt(state, ["properties", role, "type"]),
    };
  }
  return out;
}

function catalogOptions(schemas, rootName, state, path) {
  if (!schemas.catalog || rootName !== CONTENT_SCHEMA) return [];
  const field = Catalog.fieldOf(path);
  if (!field) return [];
  return schemas.catalog.options(field, sidesOf(state)).map((o) => ({
    label: JSON.stringify(o.name),
    type: "enum",
    detail: o.detail,
    info: o.info,
    boost: o.boost,
  }));
}

function parseKey(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text.replace(/^"|"$/g, "");
  }
}

/** The JSON path (keys and indices) of a syntax node, from the document's root. */
function pathOf(node, state) {
  const path = [];
  for (let cur = node; cur.parent; cur = cur.parent) {
    const parent = cur.parent;
    if (parent.name === "Property" && cur.name !== "PropertyName") {
      const name = parent.getChild("PropertyName");
      if (name) path.unshift(parseKey(state.sliceDoc(name.from, name.to)));
    } else if (parent.name === "Array") {
      let index = 0;
      for (let c = parent.firstChild; c && c.from < cur.from; c = c.nextSibling) {
        if (!PUNCTUATION.has(c.name)) index++;
      }
      path.unshift(index);
    }
  }
  return path;
}

function typeOf(nodes) {
  const types = new Set();
  for (const { schema } of nodes) {
    if (typeof schema.type === "string") types.add(schema.type);
    else if (Array.isArray(schema.type)) schema.type.forEach((t) => types.add(t));
    if (schema.enum) types.add("enum");
  }
  return [...types].join(" | ");
}

function describe(nodes) {
  for (const { schema } of nodes) {
    if (typeof schema.description === "string") return schema.description;
  }
  return "";
}

function allowedValues(nodes) {
  const values = [];
  for (const { schema } of nodes) {
    if (Array.isArray(schema.enum)) values.push(...schema.enum);
    if (Object.hasOwn(schema, "const")) values.push(schema.const);
  }
  return [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];
}

/** A completion source for the document whose root schema is `rootName`. */
export function schemaCompletion(schemas, rootName) {
  return (context) => {
    const root = schemas.root(rootName);
    if (!root) return null;
    const { state, pos } = context;
    let node = syntaxTree(state).resolveInner(pos, -1);
    if (node.name === "⚠" && node.parent) node = node.parent;

    // A key: inside a property name, or where a property may start in an object.
    let object = null;
    let from = pos;
    let to = pos;
    let inName = false;
    if (node.name === "PropertyName") {
      object = node.parent?.parent;
      from = node.from;
      to = node.to;
      inName = true;
    } else if (node.name === "Object" || ((node.name === "{" || node.name === ",") && node.parent?.name === "Object")) {
      object = node.name === "Object" ? node : node.parent;
      const word = context.matchBefore(/"?[\w$@.-]*/);
      if (word) from = word.from;
    }
    if (object && object.name === "Object") {
      const nodes = schemas.at(root, pathOf(object, state));
      const present = new Set();
      for (let c = object.firstChild; c; c = c.nextSibling) {
        const name = c.name === "Property" ? c.getChild("PropertyName") : null;
        if (name && !(inName && name.from === from)) present.add(parseKey(state.sliceDoc(name.from, name.to)));
      }
      const options = [];
      const seen = new Set();
      for (const { schema, root: r } of nodes) {
        for (const [key, sub] of Object.entries(schema.properties ?? {})) {
          if (present.has(key) || seen.has(key)) continue;
          seen.add(key);
          const subNodes = schemas.expand([{ schema: sub, root: r }]);
          const colonFollows = /^\s*:/.test(state.sliceDoc(to, to + 20));
          options.push({
            label: key,
            type: "property",
            detail: typeOf(subNodes),
            info: describe(subNodes) || undefined,
            apply: colonFollows ? JSON.stringify(key) : `${JSON.stringify(key)}: `,
          });
        }
      }
      return options.length ? { from, to, options, filter: true } : null;
    }

    // A value: after a property's colon, or in an array.
    let valueNode = null;
    if (["String", "Number", "True", "False", "Null"].includes(node.name)) {
      valueNode = node;
      from = node.from;
      to = node.to;
    } else if (node.name === ":" || node.name === "Property") {
      const property = node.name === ":" ? node.parent : node;
      const name = property?.getChild("PropertyName");
      if (!property || !name || pos <= name.to) return null;
      const key = parseKey(state.sliceDoc(name.from, name.to));
      const parentPath = pathOf(property.parent ?? property, state);
      const nodes = schemas.child(schemas.at(root, parentPath), key);
      return valueOptions(schemas.expand(nodes), pos, pos, catalogOptions(schemas, rootName, state, [...parentPath, key]));
    } else {
      return null;
    }
    const path = pathOf(valueNode, state);
    // Only an opening quote typed (`"|"`): nothing to filter by, and CodeMirror would show nothing.
    const unfiltered = state.sliceDoc(from, pos) === '"';
    return valueOptions(schemas.at(root, path), from, to, catalogOptions(schemas, rootName, state, path), unfiltered);
  };
}

function valueOptions(nodes, from, to, extra = [], unfiltered = false) {
  const options = allowedValues(nodes).map((v) => ({ label: JSON.stringify(v), type: "enum", info: describe(nodes) || undefined }));
  options.push(...extra);
  const types = typeOf(nodes);
  if (types.includes("boolean")) options.push({ label: "true", type: "keyword" }, { label: "false", type: "keyword" });
  if (!options.length) return null;
  if (unfiltered) {
    const sorted = options.map((o, i) => [o, i]).sort(([a, i], [b, j]) => (b.boost ?? 0) - (a.boost ?? 0) || i - j);
    return { from, to, options: sorted.map(([o]) => o), filter: false };
  }
  return { from, to, options, filter: true };
}

/** A hover card for keys and values: type, description, allowed values. Text only. */
export function schemaHover(schemas, rootName) {
  return hoverTooltip((view, pos, side) => {
    const root = schemas.root(rootName);
    if (!root) return null;
    const state = view.state;
    const node = syntaxTree(state).resolveInner(pos, side);
    let path;
    let target = node;
    if (node.name === "PropertyName") {
      const property = node.parent;
      path = [...pathOf(property, state), parseKey(state.sliceDoc(node.from, node.to))];
    } else if (["String", "Number", "True", "False", "Null"].includes(node.name)) {
      path = pathOf(node, state);
    } else {
      return null;
    }
    const nodes = schemas.at(root, path);
    const field = schemas.catalog && rootName === CONTENT_SCHEMA && node.name === "String" ? Catalog.fieldOf(path) : null;
    const connector = field ? schemas.catalog.describe(field, parseKey(state.sliceDoc(node.from, node.to)), sidesOf(state)) : [];
    if (!nodes.length && !connector.length) return null;
    const description = describe(nodes);
    const values = allowedValues(nodes);
    const type = typeOf(nodes);
    if (!description && !values.length && !type && !connector.length) return null;
    return {
      pos: target.from,
      end: target.to,
      above: true,
      create() {
        const dom = document.createElement("div");
        dom.className = "schema-hover";
        const title = document.createElement("div");
        title.className = "schema-hover-title";
        title.textContent = `${path.length ? "/" + path.join("/") : "/"}${type ? `: ${type}` : ""}`;
        dom.append(title);
        if (description) {
          const p = document.createElement("div");
          p.className = "schema-hover-description";
          p.textContent = description;
          dom.append(p);
        }
        for (const line of connector) {
          const p = document.createElement("div");
          p.className = "schema-hover-connector";
          p.textContent = line;
          dom.append(p);
        }
        if (values.length) {
          const p = document.createElement("div");
          p.className = "schema-hover-values";
          p.textContent = `allowed: ${values.map((v) => JSON.stringify(v)).join(", ")}`;
          dom.append(p);
        }
        return { dom };
      },
    };
  });
}
