use crate::json::{JsonText, Target};
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use crate::schema::SchemaId;
use crate::suggest::{Bound, Prepared};
use std::collections::BTreeSet;
use std::sync::OnceLock;

declare_rule! {
    /// ## What it does
    ///
    /// Finds property names that are a misspelling or a wrong casing of a known property of
    /// `copyjob-content.json` or `.platform` — `writeBehaviour`, `ReadMethod`, `Schema`,
    /// `displayname` — and offers to rename them.
    ///
    /// ## Why
    ///
    /// Property names are case-sensitive and the service ignores properties it does not know, so
    /// a misspelled one is silently dropped: `"writeBehaviour": "Overwrite"` leaves the job
    /// appending rows. Microsoft's own field table in the Copy job definition article spells
    /// `writeBehaviour`, `Schema`, `Location`, `ReadMethod` and `Columns`, while every real file
    /// uses `writeBehavior`, `schema`, `location`, `readMethod` and `columns` — so these typos are
    /// easy to copy.
    ///
    /// A key is taken for a misspelling only when it is close: the same letters in another case,
    /// or one edit away (two for names of 12 characters or more). An invented key — `sources`
    /// (the plural of `source`), `sinks`, `tableAction` — gets no suggestion here;
    /// `lint/undocumented-property` notes it as unknown.
    ///
    /// The fix renames the key; it is only offered when the right name is not already present in
    /// the same object.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehaviour": "Overwrite", "datasetSettings": { "Schema": "dbo", "table": "sales" } } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "source": { "datasetSettings": { "table": "t" } }, "destination": { "writeBehavior": "Overwrite", "datasetSettings": { "schema": "dbo", "table": "sales" } } } } ] }
    /// ```
    MisspelledProperty {
        name: "misspelled-property",
        severity: Warning,
        fixable: true,
        evidence: "Microsoft Learn, Copy job definition: the field table spells writeBehaviour, Schema, Location, ReadMethod, Columns, WildcardFolderPath; Microsoft's examples and all real exports (fabric-cicd, nbki) use the camelCase spellings. Unknown properties are ignored rather than rejected, so this is a warning.",
    }
}

/// Every property name the schema documents, with its lower-case spelling and length.
pub(crate) struct Known {
    pub(crate) names: foldhash::HashSet<String>,
    by_lower: foldhash::HashMap<String, String>,
    /// The names in order, prepared for did-you-mean.
    order: Vec<String>,
    prepared: Prepared,
}

/// How many distinct unknown keys a [`Judge`] remembers.
const JUDGED: usize = 4096;

pub(crate) fn known(id: SchemaId) -> &'static Known {
    static CONTENT: OnceLock<Known> = OnceLock::new();
    static PLATFORM: OnceLock<Known> = OnceLock::new();
    let cell = if id == SchemaId::Content { &CONTENT } else { &PLATFORM };
    cell.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(id.source()).unwrap_or_default();
        let mut names = BTreeSet::new();
        collect(&schema, &mut names);
        let mut by_lower = foldhash::HashMap::default();
        for name in &names {
            by_lower.entry(name.to_lowercase()).or_insert_with(|| name.clone());
        }
        let order: Vec<String> = names.iter().cloned().collect();
        let prepared = Prepared::new(order.iter().map(String::as_str));
        Known { names: names.into_iter().collect(), by_lower, order, prepared }
    })
}

fn collect(schema: &serde_json::Value, names: &mut BTreeSet<String>) {
    use serde_json::Value;
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                names.extend(props.keys().cloned());
            }
            map.values().for_each(|v| collect(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
        _ => {}
    }
}

