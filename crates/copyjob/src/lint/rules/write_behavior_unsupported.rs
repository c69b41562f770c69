use crate::connectors::Support;
use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds an activity whose `writeBehavior` its destination does not support by Microsoft's
    /// Copy job connector tables: `Overwrite` into a Fabric Warehouse, `Overwrite` or `Merge` into
    /// Azure Synapse Analytics, `Upsert` or `Merge` into files, `Upsert` into Snowflake (which
    /// merges). See the [connector catalog](../connectors.md).
    ///
    /// ## Why
    ///
    /// Each destination supports its own update methods: databases append and, for some,
    /// overwrite, upsert or merge on a key; file stores append or overwrite files. A write
    /// behaviour the destination lacks is rejected or ignored. Only connectors whose
    /// capabilities come from Microsoft's table are judged; a warning, because the table changes
    /// as connectors gain features.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "CDC", "destination": { "type": "AzureSqlDWTable", "connectionSettings": { "type": "AzureSqlDW" } } },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "destination": { "writeBehavior": "Merge", "datasetSettings": { "schema": "dbo", "table": "t" } } } } ] }
    /// ```
    ///
    /// Valid: `"writeBehavior": "Merge"` into a Fabric Warehouse (a CDC Merge destination), or
    /// `"Upsert"` into Azure Synapse Analytics.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "CDC", "destination": { "type": "DataWarehouseTable", "connectionSettings": { "type": "DataWarehouse" } } },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "destination": { "writeBehavior": "Merge", "datasetSettings": { "schema": "dbo", "table": "t" } } } } ] }
    /// ```
    WriteBehaviorUnsupported {
        name: "write-behavior-unsupported",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job connectors (fabric-docs includes copy-job-source-destination-connectors.md, ms.date 04/24/2026, and copy-job-cdc-replication-connectors.md, ms.date 03/17/2026): the Write - Append, Override and Upsert columns (N/A for file stores) and the CDC table's Write - Merge column (a destination it does not list: no). writeBehavior Overwrite, Upsert and Merge are mapped to the Override, Upsert and Merge columns. The table changes over time, so this is a warning.",
    }
}

impl Rule for WriteBehaviorUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let Some(dest) = ctx.endpoints().iter().find(|e| e.role == "destination").cloned() else { return };
        let Some(connector) = dest.connector else { return };
        if !connector.capability_evidence.iter().any(|e| e == "copy-job-table") {
            return;
        }
        let caps = connector.capabilities;
        let modes = [
            ("Append", caps.append),
            ("Overwrite", caps.overwrite),
            ("Upsert", caps.upsert),
            ("Merge", caps.merge),
        ];
        for activity in ctx.activity_views().iter() {
            let pointer = activity.pointer;
            let Some(behavior) =
                activity.destination.and_then(|d| d.member("writeBehavior")).and_then(ValueRef::as_str)
            else {
                continue;
            };
            let Some((_, support)) = modes.iter().find(|(m, _)| *m == behavior) else { continue };
            if !support.is_unsupported() {
                continue;
            }
            let supported: Vec<String> =
                modes.iter().filter(|(_, s)| *s == Support::Yes).map(|(m, _)| format!("\"{m}\"")).collect();
            ctx.report(
                content,
                &format!("{pointer}/properties/destination/writeBehavior"),
                Target::Value,
                format!("{} does not support writeBehavior \"{behavior}\"", connector.name),
                Some(if supported.is_empty() {
                    format!(
                        "Microsoft's Copy job connector table lists no write behaviour for {}",
                        connector.name
                    )
                } else {
                    format!("{} supports {}", connector.name, supported.join(", "))
                }),
            );
        }
    }
}
