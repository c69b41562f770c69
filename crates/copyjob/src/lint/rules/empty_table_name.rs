use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds an empty (or blank) `table` or `schema` in an activity's source or destination
    /// `datasetSettings`.
    ///
    /// ## Why
    ///
    /// An empty table name copies from or to nothing; an empty schema name is not the default
    /// schema, it is a schema called "". Leave `schema` out to use the default.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "datasetSettings": { "schema": "", "table": " " } } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "datasetSettings": { "table": "customers" } } } } ] }
    /// ```
    EmptyTableName {
        name: "empty-table-name",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobDatasetSettings.schema and table; every real activity names its tables, some without a schema (nbki destination).",
    }
}

impl Rule for EmptyTableName {
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
            for side in ["source", "destination"] {
                let Some(dataset) = activity.dataset(side) else {
                    continue;
                };
                for field in ["schema", "table"] {
                    let Some(name) = dataset.member(field).and_then(ValueRef::as_str) else { continue };
                    if !name.trim().is_empty() {
                        continue;
                    }
                    let at = format!("/properties/{side}/datasetSettings/{field}");
                    let help = if field == "schema" {
                        "remove \"schema\" to use the default schema, or name the schema"
                    } else {
                        "name the table"
                    };
                    ctx.report(
                        content,
                        &format!("{pointer}{at}"),
                        Target::Value,
                        format!("the {side} {field} name is empty"),
                        Some(help.to_owned()),
                    );
                }
            }
        }
    }
}
