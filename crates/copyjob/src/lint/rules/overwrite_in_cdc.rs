use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds activities with `"writeBehavior": "Overwrite"` in a job whose `jobMode` is `CDC`.
    ///
    /// ## Why
    ///
    /// An incremental (CDC) job copies only what changed since the last run. Overwriting the
    /// destination with each increment replaces the table with the latest changes and loses every
    /// other row. Incremental jobs append, merge or upsert.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "CDC" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Overwrite", "datasetSettings": { "table": "t" } } } } ] }
    /// ```
    ///
    /// Valid: `Merge` (or `Append`, `Upsert`).
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "CDC" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Merge", "datasetSettings": { "table": "t" } } } } ] }
    /// ```
    OverwriteInCdc {
        name: "overwrite-in-cdc",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, what-is-copy-job and cdc-copy-job: incremental copy appends or merges changed rows; every CDC example (fabric-docs, the nbki export, the swagger example) uses Merge or Upsert. The service's behaviour is undocumented, so this is a warning.",
    }
}

impl Rule for OverwriteInCdc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        if ctx.job_mode() != Some("CDC") {
            return;
        }
        for activity in ctx.activity_views().iter() {
            let pointer = activity.pointer;
            if activity.destination.and_then(|d| d.member("writeBehavior")).and_then(ValueRef::as_str)
                == Some("Overwrite")
            {
                ctx.report(
                    content,
                    &format!("{pointer}/properties/destination/writeBehavior"),
                    Target::Value,
                    "an incremental (CDC) job overwrites the destination with each increment".to_owned(),
                    Some(
                        "use \"Merge\" or \"Upsert\" to apply changes, or \"Append\" to keep every change"
                            .to_owned(),
                    ),
                );
            }
        }
    }
}
