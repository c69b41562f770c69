//! `copyjob pull`: getDefinition of copy jobs into Git item folders (`Name.CopyJob/`).

use super::{api, Connection, OutputFormat};
use anyhow::Context as _;
use serde_json::json;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

/// `copyjob pull --workspace WS [ITEM...] [-o DIR]`.
#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// Copy jobs to pull, by display name or id (default: every copy job of the workspace).
    #[arg(value_name = "ITEM")]
    pub items: Vec<String>,
    #[command(flatten)]
    pub connection: Connection,
    /// The folder the item folders are written into.
    #[arg(short, long, value_name = "DIR", default_value = ".")]
    pub output: PathBuf,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// The item folder's name: the display name with characters no file system takes replaced.
pub fn folder_name(display_name: &str) -> String {
    let name: String = display_name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim().trim_end_matches('.');
    format!("{}.CopyJob", if name.is_empty() { "_" } else { name })
}

fn is_safe_relative(path: &str) -> bool {
    !path.is_empty() && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

pub fn run(args: PullArgs) -> anyhow::Result<ExitCode> {
    let (mut client, ws) = args.connection.connect()?;
    let all = api::list_copy_jobs(&mut client, &ws)?;
    let selected: Vec<api::Remote> = if args.items.is_empty() {
        all
    } else {
        let mut out = Vec::new();
        for wanted in &args.items {
            let found = all
                .iter()
                .find(|r| r.id.eq_ignore_ascii_case(wanted.trim()) || r.display_name == *wanted)
                .or_else(|| all.iter().find(|r| r.display_name.eq_ignore_ascii_case(wanted.trim())))
                .with_context(|| format!("no copy job named or with id \"{wanted}\" in workspace {ws}"))?;
            out.push(found.clone());
        }
        out
    };
    let mut pulled = Vec::new();
    for item in &selected {
        let parts = api::get_definition(&mut client, &ws, &item.id, &item.display_name)?;
        let folder = args.output.join(folder_name(&item.display_name));
        std::fs::create_dir_all(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
        let mut files = Vec::new();
        for (path, bytes) in &parts {
            if !is_safe_relative(path) {
                client
                    .progress
                    .note(&format!("warning: part \"{path}\" not written: its path leaves the item folder"));
                continue;
            }
            let target = folder.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
            files.push(json!({ "path": path, "bytes": bytes.len() }));
        }
        client.progress.note(&format!(
            "pulled \"{}\" into {} ({} parts)",
            item.display_name,
            folder.display(),
            files.len()
        ));
        pulled.push(json!({ "id": item.id, "displayName": item.display_name, "folder": folder.to_string_lossy(), "parts": files }));
    }
    client.progress.finish();
    match args.format {
        OutputFormat::Json => super::write_stdout(&(serde_json::to_string_pretty(&pulled)? + "\n"))?,
        OutputFormat::Text => super::write_stdout(&format!(
            "pulled {} copy job{} from workspace {ws}\n",
            pulled.len(),
            if pulled.len() == 1 { "" } else { "s" }
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names() {
        assert_eq!(folder_name("Sales copy"), "Sales copy.CopyJob");
        assert_eq!(folder_name("a/b:c"), "a_b_c.CopyJob");
        assert_eq!(folder_name(".."), "_.CopyJob");
    }
}
