//! The connector catalog: the connectors a Copy job reads and writes, their capabilities, and the
//! type strings `copyjob-content.json` uses for them.
//!
//! The catalog is data (`data/connectors.json`, embedded): every name carries the evidence it
//! rests on (the keys of [`Catalog::sources`]: Microsoft's docs, real exports, third-party
//! definitions, or inference from the Data Factory names), and each connector's capabilities come
//! from Microsoft's Copy job connector table. A name missing from the catalog is unknown, not
//! wrong: the rules built on it are warnings and infos. `docs/connectors.md` is generated from it.

use crate::json::{get_path, ValueRef};
use crate::suggest::{suggest, Bound};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// The catalog's source text (JSON), as embedded.
pub const CATALOG_JSON: &str = include_str!("../data/connectors.json");

/// Whether a connector supports something, as its evidence says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Support {
    /// Supported.
    #[serde(rename = "yes")]
    Yes,
    /// Not supported.
    #[serde(rename = "no")]
    No,
    /// Does not apply (merging rows into files, for instance).
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Not known.
    #[serde(rename = "unknown")]
    Unknown,
}

impl Support {
    /// Whether the evidence says it is not supported (no, or not applicable).
    pub fn is_unsupported(self) -> bool {
        matches!(self, Support::No | Support::NotApplicable)
    }

    /// The word the docs use.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Yes => "yes",
            Support::No => "no",
            Support::NotApplicable => "n/a",
            Support::Unknown => "unknown",
        }
    }
}

/// A type string and the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    /// The string, exactly as `copyjob-content.json` spells it.
    pub name: String,
    /// Keys of [`Catalog::sources`].
    pub evidence: Vec<String>,
}

/// What a connector can do in a Copy job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Read as a source.
    pub source: Support,
    /// Written as a destination.
    pub destination: Support,
    /// Read - Full load.
    pub full_load: Support,
    /// Read - Incremental load (watermark based).
    pub watermark: Support,
    /// Read - CDC.
    pub cdc: Support,
    /// Write - Append.
    pub append: Support,
    /// Write - Override (`writeBehavior: "Overwrite"`).
    pub overwrite: Support,
    /// Write - Upsert (`writeBehavior: "Upsert"`).
    pub upsert: Support,
    /// Write - (CDC) Merge (`writeBehavior: "Merge"`).
    pub merge: Support,
}

/// One connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connector {
    /// The connector's name.
    pub name: String,
    /// Its row in Microsoft's connector table, when it has one.
    pub table_name: Option<String>,
    /// `connectionSettings.type` values (the first is the preferred one).
    pub connection_types: Vec<Name>,
    /// `properties.source.type` / `properties.destination.type` values for tables and objects.
    pub dataset_types: Vec<Name>,
    /// Whether it stores files: the file formats ([`Catalog::formats`]) are its dataset types.
    pub files: bool,
    /// `datasetSettings.location.type` values.
    pub location_types: Vec<Name>,
    /// `storeSettings.type` values.
    pub store_settings_types: Vec<Name>,
    /// What it can do.
    pub capabilities: Capabilities,
    /// Keys of [`Catalog::sources`] the capabilities rest on.
    pub capability_evidence: Vec<String>,
    /// A remark on the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A file format: a dataset type of the file connectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Format {
    /// The dataset type (`DelimitedText`, `Parquet`, ...).
    pub name: String,
    /// Keys of [`Catalog::sources`].
    pub evidence: Vec<String>,
    /// Whether a source can read it.
    pub reads: bool,
    /// Whether a destination can write it.
    pub writes: bool,
    /// `formatSettings.type` values.
    pub format_settings_types: Vec<Name>,
}

/// Where evidence comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// `docs` (Microsoft's documentation), `real` (exports of working jobs), `third-party`
    /// (definitions others deploy), `inferred`.
    pub kind: String,
    /// What it is.
    pub title: String,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The version read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    /// The evidence, by key.
    pub sources: BTreeMap<String, Source>,
    /// The file formats.
    pub formats: Vec<Format>,
    /// The connectors.
    pub connectors: Vec<Connector>,
    /// Every name of each kind, in catalog order, and as a set: built on first use.
    #[serde(skip)]
    index: OnceLock<Vec<(Vec<String>, HashSet<String>)>>,
    /// The connectors of each connection type, in catalog order: built on first use (several
    /// rules look up both endpoints of every checked document).
    #[serde(skip)]
    by_connection: OnceLock<HashMap<String, Vec<usize>>>,
}

