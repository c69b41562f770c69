use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `metadata.displayName` in `.platform` is not empty and at most 123 characters
    /// long.
    ///
    /// ## Why
    ///
    /// With `updateMetadata=true`, and on Git import, the display name of `.platform` becomes the
    /// item's name. Fabric rejects an empty name and names over 123 characters, the limit
    /// Microsoft's Terraform provider enforces for every item.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales copy" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    PlatformDisplayName {
        name: "platform-display-name",
        severity: Error,
        fixable: false,
        evidence: "microsoft/terraform-provider-fabric validates DisplayNameMaxLength 123 for copy jobs and all items; the create request requires a display name.",
        service_rejects: true,
    }
}

impl Rule for PlatformDisplayName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(name) =
            platform.root().and_then(|v| v.at("/metadata/displayName")).and_then(ValueRef::as_str)
        else {
            return;
        };
        let max = crate::schema::request_max_length("displayName");
        let len = name.chars().count();
        if name.trim().is_empty() {
            ctx.report(
                platform,
                "/metadata/displayName",
                Target::Value,
                "the display name is empty".to_owned(),
                Some("give the Copy job a name"),
            );
        } else if len > max {
            ctx.report(
                platform,
                "/metadata/displayName",
                Target::Value,
                format!("the display name is {len} characters long; Fabric accepts at most {max}"),
                Some(format!("shorten it by {} characters", len - max)),
            );
        }
    }
}
