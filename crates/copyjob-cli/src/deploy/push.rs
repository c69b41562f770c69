//! `copyjob push`: deploy item folders to a workspace. Lint the parameterised definitions
//! (refuse on errors unless --force), match the workspace's copy jobs by display name and
//! `.platform` logicalId, create the missing ones, updateDefinition the changed ones
//! (`updateMetadata=true` when `.platform` changed), leave the others alone, and delete or
//! report the orphans.

use super::client::Client;
use super::params::{FileRef, Needle, Parameters, Unreplaced};
use super::{api, Connection, OutputFormat};
use anyhow::{bail, Context as _};
use copyjob::{Checker, Diagnostic, ItemFile, LineIndex, Severity, CONTENT_PART, KNOWN_PARTS, PLATFORM_PART};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The workspace id fabric-cicd and Fabric's Git integration write for "this workspace".
const ZERO_WORKSPACE: &str = "00000000-0000-0000-0000-000000000000";
/// The parameter file's name, looked for in the first DIR.
const PARAMETER_FILE: &str = "parameter.yml";

/// `copyjob push DIR... --workspace WS [--environment ENV] [--parameters FILE] [--dry-run]
/// [--delete-orphans] [--force]`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// Item folders (Name.CopyJob/) or folders of item folders. In a folder of item folders, an
    /// item is a folder with a .platform or named Name.CopyJob; folders of other item types (a
    /// .platform whose type is not CopyJob) are skipped.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    #[command(flatten)]
    pub connection: Connection,
    /// The environment whose values parameter.yml replaces (a key of its `replace_value`s).
    #[arg(long, short = 'e', env = "FABRIC_ENVIRONMENT", value_name = "ENV")]
    pub environment: Option<String>,
    /// The parameter file (fabric-cicd's format); default: parameter.yml in the first DIR.
    #[arg(long, value_name = "FILE")]
    pub parameters: Option<PathBuf>,
    /// Print the plan, with a diff per changed part; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Delete the workspace's copy jobs that no folder describes.
    #[arg(long)]
    pub delete_orphans: bool,
    /// Deploy even when a definition has errors.
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// A copy job as the folders describe it, parameterised.
#[derive(Debug, Clone)]
struct Local {
    folder: PathBuf,
    name: String,
    description: Option<String>,
    logical_id: Option<String>,
    /// The known parts, parameterised.
    parts: Vec<(String, Vec<u8>)>,
}

/// What push does (or would do) with one copy job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    Create,
    Update,
    Unchanged,
    Delete,
    Orphan,
}

impl Action {
    fn word(self, dry_run: bool) -> &'static str {
        match (self, dry_run) {
            (Action::Create, true) => "create",
            (Action::Create, false) => "created",
            (Action::Update, true) => "update",
            (Action::Update, false) => "updated",
            (Action::Unchanged, _) => "unchanged",
            (Action::Delete, true) => "delete",
            (Action::Delete, false) => "deleted",
            (Action::Orphan, _) => "orphan",
        }
    }
}

#[derive(Debug, Clone)]
struct Step {
    name: String,
    folder: Option<PathBuf>,
    id: Option<String>,
    action: Action,
    /// The parts that differ, each with its unified diff (service → local).
    changed: Vec<(String, String)>,
    update_metadata: bool,
    matched_by: Option<&'static str>,
    error: Option<String>,
}

