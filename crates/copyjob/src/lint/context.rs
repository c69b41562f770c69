//! What a rule sees, and how it reports.

use super::RuleMeta;
use crate::check::DocumentKind;
use crate::connectors::{self, Endpoint, TypeField};
use crate::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::json::{get_path, ArrayRef, JsonText, Target, ValueRef};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// The parsed definition a rule checks, and the sink for its diagnostics.
#[derive(Debug)]
pub struct LintContext<'a> {
    /// The shape of the checked document.
    pub kind: DocumentKind,
    /// `copyjob-content.json`, when present and valid JSON.
    pub content: Option<&'a JsonText<'a>>,
    /// `.platform`, when present and valid JSON.
    pub platform: Option<&'a JsonText<'a>>,
    /// The raw text of `.platform`, when present and UTF-8 (even when it is not JSON).
    pub platform_text: Option<&'a str>,
    /// Whether the definition has a `.platform` part at all.
    pub has_platform: bool,
    /// The request body holding the parts (a create body, for instance), when there is one.
    pub document: Option<&'a JsonText<'a>>,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) out: Vec<Diagnostic>,
    /// The content's connector fields, found once for every rule that reads them.
    pub(crate) endpoints: OnceLock<Arc<[Endpoint<'a>]>>,
    pub(crate) type_fields: OnceLock<Arc<[TypeField<'a>]>>,
    /// The activities [`LintContext::activities`] yields, by index (`None`: all of them): the
    /// rules that look at each activity on its own run over a window of activities at a time.
    pub(crate) window: Option<(usize, usize)>,
    /// The window's activities, each with its places found once for every rule of the window
    /// (the rules used to look each up on their own: most of a small activity's check).
    pub(crate) views: Option<Arc<[Activity<'a>]>>,
}

/// An activity, with the places in it the rules read most, each looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Activity<'a> {
    /// Where the activity is.
    pub pointer: ActivityPointer,
    /// The activity object.
    pub value: ValueRef<'a>,
    /// `properties.source`.
    pub source: Option<ValueRef<'a>>,
    /// `properties.destination`.
    pub destination: Option<ValueRef<'a>>,
    /// `properties.translator`.
    pub translator: Option<ValueRef<'a>>,
    source_dataset: Option<ValueRef<'a>>,
    destination_dataset: Option<ValueRef<'a>>,
}

impl<'a> Activity<'a> {
    /// The activity at `index` (`value`), its places looked up.
    pub fn new(index: usize, value: ValueRef<'a>) -> Self {
        let properties = value.member("properties");
        let source = properties.and_then(|p| p.member("source"));
        let destination = properties.and_then(|p| p.member("destination"));
        Activity {
            pointer: ActivityPointer { index, suffix: "" },
            value,
            source,
            destination,
            translator: properties.and_then(|p| p.member("translator")),
            source_dataset: source.and_then(|s| s.member("datasetSettings")),
            destination_dataset: destination.and_then(|d| d.member("datasetSettings")),
        }
    }

    /// `properties.<role>.datasetSettings`, for `role` `"source"` or `"destination"`.
    pub fn dataset(&self, role: &str) -> Option<ValueRef<'a>> {
        match role {
            "source" => self.source_dataset,
            "destination" => self.destination_dataset,
            _ => None,
        }
    }
}

