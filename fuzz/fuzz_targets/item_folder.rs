//! Any files as an item folder: every invariant (ranges, pack/unpack, format, fix).
#![no_main]

mod common;

use arbitrary::Arbitrary;
use common::{checker, invariants};
use copyjob::{ItemFile, Source};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Folder {
    content: Option<Vec<u8>>,
    platform: Option<Vec<u8>>,
    others: Vec<(String, Vec<u8>)>,
}

fuzz_target!(|folder: Folder| {
    let mut files = Vec::new();
    if let Some(bytes) = folder.content {
        files.push(ItemFile::new("copyjob-content.json", bytes));
    }
    if let Some(bytes) = folder.platform {
        files.push(ItemFile::new(".platform", bytes));
    }
    files.extend(folder.others.into_iter().take(4).map(|(path, bytes)| ItemFile::new(path, bytes)));
    invariants::check_source(checker(), &Source::Folder(files));
});