pub fn run(args: PushArgs) -> anyhow::Result<ExitCode> {
    let parameters = load_parameters(&args)?;
    let environment = args.environment.clone();
    if let Some(p) = &parameters {
        if environment.is_none() && !p.is_empty() {
            bail!(
                "{} defines values for {}: choose one with --environment (or FABRIC_ENVIRONMENT)",
                p.path.display(),
                p.environments().join(", ")
            );
        }
    }
    let (folders, mut skipped) = discover(&args.dirs)?;
    let (mut client, ws) = args.connection.connect()?;
    for s in &skipped {
        client.progress.note(&format!("skipped {}: {}", s.folder.display(), s.reason));
    }
    if let Some(p) = &parameters {
        client.progress.note(&format!(
            "parameters: {} (environment {})",
            p.path.display(),
            environment.as_deref().unwrap_or("-")
        ));
        if !p.ignored_sections.is_empty() {
            client
                .progress
                .note(&format!("  sections for other item types ignored: {}", p.ignored_sections.join(", ")));
        }
    }
    let mut resolver_cache: BTreeMap<String, String> = BTreeMap::new();
    let mut locals = Vec::new();
    let mut refused: Vec<Value> = Vec::new();
    for (folder, files) in &folders {
        if let Some(kind) = other_type(files) {
            let reason = format!("a {kind}, not a CopyJob");
            client.progress.note(&format!("skipped {}: {reason}", folder.display()));
            skipped.push(Skipped { folder: folder.clone(), reason });
            continue;
        }
        client.progress.step(&format!("checking {}", folder.display()));
        let (local, problems) = parameterise(
            &mut client,
            &ws,
            folder,
            files,
            parameters.as_ref(),
            environment.as_deref().unwrap_or(""),
            &mut resolver_cache,
        )?;
        let (accepted, diagnostics) = lint(&client, &local, &problems, args.force)?;
        if !accepted {
            refused.push(json!({
                "folder": local.folder.to_string_lossy(),
                "displayName": local.name,
                "diagnostics": diagnostics,
            }));
        }
        locals.push(local);
    }
    if !refused.is_empty() {
        client.progress.finish();
        if args.format == OutputFormat::Json {
            let report = json!({
                "workspace": ws,
                "environment": environment,
                "dryRun": args.dry_run,
                "items": [],
                "refused": refused,
                "skipped": skipped_json(&skipped),
                "ok": false,
            });
            super::write_stdout(&(serde_json::to_string_pretty(&report)? + "\n"))?;
        }
        let n = refused.len();
        eprintln!(
            "copyjob: nothing deployed: {n} definition{} errors (fix them, or deploy anyway with --force)",
            if n == 1 { " has" } else { "s have" }
        );
        return Ok(ExitCode::from(1));
    }
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    for local in &locals {
        if let Some(other) = seen.insert(local.name.to_lowercase(), &local.folder) {
            bail!(
                "{} and {} both describe the copy job \"{}\": display names are unique in a workspace",
                other.display(),
                local.folder.display(),
                local.name
            );
        }
    }
    let steps = plan(&mut client, &ws, &locals)?;
    let steps =
        if args.dry_run { steps } else { apply(&mut client, &ws, &locals, steps, args.delete_orphans) };
    let steps: Vec<Step> = steps
        .into_iter()
        .map(|mut s| {
            if s.action == Action::Orphan && args.delete_orphans && args.dry_run {
                s.action = Action::Delete;
            }
            s
        })
        .collect();
    client.progress.finish();
    let failed = steps.iter().filter(|s| s.error.is_some()).count();
    match args.format {
        OutputFormat::Json => super::write_stdout(
            &(serde_json::to_string_pretty(&to_json(
                &ws,
                environment.as_deref(),
                args.dry_run,
                &steps,
                &skipped,
            ))? + "\n"),
        )?,
        OutputFormat::Text => {
            super::write_stdout(&to_text(&ws, environment.as_deref(), args.dry_run, &steps))?
        }
    }
    for step in steps.iter().filter(|s| s.error.is_some()) {
        eprintln!("error: \"{}\": {}", step.name, step.error.as_deref().unwrap_or_default());
    }
    Ok(if failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn load_parameters(args: &PushArgs) -> anyhow::Result<Option<Parameters>> {
    if let Some(path) = &args.parameters {
        return Parameters::load(path).map(Some);
    }
    let Some(first) = args.dirs.first() else { return Ok(None) };
    let candidate = first.join(PARAMETER_FILE);
    if candidate.is_file() {
        return Parameters::load(&candidate).map(Some);
    }
    Ok(None)
}

/// An item folder and its known parts.
type ItemFolder = (PathBuf, Vec<ItemFile>);

/// A folder push leaves alone, and why.
#[derive(Debug, Clone)]
struct Skipped {
    folder: PathBuf,
    reason: String,
}

/// Whether a folder met while walking a DIR is an item to deploy: as fabric-cicd does, one that
/// holds a `.platform`; or one named `Name.CopyJob`.
fn is_deployable(folder: &Path) -> bool {
    folder.join(PLATFORM_PART).is_file() || folder.extension().is_some_and(|e| e == "CopyJob")
}

/// The item folders the DIRs stand for, with their known parts, and the folders skipped. A DIR
/// that is an item folder itself is taken as one; in a folder of item folders, only those with a
/// `.platform` or named `Name.CopyJob` are items (a definition kept next to them, such as a
/// linter example, is not deployed).
fn discover(dirs: &[PathBuf]) -> anyhow::Result<(Vec<ItemFolder>, Vec<Skipped>)> {
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut skipped = Vec::new();
    for dir in dirs {
        if !dir.is_dir() {
            bail!(
                "{} is not a folder: `copyjob push` takes item folders or folders of item folders",
                dir.display()
            );
        }
        if crate::inputs::is_item_folder(dir) {
            folders.push(dir.clone());
            continue;
        }
        let before = folders.len();
        let skipped_before = skipped.len();
        crate::inputs::walk(dir, &mut |folder| {
            if is_deployable(folder) {
                folders.push(folder.to_path_buf());
            } else if crate::inputs::is_item_folder(folder) {
                skipped.push(Skipped {
                    folder: folder.to_path_buf(),
                    reason: "no .platform and not named Name.CopyJob, so not an item folder \
                             (name the folder itself to push it)"
                        .to_owned(),
                });
            } else {
                return crate::inputs::Visit::Descend;
            }
            crate::inputs::Visit::Take
        })?;
        if folders.len() == before {
            let mut message = format!(
                "no item folder (a folder with a .platform, or named Name.CopyJob) under {}",
                dir.display()
            );
            for s in &skipped[skipped_before..] {
                message.push_str(&format!("\n  skipped {}: {}", s.folder.display(), s.reason));
            }
            bail!(message);
        }
    }
    folders.sort();
    folders.dedup();
    let mut out = Vec::new();
    for folder in folders {
        let input = crate::inputs::Input::folder(&folder)?;
        let crate::inputs::Source::Folder(files) = &input.source else { continue };
        let mut files: Vec<ItemFile> =
            files.iter().filter(|f| KNOWN_PARTS.contains(&f.path.as_str())).cloned().collect();
        // copyjob-content.json first, as the service lists them.
        files.sort_by_key(|f| KNOWN_PARTS.iter().position(|p| *p == f.path));
        out.push((folder, files));
    }
    skipped.sort_by(|a, b| a.folder.cmp(&b.folder));
    Ok((out, skipped))
}

/// The item type a folder's `.platform` names, when it is not a copy job.
fn other_type(files: &[ItemFile]) -> Option<String> {
    let platform = files.iter().find(|f| f.path == PLATFORM_PART)?;
    let value: Value = serde_json::from_slice(&platform.bytes).ok()?;
    let kind = value.pointer("/metadata/type")?.as_str()?;
    (kind != "CopyJob").then(|| kind.to_owned())
}

fn platform_value(files: &[(String, Vec<u8>)]) -> Option<Value> {
    let (_, bytes) = files.iter().find(|(p, _)| p == PLATFORM_PART)?;
    serde_json::from_slice(bytes).ok()
}

fn text_at<'v>(value: Option<&'v Value>, pointer: &str) -> Option<&'v str> {
    value?.pointer(pointer)?.as_str()
}