const KINDS: [TypeKind; 5] = [
    TypeKind::Dataset,
    TypeKind::Connection,
    TypeKind::Location,
    TypeKind::StoreSettings,
    TypeKind::FormatSettings,
];

/// Which `type` field a string is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `properties.source.type` / `properties.destination.type`.
    Dataset,
    /// `connectionSettings.type`.
    Connection,
    /// `datasetSettings.location.type`.
    Location,
    /// `storeSettings.type`.
    StoreSettings,
    /// `formatSettings.type`.
    FormatSettings,
}

impl TypeKind {
    /// How the docs and messages name it.
    pub fn label(self) -> &'static str {
        match self {
            TypeKind::Dataset => "dataset type",
            TypeKind::Connection => "connection type",
            TypeKind::Location => "location type",
            TypeKind::StoreSettings => "store settings type",
            TypeKind::FormatSettings => "format settings type",
        }
    }
}

/// Names people write for a connector that are not its type strings, and the right ones: the
/// connection type, then the dataset type.
const ALIASES: &[(&str, &str, Option<&str>)] = &[
    ("sql", "AzureSqlDatabase", Some("AzureSqlTable")),
    ("azuresql", "AzureSqlDatabase", Some("AzureSqlTable")),
    ("sqldatabase", "AzureSqlDatabase", Some("AzureSqlTable")),
    ("sqltable", "AzureSqlDatabase", Some("AzureSqlTable")),
    ("azuresqldb", "AzureSqlDatabase", Some("AzureSqlTable")),
    ("warehouse", "DataWarehouse", Some("DataWarehouseTable")),
    ("warehousetable", "DataWarehouse", Some("DataWarehouseTable")),
    ("fabricwarehouse", "DataWarehouse", Some("DataWarehouseTable")),
    ("fabriclakehouse", "Lakehouse", Some("LakehouseTable")),
    ("onelake", "Lakehouse", Some("LakehouseTable")),
    ("blob", "AzureBlobStorage", None),
    ("azureblob", "AzureBlobStorage", None),
    ("blobstorage", "AzureBlobStorage", None),
    ("adls", "AzureBlobFS", None),
    ("adlsgen2", "AzureBlobFS", None),
    ("azuredatalakestoragegen2", "AzureBlobFS", None),
    ("datalake", "AzureBlobFS", None),
    ("s3", "AmazonS3", None),
    ("postgres", "PostgreSql", Some("PostgreSqlTable")),
    ("postgresql", "PostgreSql", Some("PostgreSqlTable")),
    ("synapse", "AzureSqlDW", Some("AzureSqlDWTable")),
    ("sqlmi", "AzureSqlMI", Some("AzureSqlMITable")),
    ("sqlserver", "SqlServer", Some("SqlServerTable")),
    ("csv", "", Some("DelimitedText")),
    ("text", "", Some("DelimitedText")),
    ("delimited", "", Some("DelimitedText")),
];

/// The embedded catalog, parsed once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str(CATALOG_JSON).unwrap_or(Catalog {
            sources: BTreeMap::new(),
            formats: Vec::new(),
            connectors: Vec::new(),
            index: OnceLock::new(),
            by_connection: OnceLock::new(),
        })
    })
}

impl Connector {
    /// Whether `name` is one of its connection types.
    pub fn has_connection_type(&self, name: &str) -> bool {
        self.connection_types.iter().any(|n| n.name == name)
    }

    /// Whether `name` is one of its dataset types (a file format, for a file connector).
    pub fn has_dataset_type(&self, name: &str) -> bool {
        self.dataset_types.iter().any(|n| n.name == name)
            || (self.files && catalog().formats.iter().any(|f| f.name == name))
    }

    /// The preferred connection type.
    pub fn connection_type(&self) -> &str {
        self.connection_types.first().map(|n| n.name.as_str()).unwrap_or_default()
    }

    /// Its dataset types, the file formats included for a file connector.
    pub fn all_dataset_types(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.dataset_types.iter().map(|n| n.name.as_str()).collect();
        if self.files {
            out.extend(catalog().formats.iter().map(|f| f.name.as_str()));
        }
        out
    }

