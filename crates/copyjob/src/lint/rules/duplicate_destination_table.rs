use crate::json::{get_path, Target};
use crate::lint::context::table_name;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use std::borrow::Cow;
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    ///
    /// Finds two activities that write to the same destination table (same schema and table
    /// name, ignoring case).
    ///
    /// ## Why
    ///
    /// The activities of a Copy job run side by side. Two of them writing one table race each
    /// other: with `Overwrite` the last one wins, with `Append` rows arrive twice, with `Merge`
    /// or `Upsert` the writes conflict. It is usually an activity copied without changing its
    /// destination.
    ///
    /// ## Examples
    ///
    /// Invalid: two activities writing `dbo.sales`.
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [
    ///     { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "destination": { "datasetSettings": { "schema": "dbo", "table": "sales" } } } },
    ///     { "id": "a0366a87-0e10-4c44-87b4-7efdfd017a11", "properties": { "destination": { "datasetSettings": { "schema": "dbo", "table": "sales" } } } } ] }
    /// ```
    ///
    /// Valid: each activity writes its own table.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [
    ///     { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "destination": { "datasetSettings": { "schema": "dbo", "table": "sales" } } } },
    ///     { "id": "a0366a87-0e10-4c44-87b4-7efdfd017a11", "properties": { "destination": { "datasetSettings": { "schema": "dbo", "table": "customers" } } } } ] }
    /// ```
    DuplicateDestinationTable {
        name: "duplicate-destination-table",
        severity: Warning,
        fixable: false,
        evidence: "Every multi-table real export (fabric-cicd Hello Copy Job, 6 activities) maps each activity to its own destination table; the failure modes are inferred from the update methods described in Microsoft Learn (what-is-copy-job), so this is a warning.",
    }
}

impl Rule for DuplicateDestinationTable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let mut seen: foldhash::HashMap<(Cow<'_, str>, Cow<'_, str>), usize> =
            HashMap::with_capacity_and_hasher(ctx.activity_list().map_or(0, |a| a.len()), Default::default());
        for (i, (pointer, activity)) in ctx.activities().enumerate() {
            let dataset = get_path(activity, &["properties", "destination", "datasetSettings"]);
            let Some(name) = table_name(dataset) else { continue };
            match seen.get(&name) {
                Some(first) => {
                    let shown = if name.0.is_empty() {
                        name.1.into_owned()
                    } else {
                        format!("{}.{}", name.0, name.1)
                    };
                    ctx.report(
                        content,
                        &format!("{pointer}/properties/destination/datasetSettings/table"),
                        Target::Value,
                        format!("activities[{i}] writes to {shown}, as activities[{first}] does"),
                        Some("give each activity its own destination table"),
                    );
                }
                None => {
                    seen.insert(name, i);
                }
            }
        }
    }
}