/// Applies the parameters and the all-zero workspace id to a copy job folder's parts.
fn parameterise(
    client: &mut Client,
    ws: &str,
    folder: &Path,
    files: &[ItemFile],
    parameters: Option<&Parameters>,
    environment: &str,
    cache: &mut BTreeMap<String, String>,
) -> anyhow::Result<(Local, Vec<Diagnostic>)> {
    let raw: Vec<(String, Vec<u8>)> = files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
    let raw_platform = platform_value(&raw);
    let folder_stem = folder
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".CopyJob").to_owned())
        .unwrap_or_default();
    let raw_name = text_at(raw_platform.as_ref(), "/metadata/displayName").map_or(folder_stem, str::to_owned);
    let mut problems: Vec<(String, Unreplaced)> = Vec::new();
    let mut parts = Vec::new();
    for (path, bytes) in raw {
        let Ok(text) = String::from_utf8(bytes.clone()) else {
            parts.push((path, bytes));
            continue;
        };
        let mut text = text;
        if let Some(p) = parameters {
            let absolute = folder.join(&path);
            let file = FileRef {
                item_type: "CopyJob",
                item_name: &raw_name,
                relative: p.relative(&absolute),
                absolute: absolute.clone(),
            };
            let mut resolve = |value: &str| resolve_dynamic(client, ws, value, cache);
            let (new, found) = p.apply(environment, &file, &text, &mut resolve)?;
            text = new;
            problems.extend(found.into_iter().map(|u| (path.clone(), u)));
        }
        if path == CONTENT_PART {
            text = text.replace(ZERO_WORKSPACE, ws);
        }
        parts.push((path, text.into_bytes()));
    }
    let platform = platform_value(&parts);
    let name = text_at(platform.as_ref(), "/metadata/displayName").map_or(raw_name, str::to_owned);
    let description = text_at(platform.as_ref(), "/metadata/description").map(str::to_owned);
    let logical_id =
        text_at(platform.as_ref(), "/config/logicalId").filter(|id| *id != ZERO_WORKSPACE).map(str::to_owned);
    let local = Local { folder: folder.to_path_buf(), name, description, logical_id, parts };
    let diagnostics = problems.iter().map(|(part, u)| unreplaced_diagnostic(&local, part, u)).collect();
    Ok((local, diagnostics))
}

