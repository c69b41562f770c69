use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds activities with incremental settings (`source.changeDataSettings`) in a job whose
    /// `jobMode` is `Batch`.
    ///
    /// ## Why
    ///
    /// `changeDataSettings` (read method, watermark columns) drive incremental copy, which only a
    /// `CDC` job does. In a `Batch` job they are ignored and every run copies everything: either
    /// the job mode or the settings are a mistake.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" }, "changeDataSettings": { "readMethod": "SnapshotPlusIncremental" } } } } ] }
    /// ```
    ///
    /// Valid: the same activity in a `CDC` job.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "CDC" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" }, "changeDataSettings": { "readMethod": "SnapshotPlusIncremental" } } } } ] }
    /// ```
    ChangeDataSettingsInBatch {
        name: "change-data-settings-in-batch",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: jobMode 'Batch and CDC (Incremental)'; the only real export with changeDataSettings (nbki) is a CDC job. The service's handling of the contradiction is undocumented, so this is a warning.",
    }
}

impl Rule for ChangeDataSettingsInBatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        if ctx.job_mode() != Some("Batch") {
            return;
        }
        for activity in ctx.activity_views().iter() {
            let pointer = activity.pointer;
            if activity.source.and_then(|s| s.member("changeDataSettings")).is_some() {
                ctx.report(
                    content,
                    &format!("{pointer}/properties/source/changeDataSettings"),
                    Target::Key,
                    "incremental settings in a Batch job are ignored".to_owned(),
                    Some(
                        "set \"jobMode\": \"CDC\" for an incremental copy, or remove \"changeDataSettings\""
                            .to_owned(),
                    ),
                );
            }
        }
    }
}