/// The known name `key` is probably a misspelling of: the same letters in another case, or one
/// edit away (two for names of 12 characters or more). The plural of a singular name
/// (`sources`) and a changed word (`tableAction` for `tableOption`) are invented keys, not
/// misspellings: no suggestion, `lint/undocumented-property` notes them.
pub(crate) fn intended<'k>(key: &str, known: &'k Known) -> Option<&'k str> {
    if known.names.contains(key) {
        return None;
    }
    let lower = key.to_lowercase();
    if let Some(k) = known.by_lower.get(&lower) {
        return Some(k);
    }
    // Same letters in another case were found above: a bound of 0 suggests nothing.
    let by_length: Bound = |word, _| match word {
        0..=5 => 0,
        6..=11 => 1,
        _ => 2,
    };
    let singular = lower.strip_suffix('s');
    // Names are in order: the first of equally close names wins.
    let nearest = known.prepared.nearest_lower(&lower, by_length, |name| Some(name) == singular)?;
    known.order.get(nearest).map(String::as_str)
}

/// [`intended`] for the keys of one part: keys repeat across activities, so each distinct
/// unknown key is judged once — up to `JUDGED` of them: past that the keys are not repeating,
/// and remembering each would only grow the map.
pub(crate) struct Judge<'k, 'v> {
    known: &'k Known,
    judged: foldhash::HashMap<&'v str, Option<&'k str>>,
}

impl<'k, 'v> Judge<'k, 'v> {
    pub(crate) fn new(known: &'k Known) -> Self {
        Judge { known, judged: foldhash::HashMap::default() }
    }

    /// What `key` is probably a misspelling of (`None` for a known name).
    pub(crate) fn intended(&mut self, key: &'v str) -> Option<&'k str> {
        if self.known.names.contains(key) {
            return None;
        }
        if let Some(judged) = self.judged.get(key) {
            return *judged;
        }
        let judged = intended(key, self.known);
        if self.judged.len() < JUDGED {
            self.judged.insert(key, judged);
        }
        judged
    }
}

fn check_part(ctx: &mut LintContext<'_>, json: &JsonText<'_>, id: SchemaId) {
    let mut judge = Judge::new(known(id));
    let mut found: Vec<(String, &str, &str)> = Vec::new();
    // Every object on its own, in the table's order (no walk: only a finding needs its path).
    for value in json.all_objects() {
        let Some(object) = value.as_object() else { continue };
        for (key, member) in object.iter() {
            let Some(right) = judge.intended(key) else {
                continue;
            };
            if !object.contains_key(right) {
                // `None`: a value a later duplicate key replaced, not in the document's value.
                if let Some(pointer) = member.pointer() {
                    found.push((pointer, key, right));
                }
            }
        }
    }
    for (at, key, right) in found {
        ctx.report_with_fix(
            json,
            &at,
            Target::Key,
            format!("unknown property \"{key}\": did you mean \"{right}\"?"),
            Some(format!("the service ignores \"{key}\"; the property is spelled \"{right}\"")),
            format!("rename \"{key}\" to \"{right}\""),
            serde_json::Value::String(right.to_owned()).to_string(),
        );
    }
}

impl Rule for MisspelledProperty {
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

    /// Equally close names: the first in order wins; a closer one later still wins over it.
    #[test]
    fn the_closest_and_then_the_first_name_wins() {
        let known = known(SchemaId::Content);
        // One edit from both `exportSettings` and `importSettings`.
        assert_eq!(intended("ixportSettings", known), Some("exportSettings"));
        // Two edits from `exportSettings`, one from `importSettings`.
        assert_eq!(intended("imxortSettings", known), Some("importSettings"));
        assert_eq!(intended("exportSettings", known), None);
    }

    /// Past `JUDGED` distinct unknown keys the judge stops remembering, and still answers.
    #[test]
    fn the_judge_remembers_a_bounded_number_of_keys() {
        let keys: Vec<String> = (0..JUDGED + 10).map(|i| format!("k{i:07}")).collect();
        let mut judge = Judge::new(known(SchemaId::Content));
        for key in &keys {
            assert_eq!(judge.intended(key), None);
        }
        assert_eq!(judge.judged.len(), JUDGED);
        assert_eq!(judge.intended("writeBehaviour"), Some("writeBehavior"));
        assert_eq!(judge.intended("writeBehaviour"), Some("writeBehavior"));
    }
}
