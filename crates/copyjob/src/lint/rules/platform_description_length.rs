use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `metadata.description` in `.platform` is at most 256 characters long.
    ///
    /// ## Why
    ///
    /// The description of `.platform` becomes the item's description on Git import and with
    /// `updateMetadata=true`; the REST API states "Maximum length is 256 characters" and rejects
    /// a longer one.
    ///
    /// ## Examples
    ///
    /// Invalid: a 300-character description.
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales",
    ///     "description": "Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales tables. Nightly copy of the sales ta" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales", "description": "Nightly copy of the sales tables" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    PlatformDescriptionLength {
        name: "platform-description-length",
        severity: Error,
        fixable: false,
        evidence: "Fabric REST API specification (CreateCopyJobRequest, UpdateCopyJobRequest): 'The CopyJob description. Maximum length is 256 characters.'",
        service_rejects: true,
    }
}

impl Rule for PlatformDescriptionLength {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(text) =
            platform.root().and_then(|v| v.at("/metadata/description")).and_then(ValueRef::as_str)
        else {
            return;
        };
        let max = crate::schema::request_max_length("description");
        let len = text.chars().count();
        if len > max {
            ctx.report(
                platform,
                "/metadata/description",
                Target::Value,
                format!("the description is {len} characters long; Fabric accepts at most {max}"),
                Some(format!("shorten it by {} characters", len - max)),
            );
        }
    }
}
