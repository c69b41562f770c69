use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

/// What the `.platform` payload of Microsoft's REST API examples decodes to.
pub const DOCS_PLATFORM_PLACEHOLDER: &str = "dotPlatformBase64String";

declare_rule! {
    /// ## What it does
    ///
    /// Finds a `.platform` part whose payload is `ZG90UGxhdGZvcm1CYXNlNjRTdHJpbmc=`, the
    /// placeholder of Microsoft's REST API examples, which decodes to the text
    /// `dotPlatformBase64String`.
    ///
    /// ## Why
    ///
    /// The create, getDefinition and updateDefinition examples of the Fabric REST API
    /// documentation carry this placeholder instead of a real `.platform`. A request body copied
    /// from the docs sends it as if it were real, and the service rejects the definition.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid body
    /// { "definition": { "parts": [
    ///   { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" },
    ///   { "path": ".platform", "payload": "ZG90UGxhdGZvcm1CYXNlNjRTdHJpbmc=", "payloadType": "InlineBase64" } ] } }
    /// ```
    ///
    /// Valid: leave the `.platform` part out, or send a real one.
    ///
    /// ```json valid body
    /// { "definition": { "parts": [
    ///   { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" } ] } }
    /// ```
    DocsPlaceholderPlatform {
        name: "docs-placeholder-platform",
        severity: Error,
        fixable: false,
        evidence: "Fabric REST API specification, copyJob examples (CreateCopyJob, GetCopyJobDefinition, UpdateCopyJobDefinition): the .platform payload is the placeholder ZG90UGxhdGZvcm1CYXNlNjRTdHJpbmc=.",
        service_rejects: true,
    }
}

impl Rule for DocsPlaceholderPlatform {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(text) = ctx.platform_text else { return };
        if text.trim() != DOCS_PLATFORM_PLACEHOLDER {
            return;
        }
        let index = crate::LineIndex::new(text);
        let start = text.find(DOCS_PLATFORM_PLACEHOLDER).unwrap_or(0);
        ctx.out.push(crate::Diagnostic {
            code: Self::META.code().into(),
            severity: Self::META.severity,
            message: format!("the .platform part is the placeholder \"{DOCS_PLATFORM_PLACEHOLDER}\" of Microsoft's API examples").into(),
            help: Some("leave the .platform part out, or send the item's real .platform (copyjob pack adds it from the item folder)".into()),
            part: Some(crate::PLATFORM_PART.into()),
            pointer: String::new(),
            range: index.range(start, start + DOCS_PLATFORM_PLACEHOLDER.len()),
            fix: None,
        });
    }
}
