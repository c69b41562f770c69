use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

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
        // foldhash, sized for every activity: SipHash and the table's growth were most of this rule.
        let mut seen: foldhash::HashMap<Cow<'_, str>, usize> =
            HashMap::with_capacity_and_hasher(ctx.activity_list().map_or(0, |a| a.len()), Default::default());
        for (i, (pointer, activity)) in ctx.activities().enumerate() {
            let Some(id) = activity.member("id").and_then(ValueRef::as_str) else { continue };
            // One lookup per id (a table of every activity's id is larger than the cache).
            match seen.entry(crate::lint::lower(id)) {
                Entry::Occupied(first) => ctx.report(
                    content,
                    &format!("{pointer}/id"),
                    Target::Value,
                    format!("activities[{i}] has the same id as activities[{}]: \"{id}\"", first.get()),
                    Some("give each activity its own GUID"),
                ),
                Entry::Vacant(place) => {
                    place.insert(i);
                }
            }
        }
    }
}
