use crate::connectors::catalog;
use crate::json::Target;
use crate::lint::{declare_rule, type_placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Notes a connector `type` string (dataset, connection, location, store settings or format
    /// settings type) that is not in the [connector catalog](../connectors.md) and is not close
    /// to any name in it.
    ///
    /// ## Why
    ///
    /// The catalog holds the names real definitions, Microsoft's examples and Data Factory's
    /// connector articles use; Copy job gains connectors over time, so a name outside it may be
    /// new rather than wrong. It is worth a look — an invented name fails only when the job is
    /// created or run — but it is only an info. Names close to a known one are reported by
    /// `lint/unknown-connector-type` instead.
    ///
    /// ## Examples
    ///
    /// Reported:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "QuantumLedgerTable", "connectionSettings": { "type": "QuantumLedger" } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Not reported: every name in the catalog (`AzureSqlTable`, `AzureSqlDatabase`, ...).
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "AzureSqlTable", "connectionSettings": { "type": "AzureSqlDatabase" } } },
    ///   "activities": [] }
    /// ```
    UncataloguedConnectorType {
        name: "uncatalogued-connector-type",
        severity: Info,
        fixable: false,
        evidence: "The connector catalog (docs/connectors.md) and its sources; Microsoft's connector table grows with new connectors, so a name outside the catalog is unknown, not wrong: an info.",
    }
}

impl Rule for UncataloguedConnectorType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let catalog = catalog();
        for field in ctx.type_fields().iter() {
            if type_placeholder(field.value).is_some()
                || catalog.knows(field.kind, field.value)
                || catalog.suggest(field.kind, field.value).is_some()
            {
                continue;
            }
            let label = field.kind.label();
            ctx.report(
                content,
                &field.pointer,
                Target::Value,
                format!("{label} \"{}\" is not in the connector catalog", field.value),
                Some(format!(
                    "check the name against a definition the service exported (Copy job > View JSON code); the known {label}s are listed in docs/connectors.md"
                )),
            );
        }
    }
}
