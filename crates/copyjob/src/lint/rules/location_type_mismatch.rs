use crate::connectors::{catalog, TypeKind};
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds an activity whose `datasetSettings.location.type` or `storeSettings.type` does not
    /// fit the job's connection of that side in the [connector catalog](../connectors.md): an
    /// `AzureBlobFSLocation` read through an `AzureBlobStorage` connection, a
    /// `LakehouseLocation` on Amazon S3, a location on a database.
    ///
    /// ## Why
    ///
    /// A location names the store its path is in (a Blob container, an ADLS Gen2 file system, a
    /// Lakehouse's Files folder); the store settings how to read or write it. Both belong to one
    /// connector, and a mismatch — typical after switching a job from Blob Storage to ADLS Gen2
    /// — leaves the path pointing at a store the connection cannot open. Both names must be in
    /// the catalog; it is a warning because most location names are inferred from Data
    /// Factory's.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "Parquet", "connectionSettings": { "type": "AzureBlobStorage" } } },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "location": { "type": "AzureBlobFSLocation", "fileSystem": "sales", "folderPath": "2026/orders" } } } } } ] }
    /// ```
    ///
    /// Valid: `"location": { "type": "AzureBlobStorageLocation", "container": "...", "folderPath": "..." }`.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "Parquet", "connectionSettings": { "type": "AzureBlobStorage" } } },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "location": { "type": "AzureBlobStorageLocation", "container": "sales", "folderPath": "2026/orders" } } } } } ] }
    /// ```
    LocationTypeMismatch {
        name: "location-type-mismatch",
        severity: Warning,
        fixable: false,
        evidence: "The connector catalog (docs/connectors.md): the fabric-cicd export pairs AzureBlobStorageLocation with AzureBlobStorage; third-party definitions LakehouseLocation with Lakehouse and SharePointOnlineFileStoreLocation with SharePointOnlineFile; Data Factory's connector articles name the others (inferred), so this is a warning.",
    }
}

impl Rule for LocationTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let catalog = catalog();
        let ends = ctx.endpoints();
        for field in ctx.type_fields().iter() {
            if !matches!(field.kind, TypeKind::Location | TypeKind::StoreSettings)
                || !catalog.knows(field.kind, field.value)
            {
                continue;
            }
            let Some(end) = ends.iter().find(|e| e.role == field.role) else { continue };
            let Some(connection) = end.connection_type else { continue };
            let connectors = catalog.by_connection_type(connection);
            if connectors.is_empty() {
                continue;
            }
            let names = |c: &crate::connectors::Connector| -> Vec<String> {
                let list = if field.kind == TypeKind::Location {
                    &c.location_types
                } else {
                    &c.store_settings_types
                };
                list.iter().map(|n| n.name.clone()).collect()
            };
            let allowed: Vec<String> = connectors.iter().flat_map(|c| names(c)).collect();
            if allowed.iter().any(|n| n == field.value) {
                continue;
            }
            let owner = catalog
                .connectors
                .iter()
                .find(|c| names(c).iter().any(|n| n == field.value))
                .map(|c| format!("; \"{}\" belongs to {} (\"{}\")", field.value, c.name, c.connection_type()))
                .unwrap_or_default();
            let help = if allowed.is_empty() {
                format!("connection type \"{connection}\" has no {}: remove it{owner}", field.kind.label())
            } else {
                let list: Vec<String> = allowed.iter().map(|n| format!("\"{n}\"")).collect();
                format!("connection type \"{connection}\" takes {}{owner}", list.join(" or "))
            };
            ctx.report(
                content,
                &field.pointer,
                Target::Value,
                format!(
                    "{} \"{}\" does not fit the {} connection type \"{connection}\"",
                    field.kind.label(),
                    field.value,
                    field.role
                ),
                Some(help),
            );
        }
    }
}
