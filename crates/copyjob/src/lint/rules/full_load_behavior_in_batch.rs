use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Notes `properties.fullLoadBehavior` in a job whose `jobMode` is `Batch`.
    ///
    /// ## Why
    ///
    /// `fullLoadBehavior` (for example `Truncate`) tells an incremental job what to do before its
    /// initial full load. A `Batch` job does a full copy on every run and the setting has no
    /// effect there.
    ///
    /// ## Examples
    ///
    /// Noted:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "fullLoadBehavior": "Truncate" }, "activities": [] }
    /// ```
    ///
    /// Not noted:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "CDC", "fullLoadBehavior": "Truncate" }, "activities": [] }
    /// ```
    FullLoadBehaviorInBatch {
        name: "full-load-behavior-in-batch",
        severity: Info,
        fixable: false,
        evidence: "Seen only in a CDC export (nbki: jobMode CDC, fullLoadBehavior Truncate); the meaning is inferred from Microsoft Learn's description of the initial full load of incremental copy, so this is an info.",
    }
}

impl Rule for FullLoadBehaviorInBatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        if ctx.job_mode() == Some("Batch")
            && ctx.content_value().and_then(|v| v.at("/properties/fullLoadBehavior")).is_some()
        {
            ctx.report(
                content,
                "/properties/fullLoadBehavior",
                Target::Member,
                "fullLoadBehavior has no effect in a Batch job".to_owned(),
                Some(
                    "remove it, or set \"jobMode\": \"CDC\" if the job should copy incrementally".to_owned(),
                ),
            );
        }
    }
}
