use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a `datasetSettings.table` that carries its schema (`"table": "dbo.DimProduct"`,
    /// `"[sales].[Orders]"`) with no `schema` property beside it.
    ///
    /// ## Why
    ///
    /// A Copy job names a table with two properties, `schema` and `table`, as every real export
    /// and Microsoft example does. Written together, the whole string is taken as the table's
    /// name: the source is not found, or the destination gets a table literally named
    /// `dbo.DimProduct` in the default schema. A warning: a table name may contain a dot.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "dbo.DimProduct" } } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "schema": "dbo", "table": "DimProduct" } } } } ] }
    /// ```
    SchemaQualifiedTable {
        name: "schema-qualified-table",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition (datasetSettings has separate schema and table) and REST API capabilities examples (schema dbo, table Customers); the fabric-cicd and nbki exports (schema NBKI, table CUSTOMERS). Dots are legal in quoted table names, so this is a warning.",
    }
}

/// `[dbo]` → `dbo`, `"dbo"` → `dbo`.
fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .or_else(|| s.strip_prefix('"').and_then(|t| t.strip_suffix('"')))
        .or_else(|| s.strip_prefix('`').and_then(|t| t.strip_suffix('`')))
        .unwrap_or(s)
}

impl Rule for SchemaQualifiedTable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for activity in ctx.activity_views().iter() {
            let pointer = activity.pointer;
            for role in ["source", "destination"] {
                let Some(dataset) = activity.dataset(role) else {
                    continue;
                };
                if dataset.member("schema").is_some() {
                    continue;
                }
                let Some(table) = dataset.member("table").and_then(ValueRef::as_str) else { continue };
                // Most names have no dot: nothing to split (nor a list to allocate).
                if !table.contains('.')
                    || placeholder(table).is_some()
                    || table.contains(['/', '\\', ' ', '@', '{', '$'])
                {
                    continue;
                }
                let parts: Vec<&str> = table.split('.').map(unquote).collect();
                if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
                    continue;
                }
                let (schema, name) = (parts[parts.len() - 2], parts[parts.len() - 1]);
                let database = if parts.len() == 3 {
                    format!(
                        " (the database \"{}\" belongs in the connection's typeProperties.database)",
                        parts[0]
                    )
                } else {
                    String::new()
                };
                ctx.report(
                    content,
                    &format!("{pointer}/properties/{role}/datasetSettings/table"),
                    Target::Value,
                    format!("table \"{table}\" includes its schema, and there is no \"schema\""),
                    Some(format!(
                        "write \"schema\": \"{schema}\", \"table\": \"{name}\"{database}; as written, the whole string is the table's name"
                    )),
                );
            }
        }
    }
}
