use super::upsert_without_keys::report_keyless;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Notes a destination with `"writeBehavior": "Merge"` and no `upsertSettings.keys`.
    ///
    /// ## Why
    ///
    /// Merge updates existing rows and inserts new ones; without explicit keys Fabric uses the
    /// destination table's primary key. That is fine for a table that has one, but a table
    /// without a primary key has nothing to merge on. Microsoft's own CDC example uses Merge
    /// without keys, so this is only an info.
    ///
    /// ## Examples
    ///
    /// Noted:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "CDC" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Merge", "datasetSettings": { "table": "Products" } } } } ] }
    /// ```
    ///
    /// Not noted:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "CDC" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Merge", "upsertSettings": { "keys": ["ProductID"] }, "datasetSettings": { "table": "Products" } } } } ] }
    /// ```
    MergeWithoutKeys {
        name: "merge-without-keys",
        severity: Info,
        fixable: false,
        evidence: "Microsoft Learn, what-is-copy-job: Merge (SCD1) keys default to the primary key; fabric-docs' CDC-with-mappings example uses Merge without keys.",
    }
}

impl Rule for MergeWithoutKeys {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        report_keyless(
            ctx,
            "Merge",
            "a merge without key columns: the destination table's primary key is used",
            "if the destination table has no primary key, add \"upsertSettings\": { \"keys\": [...] }",
        );
    }
}
