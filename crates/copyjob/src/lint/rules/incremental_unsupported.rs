use crate::connectors::Support;
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds an incremental job (`"jobMode": "CDC"`) whose source, by Microsoft's Copy job
    /// connector tables, supports neither watermark-based incremental reads nor CDC, such as
    /// Salesforce, Dataverse, Dynamics 365, Azure Cosmos DB, REST and HTTP (the
    /// [connector catalog](../connectors.md) lists them all).
    ///
    /// ## Why
    ///
    /// An incremental job reads only what changed since the last run, either from the source's
    /// change data capture or by comparing an incremental (watermark) column. A connector that
    /// supports neither can only be copied in full, so the job cannot run as written. The rule
    /// judges only connectors whose capabilities come from Microsoft's table; where the evidence
    /// is anything else it says nothing. A warning: the table changes as connectors gain
    /// features.
    ///
    /// Only a source with *neither* read is judged, not a CDC read from a source without CDC:
    /// `copyjob-content.json` has no setting that marks a CDC read. Both kinds of incremental job
    /// are `"jobMode": "CDC"`; the real definitions differ only by what is absent. A watermark
    /// job names its column in `changeDataSettings.columns` (the IBM Db2 export in
    /// `tests/corpus/`), Microsoft's CDC example from Azure SQL Database has no
    /// `changeDataSettings` at all, and generated SharePoint file jobs carry `"readMethod":
    /// "SnapshotPlusIncremental"` with no column. A job from a watermark-only source without a
    /// column may be incomplete, but nothing in it says it asks for CDC.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "CDC",
    ///   "source": { "type": "SalesforceV2Object", "connectionSettings": { "type": "SalesforceV2" } } }, "activities": [] }
    /// ```
    ///
    /// Valid: `"jobMode": "Batch"` for that source, or an incremental job from a source with
    /// watermark or CDC reads (`AzureSqlDatabase`, `Db2`, `GoogleBigQueryV2`, `Lakehouse`, ...).
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch",
    ///   "source": { "type": "SalesforceV2Object", "connectionSettings": { "type": "SalesforceV2" } } }, "activities": [] }
    /// ```
    IncrementalUnsupported {
        name: "incremental-unsupported",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job connectors (fabric-docs includes copy-job-source-destination-connectors.md, ms.date 04/24/2026, and copy-job-cdc-replication-connectors.md, ms.date 03/17/2026): the Read - Incremental load (watermark based) column and the Read - CDC column. The table changes over time, so this is a warning.",
    }
}

impl Rule for IncrementalUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        if ctx.job_mode() != Some("CDC") {
            return;
        }
        let Some(source) = ctx.endpoints().iter().find(|e| e.role == "source").cloned() else { return };
        let Some(connector) = source.connector else { return };
        let caps = connector.capabilities;
        let from_table = connector.capability_evidence.iter().any(|e| e == "copy-job-table");
        if !from_table || !caps.watermark.is_unsupported() || !caps.cdc.is_unsupported() {
            return;
        }
        let full = if caps.full_load == Support::Yes {
            "; it can only be copied in full: use \"jobMode\": \"Batch\""
        } else {
            ""
        };
        ctx.report(
            content,
            "/properties/jobMode",
            Target::Value,
            format!(
                "an incremental job reads from {} (\"{}\"), which supports neither watermark-based incremental reads nor CDC",
                connector.name,
                source.connection_type.unwrap_or_default()
            ),
            Some(format!("Microsoft's Copy job connector tables list no incremental read for {}{full}", connector.name)),
        );
    }
}
