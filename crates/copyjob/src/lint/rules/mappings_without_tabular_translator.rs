use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Finds column mappings (`translator.mappings`) in a translator whose `type` is not
    /// `TabularTranslator`.
    ///
    /// ## Why
    ///
    /// Column mappings belong to the tabular translator; every translator in Microsoft's examples
    /// and in real exports is `{"type": "TabularTranslator"}`. Mappings under a translator with
    /// no type or another type may not be applied, and columns are then mapped by name.
    ///
    /// A missing `type` has a safe fix that adds `"type": "TabularTranslator"`.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "translator": { "mappings": [ { "source": { "name": "id" }, "destination": { "name": "id" } } ] } } } ] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch" },
    ///   "activities": [ { "id": "2905df0f-1421-42e5-b769-0b0a32cb5321", "properties": { "translator": { "type": "TabularTranslator", "mappings": [ { "source": { "name": "id" }, "destination": { "name": "id" } } ] } } } ] }
    /// ```
    MappingsWithoutTabularTranslator {
        name: "mappings-without-tabular-translator",
        severity: Warning,
        fixable: true,
        evidence: "Microsoft Learn, Copy job definition (CopyJobActivityTranslator: type, mappings) and REST API capabilities mapping examples; every translator in real files is TabularTranslator. The service's behaviour otherwise is undocumented, so this is a warning.",
    }
}

impl Rule for MappingsWithoutTabularTranslator {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn per_activity(&self) -> bool {
        true
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        for activity in ctx.activity_views().iter() {
            let pointer = activity.pointer;
            let Some(translator) = activity.translator.and_then(ValueRef::as_object) else {
                continue;
            };
            if translator.get("mappings").and_then(ValueRef::as_array).is_none_or(|m| m.is_empty()) {
                continue;
            }
            let at = format!("{pointer}/properties/translator");
            match translator.get("type") {
                Some(t) if t == "TabularTranslator" => {}
                Some(other) => ctx.report(
                    content,
                    &format!("{at}/type"),
                    Target::Value,
                    format!("column mappings in a translator of type {other}"),
                    Some("column mappings need \"type\": \"TabularTranslator\"".to_owned()),
                ),
                None => {
                    // Insert the type right after the translator's opening brace.
                    let (start, _) = content.span(&at, Target::Value);
                    let mut d = content.diagnostic(
                        &at,
                        Target::Key,
                        Self::META.code(),
                        Self::META.severity,
                        "column mappings in a translator without a type".to_owned(),
                        Some("add \"type\": \"TabularTranslator\"".to_owned()),
                    );
                    // Insert the type before the first member, on its own line when the members are.
                    let text = content.index.text();
                    let after = &text[start + 1..];
                    let gap = &after[..after.len() - after.trim_start().len()];
                    let new_text = if gap.contains('\n') {
                        format!("{gap}\"type\": \"TabularTranslator\",")
                    } else {
                        " \"type\": \"TabularTranslator\",".to_owned()
                    };
                    let edit_at = content.index.range(start + 1, start + 1);
                    d.fix = Some(crate::Fix {
                        message: "add \"type\": \"TabularTranslator\"".to_owned(),
                        edits: vec![crate::TextEdit { range: edit_at, new_text }],
                    });
                    ctx.out.push(d);
                }
            }
        }
    }
}
