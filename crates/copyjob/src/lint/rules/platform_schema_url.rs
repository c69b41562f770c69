use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

/// The platformProperties schema URLs Fabric writes and accepts.
pub const KNOWN: [&str; 2] = [
    "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.1.0/schema.json",
];

declare_rule! {
    /// ## What it does
    ///
    /// Checks that `$schema` in `.platform` is a known platformProperties schema URL (2.0.0 or
    /// 2.1.0).
    ///
    /// ## Why
    ///
    /// Fabric writes the 2.0.0 URL in every `.platform` it exports and publishes 2.0.0 and 2.1.0.
    /// Another URL — a typo, an older `git-integration/v2` path, or the malformed example of the
    /// docs — means the file was written by hand and editors validate it against the wrong
    /// schema. A wrong `http://` scheme or case has a safe fix.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid .platform
    /// { "$schema": "https://developer.microsoft.com/json-schemas/fabric/platform/platformProperties.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
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
    PlatformSchemaUrl {
        name: "platform-schema-url",
        severity: Warning,
        fixable: true,
        evidence: "microsoft/json-schemas publishes fabric/gitIntegration/platformProperties 2.0.0 and 2.1.0; every real Copy job .platform references 2.0.0; the Learn page's own sample URL is malformed.",
    }
}

impl Rule for PlatformSchemaUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(platform) = ctx.platform else { return };
        let Some(url) = platform.root().and_then(|v| v.member("$schema")).and_then(ValueRef::as_str) else {
            return;
        };
        if KNOWN.contains(&url) {
            return;
        }
        let normalized = url.replacen("http://", "https://", 1);
        let close = KNOWN.iter().find(|k| k.eq_ignore_ascii_case(&normalized));
        let message = format!("\"{url}\" is not a platformProperties schema URL Fabric uses");
        match close {
            Some(known) => ctx.report_with_fix(
                platform,
                "/$schema",
                Target::Value,
                message,
                Some(format!("write \"{known}\"")),
                "use the exact schema URL".to_owned(),
                format!("\"{known}\""),
            ),
            None => ctx.report(
                platform,
                "/$schema",
                Target::Value,
                message,
                Some(format!("use \"{}\"", KNOWN[0])),
            ),
        }
    }
}
