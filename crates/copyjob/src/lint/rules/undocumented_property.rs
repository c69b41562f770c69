use super::misspelled_property::{known, Judge};
use crate::json::{pointer_with, walk_to_depth, JsonText, Segment, Target, ValueRef};
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use crate::schema::SchemaId;

declare_rule! {
    /// ## What it does
    ///
    /// Notes a property that no documentation of `copyjob-content.json` or `.platform` names and
    /// that is not a misspelling of one (those are `lint/misspelled-property`): `sources`,
    /// `sinks` or `mappings` at the job level, `tableAction` in a destination. Only the
    /// structure is checked — the job, its `properties`, `source`, `destination`, `policy`,
    /// `connectionSettings`, each activity and its `properties`, `source`, `destination` and
    /// `translator`, and `.platform`'s objects — not the connector-specific settings
    /// (`typeProperties`, `datasetSettings`, `storeSettings`, `formatSettings`, ...), which
    /// differ by connector.
    ///
    /// ## Why
    ///
    /// The service ignores properties it does not know, so an invented structure passes
    /// silently and copies nothing it describes. Real exports carry properties Microsoft's field
    /// table leaves out (`fullLoadBehavior`, `applyVOrder`, `retry`), so an unknown name is not
    /// necessarily wrong: an info.
    ///
    /// ## Examples
    ///
    /// Reported:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" }, "activities": [], "sources": [ { "table": "Sales" } ] }
    /// ```
    ///
    /// Not reported: every documented property, and every property inside connector settings.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "source": { "type": "AzureSqlTable", "connectionSettings": { "type": "AzureSqlDatabase", "typeProperties": { "database": "salesdb", "anyConnectorSetting": "kept" } } } },
    ///   "activities": [] }
    /// ```
    UndocumentedProperty {
        name: "undocumented-property",
        severity: Info,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition (the field table) and the properties real exports add (fabric-cicd, nbki: fullLoadBehavior, retry, applyVOrder, enableTimestampNtz, enableChangeDataFeed), all in schemas/copyjob-content.schema.json. The service ignores unknown properties rather than rejecting them, so this is an info.",
    }
}

/// The root keys `lint/misplaced-job-property` reports.
pub(crate) const JOB_PROPERTIES: [&str; 5] =
    ["jobMode", "source", "destination", "policy", "fullLoadBehavior"];
/// The activity keys `lint/misplaced-job-property` reports.
pub(crate) const ACTIVITY_PROPERTIES: [&str; 5] =
    ["source", "destination", "translator", "typeConversionSettings", "enableStaging"];

/// The deepest path [`structural`] knows.
const STRUCTURE_DEPTH: usize = 4;

/// What the object at `path` is, when it is part of the structure this rule checks, and the
/// only keys it allows when they are fixed.
fn structural(id: SchemaId, path: &[Segment<'_>]) -> Option<Option<&'static [&'static str]>> {
    use Segment::{Index, Key};
    if id == SchemaId::Platform {
        return match path {
            [] => Some(Some(&["$schema", "metadata", "config"])),
            [Key("metadata" | "config")] => Some(None),
            _ => None,
        };
    }
    match path {
        [] => Some(Some(&["properties", "activities"])),
        [Key("properties")] | [Key("properties"), Key("source" | "destination" | "policy")] => Some(None),
        [Key("properties"), Key("source" | "destination"), Key("connectionSettings")] => Some(None),
        [Key("activities"), Index(_)] => Some(Some(&["id", "properties"])),
        [Key("activities"), Index(_), Key("properties")] => Some(None),
        [Key("activities"), Index(_), Key("properties"), Key("source" | "destination" | "translator")] => {
            Some(None)
        }
        _ => None,
    }
}

/// A hint for keys people invent.
fn hint(key: &str) -> Option<&'static str> {
    Some(match key {
        "sources" | "sourceList" => "a job has one source, \"properties.source\"; each table is an activity",
        "sinks" | "sink" | "destinations" | "targets" | "target" => {
            "a job has one destination, \"properties.destination\"; each table is an activity"
        }
        "mappings" | "columnMappings" | "mapping" => {
            "column mappings are each activity's \"properties.translator.mappings\""
        }
        "tables" | "tableList" => "each table is an activity in \"activities\"",
        "tableAction" | "tableBehavior" => {
            "a destination's table handling is \"tableOption\" (e.g. \"autoCreate\"), its update method \"writeBehavior\""
        }
        _ => return None,
    })
}

fn check_part(ctx: &mut LintContext<'_>, json: &JsonText<'_>, id: SchemaId) {
    let Some(root) = json.root() else { return };
    let known = known(id);
    let mut judge = Judge::new(known);
    let mut found: Vec<(String, &str, ValueRef<'_>)> = Vec::new();
    // The structure this rule knows is at most four levels deep (`activities/0/properties/source`).
    walk_to_depth(root, STRUCTURE_DEPTH, &mut Vec::new(), &mut |path, value| {
        let Some(object) = value.as_object() else { return };
        let Some(allowed) = structural(id, path) else { return };
        for (key, member) in object.iter() {
            if id == SchemaId::Content && path.is_empty() && JOB_PROPERTIES.contains(&key) {
                continue;
            }
            if id == SchemaId::Content
                && matches!(path, [Segment::Key("activities"), Segment::Index(_)])
                && ACTIVITY_PROPERTIES.contains(&key)
            {
                continue;
            }
            let unknown = match allowed {
                Some(list) => !list.contains(&key) && judge.intended(key).is_none_or(|r| !list.contains(&r)),
                None => {
                    !known.names.contains(key)
                        && judge.intended(key).is_none_or(|right| object.contains_key(right))
                }
            };
            if unknown {
                found.push((pointer_with(path, Some(key)), key, member));
            }
        }
    });
    // The message names the key; the help is the same for every key (no text written per
    // diagnostic beyond the message: a document with the same stray key in every activity
    // reports it thousands of times).
    for (at, key, member) in found {
        let help = hint(key).unwrap_or(
            "the service ignores unknown properties: remove it, or check its name against a definition the service exported",
        );
        ctx.report_on(json, member, at, Target::Key, ["unknown property \"", key, "\""].concat(), Some(help));
    }
}

impl Rule for UndocumentedProperty {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        if let Some(content) = ctx.content {
            check_part(ctx, content, SchemaId::Content);
        }
        if let Some(platform) = ctx.platform {
            check_part(ctx, platform, SchemaId::Platform);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Index, Key};

    #[test]
    fn the_walk_reaches_the_deepest_structure() {
        let deepest = [Key("activities"), Index(0), Key("properties"), Key("translator")];
        assert_eq!(deepest.len(), STRUCTURE_DEPTH);
        assert!(structural(SchemaId::Content, &deepest).is_some());
        for role in ["source", "destination", "translator"] {
            let deeper = [Key("activities"), Index(0), Key("properties"), Key(role), Key("datasetSettings")];
            assert!(structural(SchemaId::Content, &deeper).is_none());
        }
        let connection = [Key("properties"), Key("source"), Key("connectionSettings"), Key("typeProperties")];
        assert!(structural(SchemaId::Content, &connection).is_none());
    }
}
