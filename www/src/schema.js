// Schema-driven completion and hover for CodeMirror, from the JSON Schemas the WASM package
// ships (`schemas()`): property names with their descriptions, enum / const / boolean values,
// and a hover card with a field's type, description and allowed values. Only `$ref` (local and
// between our schemas by `$id`), `allOf` / `anyOf` / `oneOf`, `if` / `then` / `else`,
// `properties`, `patternProperties`, `additionalProperties`, `items` and `prefixItems` are needed.
import { syntaxTree } from "@codemirror/language";
import { hoverTooltip } from "@codemirror/view";

const PUNCTUATION = new Set(["{", "}", "[", "]", ",", ":", "⚠"]);

export class SchemaSet {
  /** @param {{name: string, uri: string, schema: object}[]} list */
  constructor(list) {
    this.byUri = new Map(list.map((s) => [s.uri, s.schema]));
    this.byName = new Map(list.map((s) => [s.name, s.schema]));
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
      const nodes = schemas.child(schemas.at(root, pathOf(property.parent ?? property, state)), parseKey(state.sliceDoc(name.from, name.to)));
      return valueOptions(schemas.expand(nodes), pos, pos);
    } else {
      return null;
    }
    return valueOptions(schemas.at(root, pathOf(valueNode, state)), from, to);
  };
}

function valueOptions(nodes, from, to) {
  const options = allowedValues(nodes).map((v) => ({ label: JSON.stringify(v), type: "enum", info: describe(nodes) || undefined }));
  const types = typeOf(nodes);
  if (types.includes("boolean")) options.push({ label: "true", type: "keyword" }, { label: "false", type: "keyword" });
  if (!options.length) return null;
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
    if (!nodes.length) return null;
    const description = describe(nodes);
    const values = allowedValues(nodes);
    const type = typeOf(nodes);
    if (!description && !values.length && !type) return null;
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
