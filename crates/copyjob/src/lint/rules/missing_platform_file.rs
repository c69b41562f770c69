use crate::check::DocumentKind;
use crate::json::Target;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// In a Git item folder (`Name.CopyJob/`), reports a missing `.platform` file.
    ///
    /// ## Why
    ///
    /// Fabric's Git integration writes a `.platform` into every item folder and reads the item's
    /// type, name and logical id from it; deployment tools such as fabric-cicd need it to know
    /// which item a folder is. A folder with only `copyjob-content.json` can be sent with
    /// updateDefinition, but not synced or deployed as an item.
    ///
    /// ## Examples
    ///
    /// Invalid: an item folder holding only `copyjob-content.json` (an example of `folder` maps file names to their content).
    ///
    /// ```json invalid folder
    /// { "copyjob-content.json": { "properties": { "jobMode": "Batch" }, "activities": [] } }
    /// ```
    ///
    /// Valid: the folder holds `.platform` too.
    ///
    /// ```json valid folder
    /// { "copyjob-content.json": { "properties": { "jobMode": "Batch" }, "activities": [] },
    ///   ".platform": { "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
    ///   "metadata": { "type": "CopyJob", "displayName": "Sales" },
    ///   "config": { "version": "2.0", "logicalId": "09025161-3298-a423-4fce-7c0227e3df52" } } }
    /// ```
    MissingPlatformFile {
        name: "missing-platform-file",
        severity: Warning,
        fixable: false,
        evidence: "Microsoft Learn, Git integration source code format: each item folder has a .platform system file; fabric-cicd sample item folders all have one.",
    }
}

impl Rule for MissingPlatformFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        if ctx.kind != DocumentKind::ItemFolder || ctx.has_platform {
            return;
        }
        let Some(content) = ctx.content else { return };
        ctx.report(
            content,
            "",
            Target::Opening,
            "the item folder has no .platform".to_owned(),
            Some(
                "add the .platform Fabric exports with the item (type CopyJob, displayName, logicalId)"
                    .to_owned(),
            ),
        );
    }
}