/// A value left for the environment, as a diagnostic at its place in the parameterised part.
fn unreplaced_diagnostic(local: &Local, part: &str, unreplaced: &Unreplaced) -> Diagnostic {
    let text =
        local.parts.iter().find(|(p, _)| p == part).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    let text = text.unwrap_or_default();
    let mut pointer = String::new();
    let span = match &unreplaced.needle {
        Needle::Text(t) => text.find(t.as_str()).map(|at| (at, at + t.len())),
        Needle::Regex(r) => r.find(&text).map(|m| (m.start(), m.end())),
        Needle::Pointer(p) => {
            let mut ignored = Vec::new();
            let json = copyjob::json::JsonText::parse(&text, Some(part), &mut ignored);
            pointer.clone_from(p);
            Some(json.span(p, copyjob::json::Target::Value))
        }
    };
    let (start, end) = span.unwrap_or((0, 0));
    Diagnostic {
        code: "deploy/unreplaced-parameter".into(),
        severity: Severity::Error,
        message: unreplaced.message.clone().into(),
        help: Some(unreplaced.help.clone().into()),
        part: Some(copyjob::part_name(part)),
        pointer,
        range: LineIndex::new(&text).range(start, end),
        fix: None,
    }
}

/// fabric-cicd's dynamic values: `$workspace.$id` (or `.id`) and
/// `$items.<type>.<name>.$<attribute>` (or `.<attribute>`), read from the target workspace.
fn resolve_dynamic(
    client: &mut Client,
    ws: &str,
    value: &str,
    cache: &mut BTreeMap<String, String>,
) -> anyhow::Result<String> {
    if super::params::WORKSPACE_ID.contains(&value) {
        return Ok(ws.to_owned());
    }
    if let Some(found) = cache.get(value) {
        return Ok(found.clone());
    }
    let Some((item_type, name, attribute)) = super::params::parse_item_reference(value) else {
        bail!(
            "the dynamic value {value} is not supported: use $workspace.$id or \
             $items.<type>.<name>.$<attribute> (attributes: $id, $sqlendpoint, $sqlendpointid, \
             $queryserviceuri)"
        );
    };
    let attribute = super::params::item_attribute(item_type, attribute)
        .map_err(|why| anyhow::anyhow!("the dynamic value {value}: {why}"))?;
    let items = api::list_items(client, ws, item_type)?;
    // Type and name are exact, as in fabric-cicd.
    let found = items.iter().find(|i| i.display_name == name).with_context(|| {
        format!("the dynamic value {value}: no {item_type} named \"{name}\" in workspace {ws}")
    })?;
    let resolved = match attribute {
        super::params::ItemAttribute::Id => found.id.clone(),
        super::params::ItemAttribute::Property { collection, pointer } => {
            let item = api::get_typed_item(client, ws, collection, &found.id)?;
            match item.pointer(pointer).and_then(Value::as_str).filter(|v| !v.is_empty()) {
                Some(v) => v.to_owned(),
                None => bail!(
                    "the dynamic value {value}: the {item_type} \"{name}\" has no {pointer} yet \
                     (is it still being provisioned?)"
                ),
            }
        }
    };
    cache.insert(value.to_owned(), resolved.clone());
    Ok(resolved)
}

