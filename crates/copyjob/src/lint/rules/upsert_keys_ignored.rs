use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds `upsertSettings` on a destination whose `writeBehavior` is neither `Upsert` nor
    /// `Merge`.
    ///
    /// ## Why
    ///
    /// Upsert settings (key columns, temp DB, interim schema) only apply when rows are upserted
    /// or merged. With `Append`, `Overwrite` or no write behavior (append is the default) they are
    /// ignored: the author probably meant to upsert and the job will duplicate rows instead.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Append", "upsertSettings": { "keys": ["id"] }, "datasetSettings": { "table": "t" } } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Upsert", "upsertSettings": { "keys": ["id"] }, "datasetSettings": { "table": "t" } } } } ] }
    /// ```
    UpsertKeysIgnored {
        name: "upsert-keys-ignored",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition (CopyJobSqlUpsertSettings) and what-is-copy-job (Append is the default update method); real exports carry upsertSettings only with Upsert (nbki).",
    }
}

impl Rule for UpsertKeysIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for (pointer, destination) in ctx.destinations() {
            if destination.member("upsertSettings").is_none() {
                continue;
            }
            let behavior = destination.member("writeBehavior").and_then(ValueRef::as_str);
            if matches!(behavior, Some("Upsert" | "Merge")) {
                continue;
            }
            ctx.report(
                content,
                &format!("{pointer}/upsertSettings"),
                Target::Key,
                format!("upsertSettings are ignored when writeBehavior is {}", behavior.unwrap_or("not set (Append)")),
                Some("set \"writeBehavior\": \"Upsert\" (or \"Merge\") to use the keys, or remove \"upsertSettings\"".to_owned()),
            );
        }
    }
}
