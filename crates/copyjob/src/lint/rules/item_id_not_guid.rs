use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, is_guid, is_id_placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `workspaceId` and `artifactId` in the job's source and destination
    /// `typeProperties` are GUIDs.
    ///
    /// ## Why
    ///
    /// They identify the Fabric workspace and item (Lakehouse, Warehouse) the job reads or writes,
    /// and Fabric ids are GUIDs. A workspace or item *name* cannot be resolved. Template
    /// placeholders are reported by `template-placeholder`; the all-zero workspace id is allowed
    /// (Git exports use it for "this workspace").
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "Sales workspace", "artifactId": "SalesLakehouse", "rootFolder": "Tables" } } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "d0e31750-29de-4992-b01d-ed022494141f", "rootFolder": "Tables" } } } },
    ///   "activities": [] }
    /// ```
    ItemIdNotGuid {
        name: "item-id-not-guid",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobConnectionTypeProperties.workspaceId and artifactId are 'String (Guid)'; every real export carries GUIDs.",
    }
}

impl Rule for ItemIdNotGuid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for side in ["source", "destination"] {
            for field in ["workspaceId", "artifactId"] {
                let pointer = format!("/properties/{side}/connectionSettings/typeProperties/{field}");
                let Some(id) = ctx.content_value().and_then(|v| v.at(&pointer)).and_then(ValueRef::as_str)
                else {
                    continue;
                };
                if is_guid(id) || is_id_placeholder(id) {
                    continue;
                }
                let what = if field == "workspaceId" { "workspace" } else { "item" };
                ctx.report(
                    content,
                    &pointer,
                    Target::Value,
                    format!("the {side} {field} \"{id}\" is not a GUID"),
                    Some(format!(
                        "use the {what}'s id, a GUID (it is in the {what}'s URL in Fabric), not its name"
                    )),
                );
            }
        }
    }
}
