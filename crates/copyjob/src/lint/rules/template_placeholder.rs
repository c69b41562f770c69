use crate::json::{JsonText, Target};
use crate::lint::{declare_rule, is_id_token, placeholder, type_placeholder, LintContext, Rule, RuleMeta};

/// Field names whose values are ids; an all-caps token there (`SOURCE_WORKSPACE_ID`) is a
/// placeholder too.
const ID_FIELDS: [&str; 5] = ["workspaceId", "artifactId", "connection", "id", "logicalId"];

declare_rule! {
    /// ## What it does
    ///
    /// Finds template placeholders left in values: `{{NAME}}`, `${NAME}`, `$(NAME)`, a whole
    /// `<name>`, `REPLACE-…`, `CHANGE_ME`, `TODO`, `FIXME`, `TBD`, `VERIFY-…`, `PLACEHOLDER`,
    /// all-caps tokens such as `SOURCE_WORKSPACE_ID` in id fields, and in a `type` field a `<…>`
    /// anywhere (`<Connector>Table`) or a whole marker in lower case (`verify-connector-type`,
    /// `tbd`, `Fixme`). Elsewhere tokens are upper case (`Verify` or `todo` as a real value is
    /// not one); all end at `_`, `-` or the end (`TBDATA` is not one). The connector type rules
    /// say nothing about a type field holding a placeholder, so it is reported once.
    ///
    /// ## Why
    ///
    /// Definitions are often made from templates: Microsoft's Terraform fixtures use
    /// `{{.SOURCE_WORKSPACE_ID}}`, the docs use `<workspace-guid>`, community templates
    /// `REPLACE-COPY-JOB-NAME` and `CREATE_NEW_GUID`, generated definitions
    /// `VERIFY-CONNECTOR-TYPE` where the author did not know a connector's type string. A placeholder that survives into a
    /// deployment is sent to the service as the literal text, and the job is rejected or points
    /// nowhere.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "{{.SOURCE_WORKSPACE_ID}}", "artifactId": "<lakehouse-guid>", "rootFolder": "Tables" } } } },
    ///   "activities": [] }
    /// ```
    ///
    /// Valid: the real ids.
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch",
    ///     "source": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "0d88b8d7-e73a-418c-8b6c-2a4016602f45", "rootFolder": "Tables" } } },
    ///     "destination": { "type": "LakehouseTable", "connectionSettings": { "type": "Lakehouse", "typeProperties": { "workspaceId": "e96609ad-cc50-4c63-8829-c8499910e044", "artifactId": "d0e31750-29de-4992-b01d-ed022494141f", "rootFolder": "Tables" } } } },
    ///   "activities": [] }
    /// ```
    TemplatePlaceholder {
        name: "template-placeholder",
        severity: Error,
        fixable: false,
        evidence: "microsoft/terraform-provider-fabric fixture copyjob-content.json.tmpl ({{.SOURCE_WORKSPACE_ID}}), Microsoft Learn REST API capabilities examples (<workspace-guid>, <source-connectionId>), fab-shuffle templates (REPLACE-COPY-JOB-NAME, CREATE_NEW_GUID, SOURCE_WORKSPACE_ID), third-party generated definitions (VERIFY-CONNECTOR-TYPE, TBD).",
    }
}

fn check_part(ctx: &mut LintContext<'_>, json: &JsonText<'_>) {
    let mut found: Vec<(String, &str)> = Vec::new();
    // Every string on its own, in the table's order (no walk: only a finding needs its path).
    for value in json.all_strings() {
        let Some(text) = value.as_str() else { continue };
        let key = value.has_key().then(|| value.key());
        let token = if key == Some("type") { type_placeholder(text) } else { placeholder(text) };
        let id_token = || (key.is_some_and(|k| ID_FIELDS.contains(&k)) && is_id_token(text)).then_some(text);
        if let Some(token) = token.or_else(id_token) {
            // `None`: a value a later duplicate key replaced, not in the document's value.
            if let Some(pointer) = value.pointer() {
                found.push((pointer, token));
            }
        }
    }
    for (pointer, token) in found {
        ctx.report(
            json,
            &pointer,
            Target::Value,
            format!("template placeholder {token} left in the definition"),
            Some(
                "replace it with the real value before deploying (or substitute it in your pipeline)"
                    .to_owned(),
            ),
        );
    }
}

impl Rule for TemplatePlaceholder {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        for json in [ctx.content, ctx.platform, ctx.document].into_iter().flatten() {
            check_part(ctx, json);
        }
    }
}

#[cfg(test)]
mod tests {
    /// A value a later duplicate key replaced is not in the document: its placeholder is not
    /// reported (the duplicate key is), as the one that replaced it is.
    #[test]
    fn a_replaced_value_is_not_reported() {
        let text = r#"{"properties": {"jobMode": "Batch", "x": {"id": "{{OLD}}"}, "x": {"id": "{{NEW}}"}}, "activities": []}"#;
        let report = crate::Checker::new().check_file("copyjob-content.json", text.as_bytes());
        let found: Vec<(&str, &str)> = report
            .diagnostics
            .iter()
            .filter(|d| d.code == "lint/template-placeholder")
            .map(|d| (d.pointer.as_str(), &*d.message))
            .collect();
        assert_eq!(found, [("/properties/x/id", "template placeholder {{NEW}} left in the definition")]);
    }
}
