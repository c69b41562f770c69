use super::upsert_without_keys::keys;
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use serde_json::Value;

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
    /// ```json
    /// { "writeBehavior": "Merge", "datasetSettings": { "table": "Products" } }
    /// ```
    ///
    /// Not noted:
    ///
    /// ```json
    /// { "writeBehavior": "Merge", "upsertSettings": { "keys": ["ProductID"] }, "datasetSettings": { "table": "Products" } }
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

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for (pointer, activity) in ctx.activities() {
            let Some(destination) = activity.pointer("/properties/destination") else { continue };
            if destination.get("writeBehavior").and_then(Value::as_str) != Some("Merge") {
                continue;
            }
            if keys(destination).is_some_and(|k| !k.is_empty()) {
                continue;
            }
            ctx.report(
                content,
                &format!("{pointer}/properties/destination/writeBehavior"),
                Target::Member,
                "a merge without key columns: the destination table's primary key is used".to_owned(),
                Some("if the destination table has no primary key, add \"upsertSettings\": { \"keys\": [...] }".to_owned()),
            );
        }
    }
}
