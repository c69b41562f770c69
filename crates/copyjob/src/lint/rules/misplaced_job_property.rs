use super::undocumented_property::{ACTIVITY_PROPERTIES, JOB_PROPERTIES};
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds `source`, `destination`, `jobMode`, `policy` or `fullLoadBehavior` written at the
    /// top level of `copyjob-content.json` instead of under `properties`, and an activity's
    /// `source`, `destination`, `translator`, `typeConversionSettings` or `enableStaging`
    /// written beside its `id` instead of under the activity's `properties`.
    ///
    /// ## Why
    ///
    /// The job's settings live in `properties`, each activity's in the activity's
    /// `properties`. One level off, the service does not see them — the job has no source, the
    /// activity no destination — and the schema only reports that `properties` is missing.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "jobMode": "Batch", "source": { "type": "AzureSqlTable" }, "activities": [] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "AzureSqlTable" } }, "activities": [] }
    /// ```
    MisplacedJobProperty {
        name: "misplaced-job-property",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: ContentDetails has properties (jobMode, source, destination, policy) and activities (id, properties with source, destination, translator, typeConversionSettings, enableStaging); every real export nests them so.",
    }
}

impl Rule for MisplacedJobProperty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let (Some(content), Some(root)) = (ctx.content, ctx.content_value()) else { return };
        let Some(object) = root.as_object() else { return };
        let has_properties = object.contains_key("properties");
        for key in object.keys().filter(|k| JOB_PROPERTIES.contains(k)) {
            let help = if has_properties {
                format!("move \"{key}\" into \"properties\"")
            } else {
                format!("move \"{key}\" under \"properties\": {{ \"properties\": {{ \"{key}\": ... }}, \"activities\": [...] }}")
            };
            ctx.report(
                content,
                &format!("/{key}"),
                Target::Key,
                format!("\"{key}\" is at the top level of the job, where the service does not read it"),
                Some(help),
            );
        }
        for (pointer, activity) in ctx.activities() {
            let Some(activity) = activity.as_object() else { continue };
            for key in activity.keys().filter(|k| ACTIVITY_PROPERTIES.contains(k)) {
                ctx.report(
                    content,
                    &format!("{pointer}/{key}"),
                    Target::Key,
                    format!("\"{key}\" is beside the activity's \"id\", where the service does not read it"),
                    Some(format!("move \"{key}\" into the activity's \"properties\"")),
                );
            }
        }
    }
}
