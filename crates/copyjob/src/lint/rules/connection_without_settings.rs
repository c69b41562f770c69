use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that the job's source and destination `connectionSettings` have `typeProperties`,
    /// `externalReferences`, or both.
    ///
    /// ## Why
    ///
    /// The connection settings say where the data is: `typeProperties` for Fabric items (the
    /// workspace and artifact of a Lakehouse or Warehouse) and `externalReferences.connection` for
    /// a connection to an external store. With neither, the job has nothing to connect to. The
    /// definition article: "depending on the type, either typeProperties or externalReferences or
    /// both need to be mentioned".
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "AzureSqlTable", "connectionSettings": { "type": "AzureSqlDatabase" } } },
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
    ConnectionWithoutSettings {
        name: "connection-without-settings",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition, CopyJobConnectionSettings: 'depending on the type, either typeProperties or externalReferences or both need to be mentioned'; every real connection has one of them.",
    }
}

impl Rule for ConnectionWithoutSettings {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for side in ["source", "destination"] {
            let pointer = format!("/properties/{side}/connectionSettings");
            let Some(settings) =
                ctx.content_value().and_then(|v| v.at(&pointer)).and_then(ValueRef::as_object)
            else {
                continue;
            };
            if settings.contains_key("typeProperties") || settings.contains_key("externalReferences") {
                continue;
            }
            ctx.report(
                content,
                &pointer,
                Target::Opening,
                format!("the {side} connection has neither \"typeProperties\" nor \"externalReferences\""),
                Some(
                    "add \"externalReferences\": { \"connection\": \"<connection id>\" } for an external store, or \
                     \"typeProperties\" with the workspaceId and artifactId of a Fabric item"
                        .to_owned(),
                ),
            );
        }
    }
}
