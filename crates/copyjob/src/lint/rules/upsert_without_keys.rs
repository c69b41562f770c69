use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a destination with `"writeBehavior": "Upsert"` and no `upsertSettings.keys` (or an
    /// empty list of keys).
    ///
    /// ## Why
    ///
    /// An upsert matches incoming rows to existing rows by its key columns. Without keys there is
    /// nothing to match on and the run fails. The one real upsert export found has
    /// `"upsertSettings": { "keys": ["CUSTOMER_ID"] }`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Upsert", "datasetSettings": { "table": "CUSTOMERS" } } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Upsert", "upsertSettings": { "keys": ["CUSTOMER_ID"] }, "datasetSettings": { "table": "CUSTOMERS" } } } } ] }
    /// ```
    UpsertWithoutKeys {
        name: "upsert-without-keys",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobSqlUpsertSettings.keys; the real Upsert export (nbki Db2 -> Lakehouse) carries upsertSettings.keys.",
    }
}

/// The upsert keys of a destination: `None` when absent, the (possibly empty) list otherwise.
pub fn keys(destination: ValueRef<'_>) -> Option<Vec<&str>> {
    destination
        .member("upsertSettings")
        .and_then(|s| s.member("keys"))
        .and_then(ValueRef::as_array)
        .map(|k| k.iter().filter_map(ValueRef::as_str).filter(|s| !s.trim().is_empty()).collect())
}

/// Reports each destination with the `behavior` write behavior and no key columns.
pub fn report_keyless(ctx: &mut LintContext<'_>, behavior: &str, message: &str, help: &str) {
    let Some(content) = ctx.content else { return };
    for (pointer, destination) in ctx.destinations() {
        if destination.member("writeBehavior").and_then(ValueRef::as_str) != Some(behavior)
            || keys(destination).is_some_and(|k| !k.is_empty())
        {
            continue;
        }
        ctx.report(
            content,
            &format!("{pointer}/writeBehavior"),
            Target::Member,
            message.to_owned(),
            Some(help.to_owned()),
        );
    }
}

impl Rule for UpsertWithoutKeys {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        report_keyless(
            ctx,
            "Upsert",
            "an upsert without key columns: \"upsertSettings.keys\" is missing or empty",
            "add \"upsertSettings\": { \"keys\": [\"<key column>\"] } with the columns that identify a row",
        );
    }
}
