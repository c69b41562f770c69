use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `metadata.type` in `.platform` is exactly `CopyJob`.
    ///
    /// ## Why
    ///
    /// The type tells Fabric's Git integration which kind of item the folder holds, and it is
    /// case-sensitive: a `.platform` that says `copyjob` or `DataPipeline` is not imported as a
    /// Copy job. Microsoft's docs warn: "The type field is case-sensitive. Don't change the way
    /// it's automatically generated or it might fail."
    ///
    /// A wrongly cased `CopyJob` has a safe fix.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "copyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    PlatformType {
        name: "platform-type",
        severity: Error,
        fixable: true,
        evidence: "Microsoft Learn, Git integration source code format (`.platform`): the type is case-sensitive; every real Copy job `.platform` (fabric-cli recording, fabric-cicd exports) says `CopyJob`.",
    }
}

impl Rule for PlatformType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(kind) = platform.root().and_then(|v| v.at("/metadata/type")).and_then(ValueRef::as_str)
        else {
            return;
        };
        if kind == "CopyJob" {
            return;
        }
        let message = format!("the item type is \"{kind}\", not \"CopyJob\"");
        if kind.eq_ignore_ascii_case("copyjob") {
            ctx.report_with_fix(
                platform,
                "/metadata/type",
                Target::Value,
                message,
                Some("the type is case-sensitive: write \"CopyJob\"".to_owned()),
                format!("replace \"{kind}\" with \"CopyJob\""),
                "\"CopyJob\"".to_owned(),
            );
        } else {
            ctx.report(
                platform,
                "/metadata/type",
                Target::Value,
                message,
                Some("this folder is not a Copy job, or its .platform was copied from another item: set \"type\": \"CopyJob\"".to_owned()),
            );
        }
    }
}
