use crate::connectors::catalog;
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds a job `source` or `destination` whose dataset `type` does not belong to its
    /// `connectionSettings.type` in the [connector catalog](../connectors.md): `LakehouseTable`
    /// on an `AzureSqlDatabase` connection, a file format (`Parquet`) on a database, a table type
    /// on a storage account, or a format a destination cannot write (`Excel`, `Xml`).
    ///
    /// ## Why
    ///
    /// The dataset type says how the connector reads or writes (a table, an object, a file
    /// format); each connector has its own. A mismatch usually comes from copying the other side
    /// of a job and changing only one of the two types. Both names must be in the catalog for
    /// the rule to judge; it is a warning because the catalog's Data Factory names are partly
    /// inferred.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "LakehouseTable", "connectionSettings": { "type": "AzureSqlDatabase" } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "AzureSqlTable", "connectionSettings": { "type": "AzureSqlDatabase" } } },
    ///   "activities": [] }
    /// ```
    DatasetTypeMismatch {
        name: "dataset-type-mismatch",
        severity: Warning,
        fixable: false,
        evidence: "The connector catalog (docs/connectors.md): every real definition pairs LakehouseTable with Lakehouse, DataWarehouseTable with DataWarehouse, Db2Table with Db2, Parquet with AzureBlobStorage; Microsoft's REST API examples also pair AzureSqlDatabase and Lakehouse with themselves. Data Factory's connector articles name the other pairs (inferred), so this is a warning.",
    }
}

impl Rule for DatasetTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let catalog = catalog();
        for end in ctx.endpoints().iter() {
            let (Some(dataset), Some(connection)) = (end.dataset_type, end.connection_type) else { continue };
            let connectors = catalog.by_connection_type(connection);
            if connectors.is_empty() {
                continue;
            }
            let format = catalog.format(dataset);
            let known_dataset = format.is_some() || !catalog.by_dataset_type(dataset).is_empty();
            if !known_dataset {
                continue;
            }
            let pointer = format!("{}/type", end.pointer);
            if connectors.iter().any(|c| c.has_dataset_type(dataset)) {
                if let Some(f) = format {
                    let (can, verb) =
                        if end.role == "source" { (f.reads, "read") } else { (f.writes, "write") };
                    if !can {
                        ctx.report(
                            content,
                            &pointer,
                            Target::Value,
                            format!("a Copy job cannot {verb} \"{dataset}\" files as its {}", end.role),
                            Some(
                                "choose another file format, such as \"DelimitedText\" or \"Parquet\""
                                    .to_owned(),
                            ),
                        );
                    }
                }
                continue;
            }
            let expected: Vec<String> = connectors
                .iter()
                .flat_map(|c| c.all_dataset_types())
                .map(|d| format!("\"{d}\""))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let belongs = catalog
                .by_dataset_type(dataset)
                .first()
                .map(|c| format!("; \"{dataset}\" goes with connection type \"{}\"", c.connection_type()))
                .or_else(|| {
                    format.map(|_| format!("; \"{dataset}\" is a file format, for storage connectors"))
                })
                .unwrap_or_default();
            ctx.report(
                content,
                &pointer,
                Target::Value,
                format!("dataset type \"{dataset}\" does not belong to connection type \"{connection}\""),
                Some(format!(
                    "connection type \"{connection}\" takes {}{belongs}",
                    if expected.len() > 6 {
                        "a file format".to_owned()
                    } else {
                        format!("dataset type {}", expected.join(" or "))
                    }
                )),
            );
        }
    }
}
