//! Per-environment parameters in fabric-cicd's `parameter.yml` format: `find_replace`
//! (`find_value`, `replace_value: {ENV: value}`, `is_regex`, `item_type` / `item_name` /
//! `file_path` filters) and `key_value_replace` (a JSONPath `find_key`), with the dynamic values
//! `$workspace.$id` and `$items.<type>.<name>.$<attribute>`. Other sections (`spark_pool`,
//! `semantic_model_binding`) concern other item types and are ignored.

use anyhow::{bail, Context as _};
use globset::{Glob, GlobMatcher};
use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The key of a value for every environment.
const ALL_ENVIRONMENTS: &str = "_ALL_";

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(v) => vec![v.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFindReplace {
    find_value: String,
    replace_value: BTreeMap<String, serde_yaml_ng::Value>,
    #[serde(default)]
    is_regex: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    item_type: Option<OneOrMany>,
    #[serde(default)]
    item_name: Option<OneOrMany>,
    #[serde(default)]
    file_path: Option<OneOrMany>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyValue {
    find_key: String,
    replace_value: BTreeMap<String, serde_yaml_ng::Value>,
    #[serde(default)]
    item_type: Option<OneOrMany>,
    #[serde(default)]
    item_name: Option<OneOrMany>,
    #[serde(default)]
    file_path: Option<OneOrMany>,
}

#[derive(Debug, Default, Deserialize)]
struct RawFile {
    #[serde(default)]
    find_replace: Vec<RawFindReplace>,
    #[serde(default)]
    key_value_replace: Vec<RawKeyValue>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_yaml_ng::Value>,
}

/// Which files an entry applies to.
#[derive(Debug, Clone, Default)]
struct Filters {
    item_type: Option<Vec<String>>,
    item_name: Option<Vec<String>>,
    file_path: Option<Vec<GlobMatcher>>,
}

impl Filters {
    fn new(
        item_type: Option<&OneOrMany>,
        item_name: Option<&OneOrMany>,
        file_path: Option<&OneOrMany>,
    ) -> anyhow::Result<Self> {
        let strings = |o: Option<&OneOrMany>| o.map(|o| o.values().into_iter().map(str::to_owned).collect());
        let file_path = match file_path {
            None => None,
            Some(paths) => Some(
                paths
                    .values()
                    .into_iter()
                    .map(|p| {
                        Glob::new(&p.replace('\\', "/"))
                            .map(|g| g.compile_matcher())
                            .with_context(|| format!("file_path `{p}` is not a valid path pattern"))
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?,
            ),
        };
        Ok(Filters { item_type: strings(item_type), item_name: strings(item_name), file_path })
    }

    fn matches(&self, file: &FileRef<'_>) -> bool {
        let listed = |list: &Option<Vec<String>>, value: &str| {
            list.as_ref().is_none_or(|l| l.iter().any(|v| v == value))
        };
        listed(&self.item_type, file.item_type)
            && listed(&self.item_name, file.item_name)
            && self.file_path.as_ref().is_none_or(|globs| {
                let absolute = file.absolute.to_string_lossy().replace('\\', "/");
                globs.iter().any(|g| g.is_match(&file.relative) || g.is_match(&absolute))
            })
    }
}

#[derive(Debug, Clone)]
enum Find {
    Text(String),
    Regex(Regex),
}

#[derive(Debug, Clone)]
struct FindReplace {
    find: Find,
    find_value: String,
    values: BTreeMap<String, serde_yaml_ng::Value>,
    filters: Filters,
}

#[derive(Debug, Clone)]
struct KeyValue {
    path: serde_json_path::JsonPath,
    find_key: String,
    values: BTreeMap<String, serde_yaml_ng::Value>,
    filters: Filters,
}

/// A loaded `parameter.yml`.
#[derive(Debug, Clone)]
pub struct Parameters {
    /// The file.
    pub path: PathBuf,
    /// The folder `file_path` filters are relative to (the file's own).
    root: PathBuf,
    find_replace: Vec<FindReplace>,
    key_value: Vec<KeyValue>,
    /// Sections this tool does not use.
    pub ignored_sections: Vec<String>,
}

/// The file a replacement is applied to.
#[derive(Debug, Clone)]
pub struct FileRef<'a> {
    pub item_type: &'a str,
    pub item_name: &'a str,
    /// Relative to the parameter file's folder, with `/`.
    pub relative: String,
    pub absolute: PathBuf,
}

/// A value the parameters find but cannot replace for the chosen environment: a placeholder
/// left in the definition.
#[derive(Debug, Clone)]
pub struct Unreplaced {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Where it is in the part's final text.
    pub needle: Needle,
}

/// How to find an [`Unreplaced`] value in the final text.
#[derive(Debug, Clone)]
pub enum Needle {
    Text(String),
    Regex(Regex),
    /// A JSON Pointer (from a `find_key`).
    Pointer(String),
}

/// Resolves a dynamic value (`$workspace.id`, `$items.Lakehouse.Sales.id`).
pub type Resolver<'r> = dyn FnMut(&str) -> anyhow::Result<String> + 'r;

impl Parameters {
    /// Reads and checks a parameter file.
    pub fn load(path: &Path) -> anyhow::Result<Parameters> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> anyhow::Result<Parameters> {
        let raw: RawFile = if text.trim().is_empty() {
            RawFile::default()
        } else {
            serde_yaml_ng::from_str(text)
                .with_context(|| format!("{} is not a valid parameter file", path.display()))?
        };
        let mut find_replace = Vec::new();
        for (i, entry) in raw.find_replace.iter().enumerate() {
            let at = || format!("{}: find_replace[{i}]", path.display());
            if entry.find_value.is_empty() {
                bail!("{}: find_value is empty", at());
            }
            let is_regex = match &entry.is_regex {
                None => false,
                Some(serde_yaml_ng::Value::Bool(b)) => *b,
                Some(serde_yaml_ng::Value::String(s)) => s.eq_ignore_ascii_case("true"),
                Some(_) => bail!("{}: is_regex must be true or false", at()),
            };
            let find = if is_regex {
                Find::Regex(
                    Regex::new(&entry.find_value)
                        .with_context(|| format!("{}: find_value is not a valid regex", at()))?,
                )
            } else {
                Find::Text(entry.find_value.clone())
            };
            let filters =
                Filters::new(entry.item_type.as_ref(), entry.item_name.as_ref(), entry.file_path.as_ref())
                    .with_context(at)?;
            find_replace.push(FindReplace {
                find,
                find_value: entry.find_value.clone(),
                values: entry.replace_value.clone(),
                filters,
            });
        }
        let mut key_value = Vec::new();
        for (i, entry) in raw.key_value_replace.iter().enumerate() {
            let at = || format!("{}: key_value_replace[{i}]", path.display());
            let json_path = serde_json_path::JsonPath::parse(&entry.find_key).map_err(|e| {
                anyhow::anyhow!("{}: find_key `{}` is not a JSONPath: {e}", at(), entry.find_key)
            })?;
            let filters =
                Filters::new(entry.item_type.as_ref(), entry.item_name.as_ref(), entry.file_path.as_ref())
                    .with_context(at)?;
            key_value.push(KeyValue {
                path: json_path,
                find_key: entry.find_key.clone(),
                values: entry.replace_value.clone(),
                filters,
            });
        }
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Parameters {
            path: path.to_path_buf(),
            root,
            find_replace,
            key_value,
            ignored_sections: raw.other.into_keys().collect(),
        })
    }

    /// The environments the file names.
    pub fn environments(&self) -> Vec<String> {
        let mut envs: Vec<String> = self
            .find_replace
            .iter()
            .flat_map(|e| e.values.keys())
            .chain(self.key_value.iter().flat_map(|e| e.values.keys()))
            .filter(|k| *k != ALL_ENVIRONMENTS)
            .cloned()
            .collect();
        envs.sort();
        envs.dedup();
        envs
    }

    /// Whether the file has any entry.
    pub fn is_empty(&self) -> bool {
        self.find_replace.is_empty() && self.key_value.is_empty()
    }

    /// `path` relative to the parameter file's folder, with `/`.
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }

    /// The problem of an entry (`find_value "…"`, `find_key "…"`) that has no replace_value for
    /// `env`, found where `needle` points.
    fn no_value(&self, env: &str, entry: String, needle: Needle) -> Unreplaced {
        Unreplaced {
            message: format!(
                "{entry} of {} has no replace_value for environment \"{env}\"",
                self.path.display()
            ),
            help: format!("add a value for {env} (or _ALL_) to its replace_value"),
            needle,
        }
    }

    /// Applies the entries for `env` to one file's text. Returns the new text and the problems:
    /// a value found with no replacement for `env` (a placeholder left for this environment).
    pub fn apply(
        &self,
        env: &str,
        file: &FileRef<'_>,
        text: &str,
        resolve: &mut Resolver<'_>,
    ) -> anyhow::Result<(String, Vec<Unreplaced>)> {
        let mut text = text.to_owned();
        let mut problems = Vec::new();
        // fabric-cicd applies key_value_replace first, then find_replace on its result.
        for entry in self.key_value.iter().filter(|e| e.filters.matches(file)) {
            let Ok(mut json) = serde_json::from_str::<Value>(&text) else { continue };
            let pointers: Vec<String> =
                entry.path.query_located(&json).locations().map(|l| l.to_json_pointer()).collect();
            if pointers.is_empty() {
                continue;
            }
            let Some(value) = value_for(&entry.values, env) else {
                let needle = Needle::Pointer(pointers[0].clone());
                problems.push(self.no_value(env, format!("find_key \"{}\"", entry.find_key), needle));
                continue;
            };
            let mut new = serde_json::to_value(value).context("a replace_value cannot be JSON")?;
            if let Value::String(s) = &new {
                new = Value::String(dynamic(s, resolve)?);
            }
            for pointer in &pointers {
                if let Some(slot) = json.pointer_mut(pointer) {
                    *slot = new.clone();
                }
            }
            text = serde_json::to_string_pretty(&json).context("cannot write the replaced JSON")?;
        }
        for entry in self.find_replace.iter().filter(|e| e.filters.matches(file)) {
            let found = match &entry.find {
                Find::Text(t) => text.contains(t.as_str()),
                Find::Regex(r) => r.is_match(&text),
            };
            if !found {
                continue;
            }
            let Some(value) = value_for(&entry.values, env) else {
                let needle = match &entry.find {
                    Find::Text(t) => Needle::Text(t.clone()),
                    Find::Regex(r) => Needle::Regex(r.clone()),
                };
                problems.push(self.no_value(env, format!("find_value \"{}\"", entry.find_value), needle));
                continue;
            };
            let replacement = match scalar(value) {
                Some(s) => dynamic(&s, resolve)?,
                None => bail!(
                    "{}: the replace_value of find_value \"{}\" for \"{env}\" must be a string",
                    self.path.display(),
                    entry.find_value
                ),
            };
            text = match &entry.find {
                Find::Text(t) => text.replace(t.as_str(), &replacement),
                Find::Regex(r) => replace_regex(r, &text, &replacement),
            };
        }
        Ok((text, problems))
    }
}

/// The value for an environment: its own key, the same key in another case, or `_ALL_`.
fn value_for<'v>(
    values: &'v BTreeMap<String, serde_yaml_ng::Value>,
    env: &str,
) -> Option<&'v serde_yaml_ng::Value> {
    values
        .get(env)
        .or_else(|| values.iter().find(|(k, _)| k.eq_ignore_ascii_case(env)).map(|(_, v)| v))
        .or_else(|| values.iter().find(|(k, _)| k.eq_ignore_ascii_case(ALL_ENVIRONMENTS)).map(|(_, v)| v))
}

