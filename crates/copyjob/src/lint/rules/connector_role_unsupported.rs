use crate::connectors::Support;
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a job whose source connector cannot be read, or whose destination connector cannot
    /// be written, by a Copy job according to Microsoft's connector table: IBM Db2, MariaDB, SAP
    /// HANA, Vertica or Cassandra as a destination, Azure AI Search as a source. See the
    /// [connector catalog](../connectors.md).
    ///
    /// ## Why
    ///
    /// Many connectors are source-only in Copy job. A job that swaps source and destination, or
    /// that was copied from a pipeline whose sink Copy job does not offer, cannot run. A warning,
    /// because the table changes as connectors gain features.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "destination": { "type": "Db2Table", "connectionSettings": { "type": "Db2" } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid: IBM Db2 as the `source`, or a destination the table lists, such as `MySql`.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "Db2Table", "connectionSettings": { "type": "Db2" } } },
    ///   "activities": [] }
    /// ```
    ConnectorRoleUnsupported {
        name: "connector-role-unsupported",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Copy job connectors, the sources and destinations table (fabric-docs include copy-job-source-destination-connectors.md, ms.date 04/24/2026): the Source and Destination columns. The table changes over time, so this is a warning.",
    }
}

impl Rule for ConnectorRoleUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for end in ctx.endpoints().iter() {
            let Some(connector) = end.connector else { continue };
            if !connector.capability_evidence.iter().any(|e| e == "copy-job-table") {
                continue;
            }
            let caps = connector.capabilities;
            let support = if end.role == "source" { caps.source } else { caps.destination };
            if !support.is_unsupported() {
                continue;
            }
            let other = if end.role == "source" { caps.destination } else { caps.source };
            let other_role = if end.role == "source" { "destination" } else { "source" };
            ctx.report(
                content,
                &format!("{}/connectionSettings/type", end.pointer),
                Target::Value,
                format!("{} cannot be a Copy job {}", connector.name, end.role),
                Some(if other == Support::Yes {
                    format!(
                        "Microsoft's Copy job connector table lists {} as a {other_role} only",
                        connector.name
                    )
                } else {
                    format!(
                        "Microsoft's Copy job connector table does not list {} as a {}",
                        connector.name, end.role
                    )
                }),
            );
        }
    }
}
