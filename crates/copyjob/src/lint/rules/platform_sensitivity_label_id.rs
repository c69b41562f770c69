use crate::json::Target;
use crate::lint::{declare_rule, is_guid, is_id_placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `metadata.sensitivityLabelId` in `.platform`, when present, is a GUID string.
    ///
    /// ## Why
    ///
    /// platformProperties 2.1.0 adds the sensitivity label applied to the item as a string id;
    /// sensitivity labels are identified by GUIDs. A number, an object or a label *name* is not
    /// an id and cannot be applied.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales", "sensitivityLabelId": "Confidential" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales", "sensitivityLabelId": "b7b4f4d9-3f0d-4b3e-8f3d-4f6d3f4f3f4f" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    PlatformSensitivityLabelId {
        name: "platform-sensitivity-label-id",
        severity: Warning,
        fixable: false,
        evidence: "microsoft/json-schemas platformProperties 2.1.0: sensitivityLabelId is a string, 'Unique identifier for the sensitivity label applied to the item'; the REST API's sensitivityLabelSettings.labelId is a uuid.",
    }
}

impl Rule for PlatformSensitivityLabelId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(label) = platform.root().and_then(|v| v.at("/metadata/sensitivityLabelId")) else {
            return;
        };
        match label.as_str() {
            Some(s) if is_guid(s) || is_id_placeholder(s) => {}
            Some(s) => ctx.report(
                platform,
                "/metadata/sensitivityLabelId",
                Target::Value,
                format!("the sensitivity label id \"{s}\" is not a GUID"),
                Some("use the label's id (a GUID), not its name"),
            ),
            None => ctx.report(
                platform,
                "/metadata/sensitivityLabelId",
                Target::Value,
                "the sensitivity label id is not a string".to_owned(),
                Some("write the label's id as a GUID string"),
            ),
        }
    }
}
