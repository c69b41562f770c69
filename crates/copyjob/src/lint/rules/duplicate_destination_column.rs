use crate::json::ValueRef;
use crate::json::{get_path, Target};
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use std::borrow::Cow;
use std::collections::hash_map::Entry;

declare_rule! {
    /// ## What it does
    ///
    /// Finds two column mappings of one activity (`translator.mappings`) that write the same
    /// destination column (ignoring case).
    ///
    /// ## Why
    ///
    /// A destination table cannot have two columns with one name, and a column cannot receive two
    /// source columns: the copy fails, or one mapping silently wins. It usually comes from a
    /// mapping duplicated by copy and paste.
    ///
    /// ## Examples
    ///
    /// Invalid: two mappings write `ProductID`.
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "translator": { "type": "TabularTranslator", "mappings": [
    ///     { "source": { "name": "ProductID" }, "destination": { "name": "ProductID" } },
    ///     { "source": { "name": "ProductKey" }, "destination": { "name": "ProductID" } } ] } } } ] }
    /// ```
    ///
    /// Valid: each mapping writes its own destination column.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "translator": { "type": "TabularTranslator", "mappings": [
    ///     { "source": { "name": "ProductID" }, "destination": { "name": "ProductID" } },
    ///     { "source": { "name": "ProductKey" }, "destination": { "name": "ProductKey" } } ] } } } ] }
    /// ```
    DuplicateDestinationColumn {
        name: "duplicate-destination-column",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobActivityMapping (source, destination column); fabric-docs' mapping examples map each destination column once. Delta and SQL tables have unique column names (case-insensitive in Lakehouse and Warehouse).",
    }
}

impl Rule for DuplicateDestinationColumn {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let mut seen: foldhash::HashMap<Cow<'_, str>, usize> = foldhash::HashMap::default();
        for (pointer, mappings, _) in ctx.mappings() {
            seen.clear();
            for (m, mapping) in mappings.iter().enumerate() {
                let Some(name) = get_path(mapping, &["destination", "name"]).and_then(ValueRef::as_str)
                else {
                    continue;
                };
                match seen.entry(crate::lint::lower(name)) {
                    Entry::Occupied(first) => ctx.report(
                        content,
                        &format!("{pointer}/properties/translator/mappings/{m}/destination/name"),
                        Target::Value,
                        format!(
                            "mappings[{m}] writes the destination column \"{name}\", as mappings[{}] does",
                            first.get()
                        ),
                        Some("map each destination column once"),
                    ),
                    Entry::Vacant(slot) => {
                        slot.insert(m);
                    }
                }
            }
        }
    }
}
