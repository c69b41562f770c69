use super::upsert_without_keys::keys;
use crate::json::Lookup as _;
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    ///
    /// When an activity has column mappings (`translator.mappings`), checks that every upsert or
    /// merge key in `upsertSettings.keys` is one of the mapped destination columns.
    ///
    /// ## Why
    ///
    /// Keys name destination columns. With explicit mappings, only the mapped columns are
    /// written: a key that no mapping writes (a typo, or the source column's name where the
    /// destination's differs) cannot match any row.
    ///
    /// ## Examples
    ///
    /// Invalid: the key names the source column, not the destination one.
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "destination": { "writeBehavior": "Upsert", "upsertSettings": { "keys": ["CustomerId"] }, "datasetSettings": { "table": "customers" } },
    ///     "translator": { "type": "TabularTranslator", "mappings": [ { "source": { "name": "CustomerId" }, "destination": { "name": "customer_id" } } ] } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "destination": { "writeBehavior": "Upsert", "upsertSettings": { "keys": ["customer_id"] }, "datasetSettings": { "table": "customers" } },
    ///     "translator": { "type": "TabularTranslator", "mappings": [ { "source": { "name": "CustomerId" }, "destination": { "name": "customer_id" } } ] } } } ] }
    /// ```
    UpsertKeysNotMapped {
        name: "upsert-keys-not-mapped",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: upsertSettings.keys and translator.mappings[].destination.name; fabric-docs' mapping examples map source to destination columns by name.",
    }
}

impl Rule for UpsertKeysNotMapped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for (pointer, mappings, activity) in ctx.mappings() {
            if mappings.is_empty() {
                continue;
            }
            let columns: Vec<&str> =
                mappings.iter().filter_map(|m| m.at("/destination/name").and_then(Value::as_str)).collect();
            let Some(destination) = activity.at("/properties/destination") else { continue };
            let Some(key_values) = destination.at("/upsertSettings/keys").and_then(Value::as_array) else {
                continue;
            };
            if keys(destination).is_none() {
                continue;
            }
            for (k, key) in key_values.iter().enumerate() {
                let Some(key) = key.as_str() else { continue };
                if key.trim().is_empty() || columns.contains(&key) {
                    continue;
                }
                let near = columns.iter().find(|c| c.eq_ignore_ascii_case(key));
                ctx.report(
                    content,
                    &format!("{pointer}/properties/destination/upsertSettings/keys/{k}"),
                    Target::Value,
                    format!("the key \"{key}\" is not a destination column of the mappings"),
                    Some(match near {
                        Some(c) => format!("column names are case-sensitive: did you mean \"{c}\"?"),
                        None => format!("use one of the mapped destination columns: {}", columns.join(", ")),
                    }),
                );
            }
        }
    }
}
