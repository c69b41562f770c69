//! Finding and reading what `copyjob lint` is pointed at.

use anyhow::{bail, Context as _};
use copyjob::{Checker, ItemFile, Report};
use std::path::{Path, PathBuf};

/// Where an input's bytes came from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A JSON file or stdin.
    Document(Vec<u8>),
    /// An item folder's files.
    Folder(Vec<ItemFile>),
}

/// One thing to check: a document or an item folder.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name shown to the user: the path as given, or `<stdin>`.
    pub name: String,
    /// Whether `name` is a folder (diagnostics in its parts are shown as `name/part`).
    pub is_folder: bool,
    /// The bytes.
    pub source: Source,
    /// The file or folder read; `None` for stdin.
    pub path: Option<PathBuf>,
    /// The configuration in effect for it.
    pub config: crate::config::Effective,
    /// What the document is, when the user said so (`--kind`).
    pub kind: Option<copyjob::DocumentKind>,
}

impl Input {
    /// Reads a file, or stdin for `-`.
    pub fn file(path: &Path) -> anyhow::Result<Input> {
        if path.as_os_str() == "-" {
            return Ok(Input {
                name: "<stdin>".to_owned(),
                is_folder: false,
                source: Source::Document(crate::read_stdin()?),
                path: None,
                config: Default::default(),
                kind: None,
            });
        }
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Input {
            name: display(path),
            is_folder: false,
            source: Source::Document(bytes),
            path: Some(path.to_path_buf()),
            config: Default::default(),
            kind: None,
        })
    }

    /// Reads the files of an item folder (not its subfolders).
    pub fn folder(path: &Path) -> anyhow::Result<Input> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))? {
            let entry = entry.with_context(|| format!("cannot read {}", path.display()))?;
            if !entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            files.push(ItemFile::new(name, bytes));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Input {
            name: display(path),
            is_folder: true,
            source: Source::Folder(files),
            path: Some(path.to_path_buf()),
            config: Default::default(),
            kind: None,
        })
    }

    /// The input as the library takes it.
    pub fn to_source(&self) -> copyjob::Source {
        self.library_source(self.source.clone())
    }

    /// `source` (this input's content) as the library takes it, with the input's name and kind.
    fn library_source(&self, source: Source) -> copyjob::Source {
        match source {
            Source::Document(bytes) => copyjob::Source::Document {
                name: self.path.as_ref().map(|_| self.name.clone()),
                kind: self.kind,
                bytes,
            },
            Source::Folder(files) => copyjob::Source::Folder(files),
        }
    }

    /// Writes fixed or formatted content back where it came from, and takes it as the input's
    /// content; returns the paths written.
    pub fn write(&mut self, rewritten: &copyjob::Rewritten) -> anyhow::Result<Vec<String>> {
        let Some(path) = &self.path else {
            anyhow::bail!("cannot rewrite {}: it is not a file", self.name);
        };
        let mut written = Vec::new();
        match &rewritten.source {
            copyjob::Source::Document { bytes, .. } => {
                std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
                self.source = Source::Document(bytes.clone());
                written.push(self.name.clone());
            }
            copyjob::Source::Folder(files) => {
                for file in files.iter().filter(|f| rewritten.changed_files.contains(&f.path)) {
                    let target = path.join(&file.path);
                    std::fs::write(&target, &file.bytes)
                        .with_context(|| format!("cannot write {}", target.display()))?;
                    written.push(self.file_of(Some(&file.path)));
                }
                self.source = Source::Folder(files.clone());
            }
        }
        Ok(written)
    }

    /// Checks the input with its configuration.
    pub fn check(&self, checker: &Checker) -> Report {
        checker.check_owned(self.to_source(), &self.config.config)
    }

    /// Checks the input with its configuration, handing its bytes to the report (a large document
    /// is then held once): the input has no bytes afterwards.
    pub fn check_owned(&mut self, checker: &Checker) -> Report {
        let source = std::mem::replace(&mut self.source, Source::Document(Vec::new()));
        checker.check_owned(self.library_source(source), &self.config.config)
    }

    /// The file a diagnostic belongs to: for folders, the part's file.
    pub fn file_of(&self, part: Option<&str>) -> String {
        match (self.is_folder, part) {
            (true, Some(part)) => format!("{}/{part}", self.name.trim_end_matches('/')),
            _ => self.name.clone(),
        }
    }
}

/// Whether a folder is a Copy job item folder.
pub fn is_item_folder(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "CopyJob")
        || path.join(copyjob::CONTENT_PART).is_file()
        || path.join(copyjob::PLATFORM_PART).is_file()
}

/// The inputs a command-line PATH stands for.
pub fn discover(path: &Path) -> anyhow::Result<Vec<Input>> {
    if path.as_os_str() == "-" || path.is_file() {
        return Ok(vec![Input::file(path)?]);
    }
    if !path.exists() {
        bail!("{} does not exist", path.display());
    }
    if is_item_folder(path) {
        return Ok(vec![Input::folder(path)?]);
    }
    let mut folders = Vec::new();
    walk(path, &mut |folder| {
        if is_item_folder(folder) {
            folders.push(folder.to_path_buf());
            Visit::Take
        } else {
            Visit::Descend
        }
    })?;
    if folders.is_empty() {
        bail!("no Copy job item folder (Name.CopyJob/ with copyjob-content.json) under {}", path.display());
    }
    folders.sort();
    folders.iter().map(|f| Input::folder(f)).collect()
}

/// What a [`walk`] does with a folder it meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// The folder is taken (or left) whole: its subfolders are not visited.
    Take,
    /// Its subfolders are visited.
    Descend,
}

/// Visits the subfolders of `dir`, depth first, except hidden ones, `node_modules` and `target`.
pub fn walk(dir: &Path, visit: &mut dyn FnMut(&Path) -> Visit) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        if !entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
            continue;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "node_modules" || name == "target" {
            continue;
        }
        if visit(&path) == Visit::Descend {
            walk(&path, visit)?;
        }
    }
    Ok(())
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
