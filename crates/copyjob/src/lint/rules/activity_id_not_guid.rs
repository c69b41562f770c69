use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, is_guid, is_id_placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that an activity's `id`, when present, is a GUID.
    ///
    /// ## Why
    ///
    /// The Copy job definition article types the activity id as "String (Guid)", and every id the
    /// service writes is one. Production code deploys ids such as `activity_customers`, and the
    /// service accepts them, so this is only an info: a GUID keeps ids unique across jobs and
    /// matches what the portal writes. The id may be left out (Microsoft's own examples do).
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "activity_customers", "properties": {} } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "a0366a87-0e10-4c44-87b4-7efdfd017a11", "properties": {} } ] }
    /// ```
    ActivityIdNotGuid {
        name: "activity-id-not-guid",
        severity: Info,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobActivity.id is 'String (Guid)', not required; real exports use GUIDs; third-party code that deploys jobs through the REST API uses ids such as activity_<table>, which the service accepts, so this is an info.",
    }
}

impl Rule for ActivityIdNotGuid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for (pointer, activity) in ctx.activities() {
            let Some(id) = activity.member("id").and_then(ValueRef::as_str) else { continue };
            if is_guid(id) || is_id_placeholder(id) {
                continue;
            }
            ctx.report(
                content,
                &format!("{pointer}/id"),
                Target::Value,
                format!("the activity id \"{id}\" is not a GUID"),
                Some("use a GUID (for example from `uuidgen`), or leave the id out"),
            );
        }
    }
}
