use crate::json::{pointer_of, walk, JsonText, Segment, Target};
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

fn in_id_field(path: &[Segment<'_>]) -> bool {
    matches!(path.last(), Some(Segment::Key(key)) if ID_FIELDS.contains(key))
}

fn in_type_field(path: &[Segment<'_>]) -> bool {
    matches!(path.last(), Some(Segment::Key("type")))
}

fn check_part(ctx: &mut LintContext<'_>, json: &JsonText<'_>) {
    let Some(root) = json.root() else { return };
    let mut found: Vec<(String, &str)> = Vec::new();
    walk(root, &mut Vec::new(), &mut |path, value| {
        let Some(text) = value.as_str() else { return };
        let token = if in_type_field(path) { type_placeholder(text) } else { placeholder(text) };
        if let Some(token) = token.or_else(|| (in_id_field(path) && is_id_token(text)).then_some(text)) {
            found.push((pointer_of(path), token));
        }
    });
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