/// Lints a parameterised definition; prints what it finds. Whether it may be deployed (`false`:
/// refused), and its diagnostics as `lint --format json` lists them.
fn lint(
    client: &Client,
    local: &Local,
    problems: &[Diagnostic],
    force: bool,
) -> anyhow::Result<(bool, Value)> {
    let effective = crate::config::effective(&local.folder, None, &[])?;
    let files: Vec<ItemFile> = local.parts.iter().map(|(p, b)| ItemFile::new(p.clone(), b.clone())).collect();
    let source = copyjob::Source::Folder(files.clone());
    let mut report = Checker::new().check(&source, &effective.config);
    report.diagnostics.extend(problems.iter().cloned());
    report.sort();
    let input = crate::inputs::Input {
        name: local.folder.to_string_lossy().into_owned(),
        is_folder: true,
        source: crate::inputs::Source::Folder(files),
        path: Some(local.folder.clone()),
        config: effective,
        kind: None,
    };
    let errors = report.has_errors();
    let checked = [(input, report)];
    if !checked[0].1.diagnostics.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let text = crate::render::render(crate::Format::Text, &checked, color);
        client.progress.note(text.trim_end());
    }
    let diagnostics = crate::render::json_diagnostics(&checked);
    if errors && force {
        client.progress.note(&format!("warning: deploying {} with errors (--force)", local.folder.display()));
        return Ok((true, diagnostics));
    }
    Ok((!errors, diagnostics))
}

/// A part's text for comparison and diffs: its JSON pretty-printed (so formatting is not a
/// change), or the text itself when it is not JSON.
fn normal(bytes: &[u8]) -> String {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// What of `.platform` the service keeps: type, display name, description, logicalId.
fn platform_key(value: Option<&Value>) -> (Option<&str>, Option<&str>, &str, Option<&str>) {
    (
        text_at(value, "/metadata/type"),
        text_at(value, "/metadata/displayName"),
        text_at(value, "/metadata/description").unwrap_or(""),
        text_at(value, "/config/logicalId"),
    )
}

fn diff(name: &str, part: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("service: {name}/{part}"), &format!("local: {name}/{part}"))
        .to_string()
}

/// Compares a local definition with the service's: the changed parts with their diffs, and
/// whether `.platform` changed.
fn compare(local: &Local, remote: &api::Parts) -> (Vec<(String, String)>, bool) {
    let mut changed = Vec::new();
    let mut platform_changed = false;
    for (path, bytes) in &local.parts {
        let theirs = remote.iter().find(|(p, _)| p == path).map(|(_, b)| b.as_slice());
        let same = match theirs {
            None => false,
            Some(theirs) if path == PLATFORM_PART => {
                let (a, b) = (
                    serde_json::from_slice::<Value>(bytes).ok(),
                    serde_json::from_slice::<Value>(theirs).ok(),
                );
                platform_key(a.as_ref()) == platform_key(b.as_ref())
            }
            Some(theirs) => {
                match (serde_json::from_slice::<Value>(bytes), serde_json::from_slice::<Value>(theirs)) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => bytes.as_slice() == theirs,
                }
            }
        };
        if !same {
            if path == PLATFORM_PART {
                platform_changed = true;
            }
            let old = theirs.map(normal).unwrap_or_default();
            changed.push((path.clone(), diff(&local.name, path, &old, &normal(bytes))));
        }
    }
    (changed, platform_changed)
}