    /// The one-line summary of its capabilities shown in hovers and messages.
    pub fn capability_summary(&self) -> String {
        let c = &self.capabilities;
        let mut parts = Vec::new();
        let role = match (c.source, c.destination) {
            (Support::Yes, Support::Yes) => "source and destination",
            (Support::Yes, Support::Unknown) => "source; destination unknown",
            (Support::Yes, _) => "source only",
            (Support::Unknown, Support::Yes) => "destination; source unknown",
            (_, Support::Yes) => "destination only",
            _ => "source/destination unknown",
        };
        parts.push(role.to_owned());
        let reads: Vec<&str> =
            [("full", c.full_load), ("watermark incremental", c.watermark), ("CDC", c.cdc)]
                .into_iter()
                .filter(|(_, s)| *s == Support::Yes)
                .map(|(n, _)| n)
                .collect();
        if c.source == Support::Yes {
            parts.push(format!(
                "reads: {}",
                if reads.is_empty() { "unknown".to_owned() } else { reads.join(", ") }
            ));
        }
        let writes: Vec<&str> =
            [("Append", c.append), ("Overwrite", c.overwrite), ("Upsert", c.upsert), ("Merge", c.merge)]
                .into_iter()
                .filter(|(_, s)| *s == Support::Yes)
                .map(|(n, _)| n)
                .collect();
        if c.destination == Support::Yes {
            parts.push(format!(
                "writes: {}",
                if writes.is_empty() { "unknown".to_owned() } else { writes.join(", ") }
            ));
        }
        parts.join("; ")
    }
}

impl Catalog {
    /// The connectors with a connection type.
    pub fn by_connection_type<'c>(&'c self, name: &str) -> Vec<&'c Connector> {
        let index = self.by_connection.get_or_init(|| {
            let mut index: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, c) in self.connectors.iter().enumerate() {
                for n in &c.connection_types {
                    let list = index.entry(n.name.clone()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            index
        });
        index.get(name).map_or_else(Vec::new, |list| list.iter().map(|&i| &self.connectors[i]).collect())
    }

    /// The connector a `connectionSettings.type` and dataset type name: among those with the
    /// connection type, the one the dataset type belongs to (Lakehouse tables or files), else
    /// the first.
    pub fn connector<'c>(
        &'c self,
        connection_type: &str,
        dataset_type: Option<&str>,
    ) -> Option<&'c Connector> {
        let candidates = self.by_connection_type(connection_type);
        dataset_type
            .and_then(|d| candidates.iter().copied().find(|c| c.has_dataset_type(d)))
            .or_else(|| candidates.first().copied())
    }

    /// The connectors a dataset type belongs to.
    pub fn by_dataset_type<'c>(&'c self, name: &str) -> Vec<&'c Connector> {
        self.connectors.iter().filter(|c| c.dataset_types.iter().any(|n| n.name == name)).collect()
    }

    /// The file format with a dataset type.
    pub fn format(&self, name: &str) -> Option<&Format> {
        self.formats.iter().find(|f| f.name == name)
    }

    fn index(&self, kind: TypeKind) -> &(Vec<String>, HashSet<String>) {
        let index = self.index.get_or_init(|| {
            KINDS
                .iter()
                .map(|k| {
                    let list: Vec<String> = self.collect_names(*k).into_iter().map(str::to_owned).collect();
                    let set = list.iter().cloned().collect();
                    (list, set)
                })
                .collect()
        });
        let i = KINDS.iter().position(|k| *k == kind).unwrap_or_default();
        &index[i]
    }

    /// Every known string of a kind, in catalog order, without repeats.
    pub fn names(&self, kind: TypeKind) -> Vec<&str> {
        self.index(kind).0.iter().map(String::as_str).collect()
    }

    fn collect_names(&self, kind: TypeKind) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match kind {
            TypeKind::Dataset => {
                for c in &self.connectors {
                    out.extend(c.dataset_types.iter().map(|n| n.name.as_str()));
                }
                out.extend(self.formats.iter().map(|f| f.name.as_str()));
            }
            TypeKind::Connection => {
                for c in &self.connectors {
                    out.extend(c.connection_types.iter().map(|n| n.name.as_str()));
                }
            }
            TypeKind::Location => {
                for c in &self.connectors {
                    out.extend(c.location_types.iter().map(|n| n.name.as_str()));
                }
            }
            TypeKind::StoreSettings => {
                for c in &self.connectors {
                    out.extend(c.store_settings_types.iter().map(|n| n.name.as_str()));
                }
            }
            TypeKind::FormatSettings => {
                for f in &self.formats {
                    out.extend(f.format_settings_types.iter().map(|n| n.name.as_str()));
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        out.retain(|s| seen.insert(*s));
        out
    }

    /// Whether a string of a kind is in the catalog.
    pub fn knows(&self, kind: TypeKind, name: &str) -> bool {
        self.index(kind).1.contains(name)
    }

    /// Among a connector's own strings (`candidates`), the one an unknown `value` most likely
    /// means: the closest, when at most half of it differs.
    pub fn suggest_among<'n>(&self, value: &str, candidates: &[&'n str]) -> Option<&'n str> {
        suggest(value, candidates.iter().copied(), |word, candidate| word.max(candidate) / 2)
    }

    /// The catalog's string an unknown `value` of a kind most likely means: the same letters in
    /// another case, a known alias (`Warehouse` → `DataWarehouse`, `SQL` → `AzureSqlDatabase`),
    /// a string of the other kind (`LakehouseTable` as a connection type → `Lakehouse`), a close
    /// spelling, or the one known string containing it (`WarehouseTable` → `DataWarehouseTable`).
    pub fn suggest(&self, kind: TypeKind, value: &str) -> Option<String> {
        let names = self.names(kind);
        if names.contains(&value) {
            return None;
        }
        let lower = value.to_lowercase();
        if let Some(n) = names.iter().find(|n| n.to_lowercase() == lower) {
            return Some((*n).to_owned());
        }
        let squashed: String = lower.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        if let Some((_, connection, dataset)) = ALIASES.iter().find(|(alias, _, _)| *alias == squashed) {
            let pick = match kind {
                TypeKind::Connection => Some(*connection).filter(|c| !c.is_empty()),
                TypeKind::Dataset => *dataset,
                _ => None,
            };
            if let Some(p) = pick {
                return Some(p.to_owned());
            }
        }
        match kind {
            TypeKind::Connection => {
                if let Some(c) = self.by_dataset_type(value).first() {
                    return Some(c.connection_type().to_owned());
                }
            }
            TypeKind::Dataset => {
                if let Some(c) = self.by_connection_type(value).first() {
                    if let Some(d) = c.dataset_types.first() {
                        return Some(d.name.clone());
                    }
                }
            }
            _ => {}
        }
        let by_length: Bound = |word, _| match word {
            0..=3 => 0,
            4..=7 => 1,
            8..=12 => 2,
            _ => 3,
        };
        if let Some(n) = suggest(value, names.iter().copied(), by_length) {
            return Some(n.to_owned());
        }
        if squashed.len() >= 4 {
            let containing: Vec<&&str> =
                names.iter().filter(|n| n.to_lowercase().contains(&squashed)).collect();
            if let Some(n) = containing.iter().min_by_key(|n| n.len()) {
                return Some((**n).to_owned());
            }
        }
        None
    }
}

