use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// In a create request body that carries a `.platform` part, checks that the body's
    /// `displayName` equals the `.platform`'s `metadata.displayName`.
    ///
    /// ## Why
    ///
    /// On create, Fabric "respects the platform file if provided": two different names make it
    /// unclear which one the item gets, and the next Git sync or `updateMetadata=true` renames the
    /// item. Usually one of the two was not updated when the job was copied or renamed.
    ///
    /// ## Examples
    ///
    /// Invalid: the body says `Sales copy`, its base64 `.platform` part says `Sales`.
    ///
    /// ```json invalid body
    /// { "displayName": "Sales copy",
    ///   "definition": { "parts": [
    ///     { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" },
    ///     { "path": ".platform", "payload": "eyJtZXRhZGF0YSI6IHsidHlwZSI6ICJDb3B5Sm9iIiwgImRpc3BsYXlOYW1lIjogIlNhbGVzIn0sICJjb25maWciOiB7InZlcnNpb24iOiAiMi4wIiwgImxvZ2ljYWxJZCI6ICIwOTAyNTE2MS0zMjk4LWE0MjMtNGZjZS03YzAyMjdlM2RmNTIifX0=", "payloadType": "InlineBase64" } ] } }
    /// ```
    ///
    /// Valid: the same name in both.
    ///
    /// ```json valid body
    /// { "displayName": "Sales",
    ///   "definition": { "parts": [
    ///     { "path": "copyjob-content.json", "payload": "eyJwcm9wZXJ0aWVzIjp7ImpvYk1vZGUiOiJCYXRjaCJ9LCJhY3Rpdml0aWVzIjpbXX0=", "payloadType": "InlineBase64" },
    ///     { "path": ".platform", "payload": "eyJtZXRhZGF0YSI6IHsidHlwZSI6ICJDb3B5Sm9iIiwgImRpc3BsYXlOYW1lIjogIlNhbGVzIn0sICJjb25maWciOiB7InZlcnNpb24iOiAiMi4wIiwgImxvZ2ljYWxJZCI6ICIwOTAyNTE2MS0zMjk4LWE0MjMtNGZjZS03YzAyMjdlM2RmNTIifX0=", "payloadType": "InlineBase64" } ] } }
    /// ```
    DisplayNameMismatch {
        name: "display-name-mismatch",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, item definition overview: 'Create Item with definition — Respects the platform file if provided'. Which name wins is not documented, so this is a warning.",
    }
}

impl Rule for DisplayNameMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let (Some(document), Some(platform)) = (ctx.document, ctx.platform) else { return };
        let Some(body_name) =
            document.root().and_then(|v| v.member("displayName")).and_then(ValueRef::as_str)
        else {
            return;
        };
        let Some(platform_name) =
            platform.root().and_then(|v| v.at("/metadata/displayName")).and_then(ValueRef::as_str)
        else {
            return;
        };
        if body_name != platform_name {
            ctx.report(
                document,
                "/displayName",
                Target::Value,
                format!("the body names the Copy job \"{body_name}\" but its .platform names it \"{platform_name}\""),
                Some("use the same display name in both"),
            );
        }
    }
}