fn scalar(value: &serde_yaml_ng::Value) -> Option<String> {
    match value {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `$workspace.id` and `$items.…` are resolved; anything else is literal.
fn dynamic(value: &str, resolve: &mut Resolver<'_>) -> anyhow::Result<String> {
    if value.starts_with("$workspace.") || value.starts_with("$items.") {
        resolve(value)
    } else {
        Ok(value.to_owned())
    }
}

/// A regex replacement: the first capture group when the pattern has one (as fabric-cicd
/// does), else the whole match.
fn replace_regex(re: &Regex, text: &str, replacement: &str) -> String {
    if re.captures_len() < 2 {
        return re.replace_all(text, regex::NoExpand(replacement)).into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in re.captures_iter(text) {
        if let Some(group) = caps.get(1) {
            out.push_str(&text[last..group.start()]);
            out.push_str(replacement);
            last = group.end();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A dynamic value's parts: `$items.<type>.<name>.$<attribute>` → (type, name, attribute). The
/// attribute's `$` is optional (fabric-cicd's legacy form `.id`) and not returned.
pub fn parse_item_reference(value: &str) -> Option<(&str, &str, &str)> {
    let rest = value.strip_prefix("$items.")?;
    let (item_type, rest) = rest.split_once('.')?;
    let (name, attribute) = rest.rsplit_once('.')?;
    let attribute = attribute.strip_prefix('$').unwrap_or(attribute);
    (!item_type.is_empty() && !name.is_empty() && !attribute.is_empty())
        .then_some((item_type, name, attribute))
}

/// The values `$workspace.…` may take (fabric-cicd's `$workspace.$id` and its legacy form).
pub const WORKSPACE_ID: &[&str] = &["$workspace.$id", "$workspace.id"];

/// Where an item attribute is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemAttribute {
    /// The item's id, from the workspace's item list.
    Id,
    /// A property of the item's type-specific GET (`/workspaces/{ws}/{collection}/{id}`).
    Property { collection: &'static str, pointer: &'static str },
}

/// fabric-cicd's item attributes besides `id`: (attribute, item type, the type's collection in
/// the REST API, the JSON Pointer of the value in its GET answer). From fabric-cicd 1.4.0's
/// `PROPERTY_PATH_ATTR_MAPPING` and the Fabric REST API's item properties.
const ITEM_PROPERTIES: &[(&str, &str, &str, &str)] = &[
    ("sqlendpoint", "Lakehouse", "lakehouses", "/properties/sqlEndpointProperties/connectionString"),
    (
        "sqlendpoint",
        "MirroredDatabase",
        "mirroredDatabases",
        "/properties/sqlEndpointProperties/connectionString",
    ),
    ("sqlendpoint", "SQLDatabase", "sqlDatabases", "/properties/serverFqdn"),
    ("sqlendpoint", "Warehouse", "warehouses", "/properties/connectionString"),
    ("sqlendpointid", "Lakehouse", "lakehouses", "/properties/sqlEndpointProperties/id"),
    ("sqlendpointid", "MirroredDatabase", "mirroredDatabases", "/properties/sqlEndpointProperties/id"),
    ("queryserviceuri", "Eventhouse", "eventhouses", "/properties/queryServiceUri"),
];

/// Where `$items.<item_type>.<name>.$<attribute>` is read from; an error names the attributes
/// the item type has.
pub fn item_attribute(item_type: &str, attribute: &str) -> Result<ItemAttribute, String> {
    if attribute == "id" {
        return Ok(ItemAttribute::Id);
    }
    if let Some((_, _, collection, pointer)) =
        ITEM_PROPERTIES.iter().find(|(a, t, _, _)| *a == attribute && *t == item_type)
    {
        return Ok(ItemAttribute::Property { collection, pointer });
    }
    let mut names = vec!["$id".to_owned()];
    for (a, t, _, _) in ITEM_PROPERTIES {
        if *t == item_type {
            names.push(format!("${a}"));
        }
    }
    let known = ITEM_PROPERTIES.iter().any(|(a, ..)| *a == attribute);
    let mut message = if known {
        format!("a {item_type} has no `${attribute}`")
    } else {
        format!("`${attribute}` is not an item attribute")
    };
    message.push_str(&format!("; a {item_type} has {}", names.join(", ")));
    if known {
        let types: Vec<&str> =
            ITEM_PROPERTIES.iter().filter(|(a, ..)| *a == attribute).map(|(_, t, _, _)| *t).collect();
        message.push_str(&format!(" (`${attribute}`: {})", types.join(", ")));
    } else {
        message.push_str(" (attributes: $id, $sqlendpoint, $sqlendpointid, $queryserviceuri)");
    }
    Err(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(name: &'a str, relative: &str) -> FileRef<'a> {
        FileRef {
            item_type: "CopyJob",
            item_name: name,
            relative: relative.to_owned(),
            absolute: PathBuf::from("/r").join(relative),
        }
    }

    fn no_dynamic(v: &str) -> anyhow::Result<String> {
        Ok(format!("<{v}>"))
    }

    #[test]
    fn find_replace_with_filters_regex_and_all() {
        let p = Parameters::parse(
            r#"
find_replace:
  - find_value: "dev-conn"
    replace_value: { PPE: "ppe-conn", PROD: "prod-conn" }
    item_type: CopyJob
  - find_value: "only-sales"
    replace_value: { _ALL_: "everywhere" }
    item_name: ["Sales copy"]
  - find_value: '"schema": "(dev)_\w+"'
    replace_value: { PROD: "prod" }
    is_regex: "true"
    file_path: "**/copyjob-content.json"
spark_pool: []
"#,
            Path::new("/r/parameter.yml"),
        )
        .expect("parse");
        assert_eq!(p.environments(), ["PPE", "PROD"]);
        assert_eq!(p.ignored_sections, ["spark_pool"]);
        let text = r#"{"c": "dev-conn", "s": "only-sales", "schema": "dev_sales"}"#;
        let (out, problems) = p
            .apply("PROD", &file("Sales copy", "Sales.CopyJob/copyjob-content.json"), text, &mut no_dynamic)
            .expect("apply");
        assert_eq!(out, r#"{"c": "prod-conn", "s": "everywhere", "schema": "prod_sales"}"#);
        assert!(problems.is_empty());
        let (out, problems) = p
            .apply("ppe", &file("Other", "Other.CopyJob/copyjob-content.json"), text, &mut no_dynamic)
            .expect("apply");
        assert_eq!(out, r#"{"c": "ppe-conn", "s": "only-sales", "schema": "dev_sales"}"#);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("has no replace_value for environment \"ppe\""), "{problems:?}");
    }

    #[test]
    fn key_value_replace_and_dynamic_values() {
        let p = Parameters::parse(
            r#"
key_value_replace:
  - find_key: $.activities[*].properties.destination.connectionSettings.typeProperties.workspaceId
    replace_value: { TEST: "$workspace.id" }
  - find_key: $.properties.jobMode
    replace_value: { TEST: "CDC" }
"#,
            Path::new("/r/parameter.yml"),
        )
        .expect("parse");
        let text = r#"{"properties": {"jobMode": "Batch"}, "activities": [{"properties": {"destination": {"connectionSettings": {"typeProperties": {"workspaceId": "x"}}}}}]}"#;
        let (out, problems) = p
            .apply("TEST", &file("A", "A.CopyJob/copyjob-content.json"), text, &mut no_dynamic)
            .expect("apply");
        assert!(problems.is_empty());
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["properties"]["jobMode"], "CDC");
        assert_eq!(
            v.pointer("/activities/0/properties/destination/connectionSettings/typeProperties/workspaceId"),
            Some(&Value::from("<$workspace.id>"))
        );
    }

    #[test]
    fn key_value_replace_runs_before_find_replace_as_in_fabric_cicd() {
        // A value key_value_replace writes is then seen by find_replace (fabric-cicd 1.4.0's
        // `_replace_parameters` order).
        let p = Parameters::parse(
            r#"
find_replace:
  - find_value: "0.05:00:00"
    replace_value: { TEST: "0.06:00:00" }
key_value_replace:
  - find_key: $.properties.policy.timeout
    replace_value: { TEST: "0.05:00:00" }
"#,
            Path::new("/r/parameter.yml"),
        )
        .expect("parse");
        let text = r#"{"properties": {"policy": {"timeout": "0.01:00:00"}}}"#;
        let (out, problems) = p
            .apply("TEST", &file("A", "A.CopyJob/copyjob-content.json"), text, &mut no_dynamic)
            .expect("apply");
        assert!(problems.is_empty());
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["properties"]["policy"]["timeout"], "0.06:00:00");
    }

    #[test]
    fn item_references() {
        assert_eq!(
            parse_item_reference("$items.Lakehouse.Sales.Lake.id"),
            Some(("Lakehouse", "Sales.Lake", "id"))
        );
        assert_eq!(parse_item_reference("$items.Lakehouse"), None);
        assert_eq!(
            parse_item_reference("$items.CopyJob.Sales copy.$id"),
            Some(("CopyJob", "Sales copy", "id"))
        );
        assert_eq!(parse_item_reference("$items.CopyJob.Sales copy.$"), None);
    }

    #[test]
    fn item_attributes_as_fabric_cicd_has_them() {
        assert_eq!(item_attribute("CopyJob", "id"), Ok(ItemAttribute::Id));
        assert_eq!(
            item_attribute("Lakehouse", "sqlendpointid"),
            Ok(ItemAttribute::Property {
                collection: "lakehouses",
                pointer: "/properties/sqlEndpointProperties/id"
            })
        );
        assert_eq!(
            item_attribute("Warehouse", "sqlendpoint"),
            Ok(ItemAttribute::Property { collection: "warehouses", pointer: "/properties/connectionString" })
        );
        assert_eq!(
            item_attribute("Eventhouse", "queryserviceuri"),
            Ok(ItemAttribute::Property { collection: "eventhouses", pointer: "/properties/queryServiceUri" })
        );
        assert_eq!(
            item_attribute("CopyJob", "sqlendpoint").expect_err("a CopyJob has no SQL endpoint"),
            "a CopyJob has no `$sqlendpoint`; a CopyJob has $id \
             (`$sqlendpoint`: Lakehouse, MirroredDatabase, SQLDatabase, Warehouse)"
        );
        assert_eq!(
            item_attribute("Lakehouse", "name").expect_err("not an attribute"),
            "`$name` is not an item attribute; a Lakehouse has $id, $sqlendpoint, $sqlendpointid \
             (attributes: $id, $sqlendpoint, $sqlendpointid, $queryserviceuri)"
        );
        // Attributes are lowercase, as in fabric-cicd.
        assert!(item_attribute("Lakehouse", "SqlEndpoint").is_err());
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(Parameters::parse("find_replace: [{find_value: x}]", Path::new("p.yml")).is_err());
        assert!(Parameters::parse(
            "find_replace: [{find_value: '(', replace_value: {A: b}, is_regex: true}]",
            Path::new("p.yml")
        )
        .is_err());
        assert!(Parameters::parse(
            "key_value_replace: [{find_key: 'nope', replace_value: {A: b}}]",
            Path::new("p.yml")
        )
        .is_err());
    }
}
