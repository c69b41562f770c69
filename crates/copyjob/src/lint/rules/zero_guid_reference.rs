use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta, ZERO_GUID};

declare_rule! {
    /// ## What it does
    ///
    /// Finds the all-zero GUID `00000000-0000-0000-0000-000000000000` where it cannot mean "the
    /// current workspace": as a connection id, an artifact (item) id, or an activity id.
    ///
    /// ## Why
    ///
    /// Fabric uses the zero GUID in exactly two places: `typeProperties.workspaceId` of Git
    /// exports, meaning "the workspace this item is in", and `.platform`'s `logicalId` of items
    /// outside Git. Anywhere else it is a placeholder from a template or the docs (Microsoft's
    /// definition example uses it), and points at nothing.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "00000000-0000-0000-0000-000000000000", "artifactId": "00000000-0000-0000-0000-000000000000", "rootFolder": "Tables" } } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid: the zero GUID as `workspaceId` only (the job's own workspace), with the item's real `artifactId`.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "00000000-0000-0000-0000-000000000000", "artifactId": "d0e31750-29de-4992-b01d-ed022494141f", "rootFolder": "Tables" } } } },
    ///   "activities": [] }
    /// ```
    ZeroGuidReference {
        name: "zero-guid-reference",
        severity: Error,
        fixable: false,
        evidence: "Git exports (fabric-cicd Sample_CopyJob) use the zero workspaceId for the current workspace; the fabric-cli recording returns the zero logicalId outside Git; no real file has a zero connection, artifact or activity id.",
    }
}

impl Rule for ZeroGuidReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let mut pointers = Vec::new();
        for side in ["source", "destination"] {
            pointers.push(format!("/properties/{side}/connectionSettings/externalReferences/connection"));
            pointers.push(format!("/properties/{side}/connectionSettings/typeProperties/artifactId"));
        }
        pointers.retain(|p| {
            ctx.content_value().and_then(|v| v.at(p)).and_then(ValueRef::as_str) == Some(ZERO_GUID)
        });
        // Each activity's pointer is written only for a zero id.
        let zero_id = |a: ValueRef<'_>| a.member("id").and_then(ValueRef::as_str) == Some(ZERO_GUID);
        pointers.extend(ctx.activities().filter(|(_, a)| zero_id(*a)).map(|(p, _)| format!("{p}/id")));
        for pointer in pointers {
            let field = pointer.rsplit('/').next().unwrap_or_default().to_owned();
            ctx.report(
                content,
                &pointer,
                Target::Value,
                format!("the all-zero GUID as {field} points at nothing"),
                Some(format!(
                    "set the real {field}; the zero GUID only means \"this workspace\" as a workspaceId"
                )),
            );
        }
    }
}
