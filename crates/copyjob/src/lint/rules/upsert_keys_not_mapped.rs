use crate::json::ValueRef;
use crate::json::{get_path, Target};
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

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

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for (pointer, mappings, activity) in ctx.mappings() {
            if mappings.is_empty() {
                continue;
            }
            let Some(key_values) = activity
                .destination
                .and_then(|d| get_path(d, &["upsertSettings", "keys"]))
                .and_then(ValueRef::as_array)
            else {
                continue;
            };
            if key_values.is_empty() {
                continue;
            }
            let columns: Vec<&str> = mappings
                .iter()
                .filter_map(|m| get_path(m, &["destination", "name"]).and_then(ValueRef::as_str))
                .collect();
            let mapped: foldhash::HashSet<&str> = columns.iter().copied().collect();
            // Built at the first key that is not a column: the first column of each ASCII case-folding.
            let mut by_lower: Option<foldhash::HashMap<String, &str>> = None;
            for (k, key) in key_values.iter().enumerate() {
                let Some(key) = key.as_str() else { continue };
                if key.trim().is_empty() || mapped.contains(key) {
                    continue;
                }
                let near = by_lower
                    .get_or_insert_with(|| {
                        let mut map = foldhash::HashMap::default();
                        for c in &columns {
                            map.entry(c.to_ascii_lowercase()).or_insert(*c);
                        }
                        map
                    })
                    .get(&key.to_ascii_lowercase())
                    .copied();
                ctx.report(
                    content,
                    &format!("{pointer}/properties/destination/upsertSettings/keys/{k}"),
                    Target::Value,
                    format!("the key \"{key}\" is not a destination column of the mappings"),
                    Some(match near {
                        Some(c) => format!("column names are case-sensitive: did you mean \"{c}\"?"),
                        None => format!("use one of the mapped destination columns: {}", list(&columns)),
                    }),
                );
            }
        }
    }
}

/// The columns, comma-separated; a long list names its first [`LISTED`] and counts the rest.
fn list(columns: &[&str]) -> String {
    let mut text = columns.iter().take(LISTED).copied().collect::<Vec<_>>().join(", ");
    if columns.len() > LISTED {
        text.push_str(&format!(" and {} more", columns.len() - LISTED));
    }
    text
}

/// How many columns a help names.
const LISTED: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_column_list_is_cut() {
        let columns: Vec<String> = (0..25).map(|i| format!("c{i}")).collect();
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        assert_eq!(list(&columns[..2]), "c0, c1");
        assert_eq!(list(&columns[..20]), columns[..20].join(", "));
        assert_eq!(list(&columns), format!("{} and 5 more", columns[..20].join(", ")));
    }
}
