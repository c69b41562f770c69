use crate::connectors::{catalog, TypeKind};
use crate::json::Target;
use crate::lint::{declare_rule, type_placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a connector `type` string that is not in the [connector catalog](../connectors.md)
    /// but close to one that is — the dataset `type` of `properties.source` / `destination`,
    /// `connectionSettings.type`, and an activity's `location`, `storeSettings` and
    /// `formatSettings` types — and names the one it probably means: `Warehouse` →
    /// `DataWarehouse`, `WarehouseTable` → `DataWarehouseTable`, `SQL` → `AzureSqlDatabase`
    /// (connection) or `AzureSqlTable` (dataset), `LakehouseTable` as a connection type →
    /// `Lakehouse`, `CSV` → `DelimitedText`.
    ///
    /// ## Why
    ///
    /// The type strings are the names the Data Factory engine knows connectors by, not the names
    /// the Fabric portal shows: the portal says *Warehouse* and *Azure SQL DB*, a definition says
    /// `DataWarehouse` and `AzureSqlDatabase`. Hand-written and generated definitions often use
    /// the portal's names, and the job fails only when it is created or run. The catalog lists
    /// every name with its evidence; a name missing from it is not necessarily wrong, so this is
    /// a warning, and a name with nothing close is left to `lint/uncatalogued-connector-type`
    /// (an info).
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "destination": { "type": "WarehouseTable", "connectionSettings": { "type": "Warehouse" } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "destination": { "type": "DataWarehouseTable", "connectionSettings": { "type": "DataWarehouse" } } },
    ///   "activities": [] }
    /// ```
    UnknownConnectorType {
        name: "unknown-connector-type",
        severity: Warning,
        fixable: false,
        evidence: "The connector catalog (docs/connectors.md): real exports and Microsoft's examples use DataWarehouse / DataWarehouseTable, AzureSqlDatabase, Lakehouse / LakehouseTable, AzureBlobStorage / AzureBlobStorageLocation, Db2 / Db2Table, Parquet; Data Factory's connector articles name the rest. A name outside the catalog may still work, so this is a warning.",
    }
}

impl Rule for UnknownConnectorType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let catalog = catalog();
        let ends = ctx.endpoints();
        for field in ctx.type_fields().iter() {
            if type_placeholder(field.value).is_some() || catalog.knows(field.kind, field.value) {
                continue;
            }
            // A location or store settings type is first compared with those of its side's connector.
            let own: Vec<&str> = ends
                .iter()
                .find(|e| e.role == field.role)
                .and_then(|e| e.connector)
                .map(|c| match field.kind {
                    TypeKind::Location => c.location_types.iter().map(|n| n.name.as_str()).collect(),
                    TypeKind::StoreSettings => {
                        c.store_settings_types.iter().map(|n| n.name.as_str()).collect()
                    }
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            let Some(right) = catalog
                .suggest_among(field.value, &own)
                .map(str::to_owned)
                .or_else(|| catalog.suggest(field.kind, field.value))
            else {
                continue;
            };
            let label = field.kind.label();
            let help = match field.kind {
                TypeKind::Connection => catalog.by_connection_type(&right).first().map(|c| {
                    format!("the connection type of {} is \"{right}\" ({})", c.name, c.capability_summary())
                }),
                TypeKind::Dataset => catalog
                    .by_dataset_type(&right)
                    .first()
                    .map(|c| {
                        format!(
                            "\"{right}\" is the dataset type of {} (connection type \"{}\")",
                            c.name,
                            c.connection_type()
                        )
                    })
                    .or_else(|| {
                        catalog
                            .format(&right)
                            .map(|_| format!("\"{right}\" is the file format's dataset type"))
                    }),
                _ => None,
            }
            .unwrap_or_else(|| format!("the {label} is spelled \"{right}\""));
            ctx.report(
                content,
                &field.pointer,
                Target::Value,
                format!("unknown {label} \"{}\": did you mean \"{right}\"?", field.value),
                Some(help),
            );
        }
    }
}
