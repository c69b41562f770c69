use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, is_guid, is_id_placeholder, LintContext, Rule, RuleMeta, ZERO_GUID};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `externalReferences.connection` of the job's source and destination is a
    /// connection id: a GUID.
    ///
    /// ## Why
    ///
    /// Fabric connections are identified by GUIDs (shown in *Manage connections and gateways*).
    /// A connection's *name*, a URL or a server name here cannot be resolved and the job fails to
    /// connect. Template placeholders and the all-zero GUID are reported by their own rules.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "AzureSqlTable", "connectionSettings": { "type": "AzureSqlDatabase", "externalReferences": { "connection": "sql-prod-connection" } } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "AzureSqlTable", "connectionSettings": { "type": "AzureSqlDatabase", "externalReferences": { "connection": "d247ae2f-a0c6-4c89-a8a6-82b81dcd9f25" } } } },
    ///   "activities": [] }
    /// ```
    ConnectionIdNotGuid {
        name: "connection-id-not-guid",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: ExternalReferences.connection is 'String (Guid)', 'the Id of the connection'; the real export (nbki) carries a GUID.",
    }
}

impl Rule for ConnectionIdNotGuid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for side in ["source", "destination"] {
            let pointer = format!("/properties/{side}/connectionSettings/externalReferences/connection");
            let Some(id) = ctx.content_value().and_then(|v| v.at(&pointer)).and_then(ValueRef::as_str) else {
                continue;
            };
            if is_guid(id) || id == ZERO_GUID || is_id_placeholder(id) {
                continue;
            }
            ctx.report(
                content,
                &pointer,
                Target::Value,
                format!("the {side} connection \"{id}\" is not a connection id"),
                Some(
                    "use the connection's id, a GUID (Settings > Manage connections and gateways)".to_owned(),
                ),
            );
        }
    }
}
