use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use std::hash::BuildHasher;

declare_rule! {
    /// ## What it does
    ///
    /// Finds two activities with the same `id`.
    ///
    /// ## Why
    ///
    /// An activity's id identifies one table copy within the job: the service keeps each
    /// activity's state (such as the incremental watermark) by it, and resetting a job's
    /// entities names them by id. Two activities with one id — usually an activity duplicated by
    /// copy and paste — make that state ambiguous.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": {} },
    ///                   { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": {} } ] }
    /// ```
    ///
    /// Valid: a new GUID for each activity.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": {} },
    ///                   { "id": "a0366a87-0e10-4c44-87b4-7efdfd017a11", "properties": {} } ] }
    /// ```
    DuplicateActivityId {
        name: "duplicate-activity-id",
        severity: Error,
        fixable: false,
        evidence: "Fabric REST API specification, resetCopyJob: copyJobEntitiesToReset names entities by id; every real definition (fabric-cicd Hello Copy Job: 6 activities) has distinct activity GUIDs.",
    }
}

impl Rule for DuplicateActivityId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let list = ctx.activity_list();
        let id_of = |i: u32| {
            list.as_ref()
                .and_then(|l| l.get(i as usize))
                .and_then(|a| a.member("id"))
                .and_then(ValueRef::as_str)
        };
        // Each id seen, as its activity's index and the low half of its hash: 8 bytes a place,
        // sized for every activity. A table of every id (a string and an index: 32 bytes a
        // place) was larger than the cache, and each lookup missed it twice; the id of a
        // candidate is read again only when the hashes agree.
        let hasher = foldhash::fast::RandomState::default();
        let hash_of = |id: &str| hasher.hash_one(crate::lint::lower(id));
        let mut seen: hashbrown::HashTable<(u32, u32)> =
            hashbrown::HashTable::with_capacity(list.as_ref().map_or(0, |a| a.len()));
        for (i, (pointer, activity)) in ctx.activities().enumerate() {
            let Some(id) = activity.member("id").and_then(ValueRef::as_str) else { continue };
            let lowered = crate::lint::lower(id);
            let hash = hasher.hash_one(&lowered);
            let same = |&(h, j): &(u32, u32)| {
                h == hash as u32 && id_of(j).is_some_and(|other| crate::lint::lower(other) == lowered)
            };
            match seen.find(hash, same) {
                Some(&(_, first)) => ctx.report(
                    content,
                    &format!("{pointer}/id"),
                    Target::Value,
                    format!("activities[{i}] has the same id as activities[{first}]: \"{id}\""),
                    Some("give each activity its own GUID"),
                ),
                None => {
                    let i = u32::try_from(i).unwrap_or(u32::MAX);
                    seen.insert_unique(hash, (hash as u32, i), |&(_, j)| id_of(j).map_or(0, hash_of));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    proptest::proptest! {
        /// Each activity whose id (in any case) an earlier one has is reported, naming the first;
        /// no other is. Ids drawn from a few make duplicates frequent.
        #[test]
        fn each_repeated_id_names_its_first_activity(
            ids in proptest::collection::vec((0..12usize, proptest::bool::ANY, proptest::bool::ANY), 0..60)
        ) {
            let written: Vec<Option<String>> = ids
                .iter()
                .map(|&(n, upper, present)| {
                    let id = format!("2905df0f-1421-42e5-b769-0b0a32cb{n:04x}");
                    present.then(|| if upper { id.to_uppercase() } else { id })
                })
                .collect();
            let activities: Vec<serde_json::Value> = written
                .iter()
                .map(|id| match id {
                    Some(id) => serde_json::json!({ "id": id, "properties": {} }),
                    None => serde_json::json!({ "properties": {} }),
                })
                .collect();
            let text = serde_json::json!({ "properties": { "jobMode": "Batch" }, "activities": activities }).to_string();
            let report = crate::Checker::new().check_file("copyjob-content.json", text.as_bytes());
            let found: Vec<(String, String)> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == "lint/duplicate-activity-id")
                .map(|d| (d.pointer.clone(), d.message.to_string()))
                .collect();
            let mut first: HashMap<String, usize> = HashMap::new();
            let mut expected = Vec::new();
            for (i, id) in written.iter().enumerate() {
                let Some(id) = id else { continue };
                match first.get(&id.to_lowercase()) {
                    Some(j) => expected.push((
                        format!("/activities/{i}/id"),
                        format!("activities[{i}] has the same id as activities[{j}]: \"{id}\""),
                    )),
                    None => {
                        first.insert(id.to_lowercase(), i);
                    }
                }
            }
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