/// Matches the folders with the workspace's copy jobs and compares their definitions.
fn plan(client: &mut Client, ws: &str, locals: &[Local]) -> anyhow::Result<Vec<Step>> {
    let remotes = api::list_copy_jobs(client, ws)?;
    let mut taken = vec![false; remotes.len()];
    let mut matches: Vec<Option<(usize, &'static str)>> = vec![None; locals.len()];
    for (i, local) in locals.iter().enumerate() {
        let exact = remotes.iter().enumerate().find(|(j, r)| !taken[*j] && r.display_name == local.name);
        let found = exact.or_else(|| {
            remotes
                .iter()
                .enumerate()
                .find(|(j, r)| !taken[*j] && r.display_name.eq_ignore_ascii_case(&local.name))
        });
        if let Some((j, _)) = found {
            taken[j] = true;
            matches[i] = Some((j, "displayName"));
        }
    }
    // A renamed item: the same .platform logicalId under another name.
    let mut definitions: BTreeMap<usize, api::Parts> = BTreeMap::new();
    if locals.iter().enumerate().any(|(i, l)| matches[i].is_none() && l.logical_id.is_some()) {
        for (j, remote) in remotes.iter().enumerate() {
            if taken[j] {
                continue;
            }
            let parts = api::get_definition(client, ws, &remote.id, &remote.display_name)?;
            let logical_id = text_at(platform_value(&parts).as_ref(), "/config/logicalId").map(str::to_owned);
            if let Some(i) = locals.iter().enumerate().position(|(i, l)| {
                matches[i].is_none() && l.logical_id.is_some() && l.logical_id == logical_id
            }) {
                taken[j] = true;
                matches[i] = Some((j, "logicalId"));
            }
            definitions.insert(j, parts);
        }
    }
    let mut steps = Vec::new();
    for (i, local) in locals.iter().enumerate() {
        let Some((j, by)) = matches[i] else {
            steps.push(Step {
                name: local.name.clone(),
                folder: Some(local.folder.clone()),
                id: None,
                action: Action::Create,
                // A new item's parts are listed, not diffed against nothing.
                changed: local
                    .parts
                    .iter()
                    .map(|(p, b)| (p.clone(), format!("{p} ({} bytes)", b.len())))
                    .collect(),
                update_metadata: false,
                matched_by: None,
                error: None,
            });
            continue;
        };
        let remote = &remotes[j];
        let parts = match definitions.remove(&j) {
            Some(parts) => parts,
            None => api::get_definition(client, ws, &remote.id, &remote.display_name)?,
        };
        let (changed, platform_changed) = compare(local, &parts);
        steps.push(Step {
            name: local.name.clone(),
            folder: Some(local.folder.clone()),
            id: Some(remote.id.clone()),
            action: if changed.is_empty() { Action::Unchanged } else { Action::Update },
            changed,
            update_metadata: platform_changed,
            matched_by: Some(by),
            error: None,
        });
    }
    for (j, remote) in remotes.iter().enumerate().filter(|(j, _)| !taken[*j]) {
        let _ = j;
        steps.push(Step {
            name: remote.display_name.clone(),
            folder: None,
            id: Some(remote.id.clone()),
            action: Action::Orphan,
            changed: Vec::new(),
            update_metadata: false,
            matched_by: None,
            error: None,
        });
    }
    Ok(steps)
}

/// Carries the plan out; an error stops nothing but its own item.
fn apply(
    client: &mut Client,
    ws: &str,
    locals: &[Local],
    mut steps: Vec<Step>,
    delete_orphans: bool,
) -> Vec<Step> {
    for step in &mut steps {
        let local = step.folder.as_ref().and_then(|f| locals.iter().find(|l| &l.folder == f));
        let outcome = match (step.action, local) {
            (Action::Create, Some(local)) => {
                api::create(client, ws, &local.name, local.description.as_deref(), &local.parts).map(|id| {
                    step.id = Some(id);
                })
            }
            (Action::Update, Some(local)) => {
                let id = step.id.clone().unwrap_or_default();
                api::update_definition(client, ws, &id, &local.name, &local.parts, step.update_metadata)
            }
            (Action::Orphan, _) if delete_orphans => {
                let id = step.id.clone().unwrap_or_default();
                api::delete(client, ws, &id, &step.name).map(|()| step.action = Action::Delete)
            }
            _ => Ok(()),
        };
        match outcome {
            Ok(()) => {
                if step.action != Action::Unchanged && step.action != Action::Orphan {
                    client.progress.note(&format!("{} \"{}\"", step.action.word(false), step.name));
                }
            }
            Err(e) => step.error = Some(client.progress.clean(&format!("{e:#}"))),
        }
    }
    steps
}

fn detail(step: &Step, dry_run: bool) -> String {
    if let Some(e) = &step.error {
        return format!("FAILED: {}", e.lines().next().unwrap_or_default());
    }
    match step.action {
        Action::Create => format!("{} parts", step.changed.len()),
        Action::Update => {
            let parts: Vec<&str> = step.changed.iter().map(|(p, _)| p.as_str()).collect();
            let mut text = parts.join(", ");
            if step.update_metadata {
                text.push_str(" (updateMetadata)");
            }
            if step.matched_by == Some("logicalId") {
                text.push_str(" (matched by logicalId)");
            }
            text
        }
        Action::Unchanged => String::new(),
        Action::Delete => "no folder describes it".to_owned(),
        Action::Orphan if dry_run => "no folder describes it (--delete-orphans deletes it)".to_owned(),
        Action::Orphan => "no folder describes it (kept; --delete-orphans deletes it)".to_owned(),
    }
}

fn to_text(ws: &str, environment: Option<&str>, dry_run: bool, steps: &[Step]) -> String {
    let mut out = String::new();
    let env = environment.map(|e| format!(", environment {e}")).unwrap_or_default();
    if dry_run {
        out.push_str(&format!("Plan for workspace {ws}{env} (dry run: nothing was changed)\n"));
        for step in steps.iter().filter(|s| matches!(s.action, Action::Update | Action::Create)) {
            out.push('\n');
            if step.action == Action::Create {
                let parts: Vec<&str> = step.changed.iter().map(|(_, d)| d.as_str()).collect();
                out.push_str(&format!("create \"{}\": {}\n", step.name, parts.join(", ")));
                continue;
            }
            out.push_str(&format!("update \"{}\":\n", step.name));
            for (_, d) in &step.changed {
                out.push_str(d);
                if !d.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        out.push('\n');
    } else {
        out.push_str(&format!("Deployed to workspace {ws}{env}\n\n"));
    }
    let rows: Vec<[String; 4]> = steps
        .iter()
        .map(|s| {
            [
                s.name.clone(),
                if s.error.is_some() { "failed".to_owned() } else { s.action.word(dry_run).to_owned() },
                s.id.clone().unwrap_or_else(|| "-".to_owned()),
                detail(s, dry_run),
            ]
        })
        .collect();
    let header = ["COPY JOB", "ACTION", "ID", "DETAIL"].map(str::to_owned);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (k, cell) in row.iter().enumerate() {
            if k + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[k]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let mut counts: BTreeMap<Action, usize> = BTreeMap::new();
    for s in steps.iter().filter(|s| s.error.is_none()) {
        *counts.entry(s.action).or_default() += 1;
    }
    let failed = steps.iter().filter(|s| s.error.is_some()).count();
    let mut summary: Vec<String> = counts.iter().map(|(a, n)| format!("{n} {}", a.word(dry_run))).collect();
    if failed > 0 {
        summary.push(format!("{failed} failed"));
    }
    out.push_str(&format!("\n{}\n", summary.join(", ")));
    out
}

fn to_json(ws: &str, environment: Option<&str>, dry_run: bool, steps: &[Step], skipped: &[Skipped]) -> Value {
    let items: Vec<Value> = steps
        .iter()
        .map(|s| {
            let mut v = json!({
                "displayName": s.name,
                "action": match s.action {
                    Action::Create => "create",
                    Action::Update => "update",
                    Action::Unchanged => "unchanged",
                    Action::Delete => "delete",
                    Action::Orphan => "orphan",
                },
                "id": s.id,
                "folder": s.folder.as_ref().map(|f| f.to_string_lossy().into_owned()),
                "changedParts": s.changed.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
                "updateMetadata": s.update_metadata,
                "matchedBy": s.matched_by,
                "error": s.error,
            });
            if dry_run && s.action == Action::Update {
                v["diff"] = s
                    .changed
                    .iter()
                    .map(|(p, d)| (p.clone(), Value::from(d.clone())))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            v
        })
        .collect();
    json!({
        "workspace": ws,
        "environment": environment,
        "dryRun": dry_run,
        "items": items,
        "skipped": skipped_json(skipped),
        "ok": steps.iter().all(|s| s.error.is_none()),
    })
}

fn skipped_json(skipped: &[Skipped]) -> Value {
    skipped
        .iter()
        .map(|s| json!({ "folder": s.folder.to_string_lossy(), "reason": s.reason }))
        .collect::<Vec<_>>()
        .into()
}
