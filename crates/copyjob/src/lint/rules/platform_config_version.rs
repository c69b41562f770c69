use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `config.version` in `.platform` is `"2.0"`.
    ///
    /// ## Why
    ///
    /// The version is the version of Fabric's Git system files; every `.platform` Fabric writes
    /// says `"2.0"`, the version of the platformProperties schema it references. Another value
    /// (`"2"`, `"1.0"`, `"2.1"`) was typed by hand and may not be understood by Git integration.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.1", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } }
    /// ```
    PlatformConfigVersion {
        name: "platform-config-version",
        severity: Warning,
        fixable: false,
        evidence: "Every real .platform (fabric-cli recording, fabric-cicd exports) has config.version \"2.0\"; the upstream schema allows any string, so this is a warning.",
    }
}

impl Rule for PlatformConfigVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(version) = platform.root().and_then(|v| v.at("/config/version")).and_then(ValueRef::as_str)
        else {
            return;
        };
        if version != "2.0" {
            ctx.report(
                platform,
                "/config/version",
                Target::Value,
                format!("config.version is \"{version}\"; Fabric writes \"2.0\""),
                Some("set \"version\": \"2.0\"".to_owned()),
            );
        }
    }
}
