use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a job with activities but without a job-level `properties.source` or
    /// `properties.destination`.
    ///
    /// ## Why
    ///
    /// Activities only name tables; the connections they read from and write to are the job's
    /// `source` and `destination`. A job with activities and no connection cannot run. (A job
    /// with no activities, as the service creates it, needs none yet.)
    ///
    /// ## Examples
    ///
    /// Invalid: activities, but no job-level `source` or `destination`.
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "a" } }, "destination": { "datasetSettings": { "table": "a" } } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "d0e31750-29de-4992-b01d-ed022494141f", "rootFolder": "Tables" } } } },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "a" } }, "destination": { "datasetSettings": { "table": "a" } } } } ] }
    /// ```
    ActivitiesWithoutConnection {
        name: "activities-without-connection",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobProperties.source/destination (CopyJobConnection); every real definition with activities has both. The article marks them not required, so this is a warning.",
    }
}

impl Rule for ActivitiesWithoutConnection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        if ctx.activities().next().is_none() {
            return;
        }
        let Some(properties) =
            ctx.content_value().and_then(|v| v.member("properties")).and_then(ValueRef::as_object)
        else {
            return;
        };
        let missing: Vec<&str> =
            ["source", "destination"].into_iter().filter(|side| !properties.contains_key(side)).collect();
        if missing.is_empty() {
            return;
        }
        ctx.report(
            content,
            "/properties",
            Target::Opening,
            format!("the job has activities but no {} connection", missing.join(" or ")),
            Some(format!(
                "add \"{}\" with its \"type\" and \"connectionSettings\" to \"properties\"",
                missing.join("\" and \"")
            )),
        );
    }
}