/// A job's source or destination (`properties.source` / `properties.destination`) as the
/// catalog sees it.
#[derive(Debug, Clone)]
pub struct Endpoint<'v> {
    /// `source` or `destination`.
    pub role: &'static str,
    /// Its JSON Pointer.
    pub pointer: &'static str,
    /// Its dataset `type`.
    pub dataset_type: Option<&'v str>,
    /// Its `connectionSettings.type`.
    pub connection_type: Option<&'v str>,
    /// The catalog's connector for the connection type (and dataset type), when known.
    pub connector: Option<&'static Connector>,
}

impl Endpoint<'_> {
    /// The key under an activity's `properties` for this role.
    pub fn activity_key(&self) -> &'static str {
        self.role
    }
}

/// The job's source and destination, when present.
pub fn endpoints(content: ValueRef<'_>) -> Vec<Endpoint<'_>> {
    [("source", "/properties/source"), ("destination", "/properties/destination")]
        .into_iter()
        .filter_map(|(role, pointer)| {
            let v = content.at(pointer)?;
            let dataset_type = v.member("type").and_then(ValueRef::as_str);
            let connection_type = get_path(v, &["connectionSettings", "type"]).and_then(ValueRef::as_str);
            let connector = connection_type.and_then(|c| catalog().connector(c, dataset_type));
            Some(Endpoint { role, pointer, dataset_type, connection_type, connector })
        })
        .collect()
}

/// A `type` string in a definition, where it is and what kind it is.
#[derive(Debug, Clone)]
pub struct TypeField<'v> {
    /// The JSON Pointer of the string.
    pub pointer: String,
    /// Which field it is.
    pub kind: TypeKind,
    /// The string.
    pub value: &'v str,
    /// `source` or `destination`.
    pub role: &'static str,
}

