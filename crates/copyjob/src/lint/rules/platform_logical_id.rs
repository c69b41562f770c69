use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, is_guid, is_id_placeholder, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `config.logicalId` in `.platform` is a GUID in the 8-4-4-4-12 hexadecimal form.
    ///
    /// ## Why
    ///
    /// The logical id is the cross-workspace identity of the item in Git; Fabric generates it as
    /// a GUID. A hand-edited id that is not one will not match any item. The check is on the
    /// shape only, not RFC 4122 version bits: real ids such as
    /// `09025161-3298-a423-4fce-7c0227e3df52` have arbitrary version nibbles, and the service
    /// returns the all-zero GUID for items outside a Git-connected workspace.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.0", "logicalId": "sales-copy-job" } }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    PlatformLogicalId {
        name: "platform-logical-id",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Git integration source code format: logicalId is 'an automatically generated cross-workspace identifier'; real values are GUIDs with arbitrary version nibbles (fabric-cicd exports), the zero GUID outside Git (fabric-cli recording). The upstream schema has no pattern, so this is a warning.",
    }
}

impl Rule for PlatformLogicalId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(id) = platform.root().and_then(|v| v.at("/config/logicalId")).and_then(ValueRef::as_str)
        else {
            return;
        };
        if is_guid(id) || is_id_placeholder(id) {
            return;
        }
        ctx.report(
            platform,
            "/config/logicalId",
            Target::Value,
            format!("the logical id \"{id}\" is not a GUID"),
            Some(
                "use the id Fabric generated, or a new GUID for a new item (for example from `uuidgen`)"
                    .to_owned(),
            ),
        );
    }
}