impl<'a> LintContext<'a> {
    /// The content's root value.
    pub fn content_value(&self) -> Option<ValueRef<'a>> {
        self.content.and_then(JsonText::root)
    }

    /// The `.platform`'s root value.
    pub fn platform_value(&self) -> Option<ValueRef<'a>> {
        self.platform.and_then(JsonText::root)
    }

    /// The job's source and destination as the connector catalog sees them
    /// ([`connectors::endpoints`]), found on the first call.
    pub fn endpoints(&self) -> Arc<[Endpoint<'a>]> {
        let found = || self.content_value().map(connectors::endpoints).unwrap_or_default().into();
        Arc::clone(self.endpoints.get_or_init(found))
    }

    /// Every connector `type` string of the content ([`connectors::type_fields`]), found on the
    /// first call.
    pub fn type_fields(&self) -> Arc<[TypeField<'a>]> {
        let found = || self.content_value().map(connectors::type_fields).unwrap_or_default().into();
        Arc::clone(self.type_fields.get_or_init(found))
    }

    /// The activities, with their JSON Pointers (written only when a rule reports).
    pub fn activities(&self) -> impl Iterator<Item = (ActivityPointer, ValueRef<'a>)> + 'a {
        let (start, end) = self.window.unwrap_or((0, usize::MAX));
        self.activity_list().into_iter().flat_map(move |list| {
            let end = end.min(list.len());
            (start.min(end)..end)
                .filter_map(move |index| Some((ActivityPointer { index, suffix: "" }, list.get(index)?)))
        })
    }

    /// The content's `activities` array.
    pub(crate) fn activity_list(&self) -> Option<ArrayRef<'a>> {
        self.content_value().and_then(|v| v.member("activities")).and_then(ValueRef::as_array)
    }

    /// The activities [`LintContext::activities`] yields, each with its places looked up: the
    /// window's, found once for all its rules.
    pub fn activity_views(&self) -> Arc<[Activity<'a>]> {
        match &self.views {
            Some(views) => Arc::clone(views),
            None => self.activities().map(|(p, a)| Activity::new(p.index, a)).collect(),
        }
    }

    /// Each activity's destination, with the JSON Pointer of the destination.
    pub fn destinations(&self) -> impl Iterator<Item = (ActivityPointer, ValueRef<'a>)> + 'a {
        let views = self.activity_views();
        (0..views.len()).filter_map(move |i| {
            let a = views[i];
            Some((ActivityPointer { suffix: "/properties/destination", ..a.pointer }, a.destination?))
        })
    }

    /// Each activity's column mappings (`translator.mappings`), with the activity's JSON Pointer
    /// and the activity.
    pub fn mappings(&self) -> impl Iterator<Item = (ActivityPointer, ArrayRef<'a>, Activity<'a>)> + 'a {
        let views = self.activity_views();
        (0..views.len()).filter_map(move |i| {
            let a = views[i];
            let mappings = a.translator?.member("mappings")?.as_array()?;
            Some((a.pointer, mappings, a))
        })
    }

    /// The job's mode (`Batch`, `CDC`), when set.
    pub fn job_mode(&self) -> Option<&'a str> {
        self.content_value().and_then(|v| get_path(v, &["properties", "jobMode"])).and_then(ValueRef::as_str)
    }

    /// Reports a finding of the current rule at `pointer` in `json`.
    pub fn report(
        &mut self,
        json: &JsonText<'_>,
        pointer: &str,
        target: Target,
        message: impl Into<Cow<'static, str>>,
        help: Option<impl Into<Cow<'static, str>>>,
    ) {
        let d = self.diagnostic(json, pointer, target, message, help);
        self.out.push(d);
    }

    /// [`LintContext::report`] for a value found already (no search of the tree by its pointer).
    pub(crate) fn report_on(
        &mut self,
        json: &JsonText<'_>,
        value: ValueRef<'_>,
        pointer: String,
        target: Target,
        message: impl Into<Cow<'static, str>>,
        help: Option<impl Into<Cow<'static, str>>>,
    ) {
        let span = json.span_of(value, target);
        self.out.push(json.diagnostic_at(span, self.meta.code(), self.meta.severity, message, help, pointer));
    }

    fn diagnostic(
        &self,
        json: &JsonText<'_>,
        pointer: &str,
        target: Target,
        message: impl Into<Cow<'static, str>>,
        help: Option<impl Into<Cow<'static, str>>>,
    ) -> Diagnostic {
        json.diagnostic(pointer, target, self.meta.code(), self.meta.severity, message, help)
    }

    /// Reports a finding with a safe fix replacing the text `target` selects at `pointer` with
    /// `new_text`.
    #[allow(clippy::too_many_arguments)]
    pub fn report_with_fix(
        &mut self,
        json: &JsonText<'_>,
        pointer: &str,
        target: Target,
        message: impl Into<Cow<'static, str>>,
        help: Option<impl Into<Cow<'static, str>>>,
        fix_message: String,
        new_text: String,
    ) {
        let mut d = self.diagnostic(json, pointer, target, message, help);
        d.fix = Some(Fix { message: fix_message, edits: vec![TextEdit { range: d.range, new_text }] });
        self.out.push(d);
    }
}

/// The JSON Pointer of an activity (`/activities/3`) or of a place in it
/// (`/activities/3/properties/destination`): rules visit every activity, and most report none,
/// so the text is written only when one is needed (`Display`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityPointer {
    /// The activity's index.
    pub index: usize,
    suffix: &'static str,
}

impl std::fmt::Display for ActivityPointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("/activities/")?;
        f.write_str(itoa::Buffer::new().format(self.index))?;
        f.write_str(self.suffix)
    }
}

/// The `{"schema"?, "table"}` a destination or source names, lower-cased for comparison.
pub fn table_name(dataset: Option<ValueRef<'_>>) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    let dataset = dataset?;
    let table = dataset.member("table").and_then(ValueRef::as_str)?;
    let schema = dataset.member("schema").and_then(ValueRef::as_str).unwrap_or_default();
    Some((crate::lint::lower(schema), crate::lint::lower(table)))
}