/// Every connector `type` string of a `copyjob-content.json`: the job's dataset and connection
/// types, and each activity's location, store settings and format settings types.
pub fn type_fields(content: ValueRef<'_>) -> Vec<TypeField<'_>> {
    // Looks each place up from its endpoint by its keys (no pointer parsed, no allocation) and
    // writes a pointer only for a string that is there: most places are absent, and this runs
    // for every activity.
    fn at<'v>(endpoint: Option<ValueRef<'v>>, keys: &[&str]) -> Option<&'v str> {
        endpoint.and_then(|e| crate::json::get_path(e, keys)).and_then(ValueRef::as_str)
    }
    let mut out = Vec::new();
    let job = content.member("properties");
    for role in ["source", "destination"] {
        let endpoint = job.and_then(|p| p.member(role));
        for (keys, kind) in
            [(&["type"][..], TypeKind::Dataset), (&["connectionSettings", "type"][..], TypeKind::Connection)]
        {
            if let Some(value) = at(endpoint, keys) {
                out.push(TypeField {
                    pointer: format!("/properties/{role}/{}", keys.join("/")),
                    kind,
                    value,
                    role,
                });
            }
        }
    }
    let activities = content.member("activities").and_then(ValueRef::as_array);
    for (i, activity) in activities.into_iter().flatten().enumerate() {
        let properties = activity.member("properties");
        for role in ["source", "destination"] {
            let endpoint = properties.and_then(|p| p.member(role));
            for (keys, kind) in [
                (&["datasetSettings", "location", "type"][..], TypeKind::Location),
                (&["storeSettings", "type"][..], TypeKind::StoreSettings),
                (&["formatSettings", "type"][..], TypeKind::FormatSettings),
            ] {
                if let Some(value) = at(endpoint, keys) {
                    let pointer = format!("/activities/{i}/properties/{role}/{}", keys.join("/"));
                    out.push(TypeField { pointer, kind, value, role });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses_and_every_evidence_key_exists() {
        let c = catalog();
        assert!(c.connectors.len() > 50, "{}", c.connectors.len());
        let keys = |names: &[Name]| names.iter().flat_map(|n| n.evidence.clone()).collect::<Vec<_>>();
        for conn in &c.connectors {
            let mut all = keys(&conn.connection_types);
            all.extend(keys(&conn.dataset_types));
            all.extend(keys(&conn.location_types));
            all.extend(keys(&conn.store_settings_types));
            all.extend(conn.capability_evidence.clone());
            if conn.connection_types.is_empty() {
                // A connector in Microsoft's table whose type strings nothing names yet: listed
                // for its capabilities, and its note must say so.
                assert!(conn.dataset_types.is_empty() && !conn.files, "{}", conn.name);
                assert!(conn.note.as_deref().is_some_and(|n| n.contains("type strings")), "{}", conn.name);
            } else {
                assert!(conn.files || !conn.dataset_types.is_empty(), "{}", conn.name);
            }
            for k in all {
                assert!(c.sources.contains_key(&k), "{}: unknown evidence {k}", conn.name);
            }
        }
    }

    #[test]
    fn capabilities_follow_the_current_connector_tables() {
        let c = catalog();
        let caps = |name: &str| {
            c.connectors
                .iter()
                .find(|x| x.name == name)
                .map(|x| x.capabilities)
                .unwrap_or_else(|| panic!("{name}"))
        };
        let bq = caps("Google BigQuery");
        assert_eq!(
            (bq.destination, bq.watermark, bq.cdc, bq.append),
            (Support::Yes, Support::Yes, Support::Yes, Support::Yes)
        );
        for name in ["MySQL", "PostgreSQL"] {
            assert_eq!((caps(name).destination, caps(name).append), (Support::Yes, Support::Yes), "{name}");
        }
        let warehouse = caps("Fabric Warehouse");
        assert_eq!(
            (warehouse.upsert, warehouse.merge, warehouse.overwrite),
            (Support::Yes, Support::Yes, Support::No)
        );
        assert_eq!((caps("Oracle").cdc, caps("Snowflake").cdc), (Support::Yes, Support::Yes));
        for name in [
            "Azure Data Explorer",
            "Azure Files",
            "File system",
            "Amazon RDS for Oracle",
            "Amazon RDS for SQL Server",
            "SharePoint Online list",
        ] {
            assert_eq!(caps(name).watermark, Support::Yes, "{name}");
        }
        let fabric_sql = caps("SQL database in Fabric");
        assert_eq!(
            (fabric_sql.source, fabric_sql.destination, fabric_sql.merge),
            (Support::Unknown, Support::Yes, Support::Yes)
        );
        assert_eq!(caps("IBM Db2").destination, Support::No);
        assert_eq!(caps("Amazon Redshift").source, Support::Unknown);
        assert_eq!(caps("Teradata").watermark, Support::Yes);
        assert_eq!(caps("SAP Datasphere Outbound for AWS S3").cdc, Support::Yes);
        let table_names: Vec<_> = c.connectors.iter().filter_map(|x| x.table_name.as_deref()).collect();
        assert!(table_names.contains(&"MongoDB") && !table_names.contains(&"Mongo DB"));
        assert_eq!(c.connector("Teradata", None).map(|x| x.name.as_str()), Some("Teradata"));
        assert_eq!(
            c.connector("AzureDatabricksDeltaLake", None).map(|x| x.name.as_str()),
            Some("Azure Databricks")
        );
        assert_eq!(c.connector("AmazonRedshift", None).map(|x| x.name.as_str()), Some("Amazon Redshift"));
    }

    #[test]
    fn a_summary_does_not_call_an_unknown_role_unsupported() {
        let c = catalog();
        let summary =
            |name: &str| c.connectors.iter().find(|x| x.name == name).map(|x| x.capability_summary());
        assert_eq!(
            summary("SAP Datasphere Outbound for AWS S3").as_deref(),
            Some("source; destination unknown; reads: CDC")
        );
        assert_eq!(
            summary("SQL database in Fabric").as_deref(),
            Some("destination; source unknown; writes: Merge")
        );
        assert_eq!(summary("Cassandra").as_deref(), Some("source only; reads: full"));
    }

    #[test]
    fn every_source_is_cited_or_says_it_is_not() {
        for (key, s) in &catalog().sources {
            assert!(
                s.url.is_some() || s.title.contains("not cited here"),
                "{key}: no URL, and the title does not say the source is uncited"
            );
        }
    }

    #[test]
    fn suggestions() {
        let c = catalog();
        let s = |k, v| c.suggest(k, v);
        assert_eq!(s(TypeKind::Connection, "Warehouse").as_deref(), Some("DataWarehouse"));
        assert_eq!(s(TypeKind::Dataset, "WarehouseTable").as_deref(), Some("DataWarehouseTable"));
        assert_eq!(s(TypeKind::Connection, "SQL").as_deref(), Some("AzureSqlDatabase"));
        assert_eq!(s(TypeKind::Dataset, "SQL").as_deref(), Some("AzureSqlTable"));
        assert_eq!(s(TypeKind::Connection, "LakehouseTable").as_deref(), Some("Lakehouse"));
        assert_eq!(s(TypeKind::Dataset, "Oracle").as_deref(), Some("OracleTable"));
        assert_eq!(s(TypeKind::Dataset, "parquet").as_deref(), Some("Parquet"));
        assert_eq!(s(TypeKind::Dataset, "LakehousTable").as_deref(), Some("LakehouseTable"));
        assert_eq!(s(TypeKind::Dataset, "CSV").as_deref(), Some("DelimitedText"));
        assert_eq!(s(TypeKind::Location, "AzureBlobLocation").as_deref(), Some("AzureBlobFSLocation"));
        assert_eq!(s(TypeKind::Dataset, "LakehouseTable"), None);
        assert_eq!(s(TypeKind::Connection, "Xyzzy"), None);
        // A close spelling: one edit in a name of 4 to 7 characters, two from 8 to 12.
        assert_eq!(s(TypeKind::Dataset, "Parqet").as_deref(), Some("Parquet"));
        assert_eq!(s(TypeKind::Dataset, "Parqt"), None);
    }

    #[test]
    fn lakehouse_tables_and_files_share_a_connection_type() {
        let c = catalog();
        assert_eq!(
            c.connector("Lakehouse", Some("LakehouseTable")).map(|c| c.name.as_str()),
            Some("Fabric Lakehouse table")
        );
        assert_eq!(
            c.connector("Lakehouse", Some("Parquet")).map(|c| c.name.as_str()),
            Some("Fabric Lakehouse files")
        );
        assert_eq!(c.connector("Lakehouse", None).map(|c| c.name.as_str()), Some("Fabric Lakehouse table"));
    }
}
