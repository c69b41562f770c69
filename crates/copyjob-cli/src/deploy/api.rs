//! The Copy job calls the deployment commands make.

use super::client::Client;
use anyhow::{bail, Context as _};
use copyjob::{Checker, DocumentKind};
use reqwest::Method;
use serde_json::{json, Value};

/// A copy job as listed.
#[derive(Debug, Clone)]
pub struct Remote {
    pub id: String,
    pub display_name: String,
}

impl Remote {
    fn from_json(v: &Value) -> Option<Remote> {
        Some(Remote {
            id: v.get("id")?.as_str()?.to_owned(),
            display_name: v.get("displayName")?.as_str()?.to_owned(),
        })
    }
}

fn is_uuid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

/// The workspace's id: the argument when it is one, else the workspace with that display name.
pub fn resolve_workspace(client: &mut Client, workspace: &str) -> anyhow::Result<String> {
    let workspace = workspace.trim();
    if is_uuid(workspace) {
        return Ok(workspace.to_lowercase());
    }
    client.progress.step(&format!("looking up workspace \"{workspace}\""));
    let all = client.list("/workspaces")?;
    let found: Vec<&Value> = all
        .iter()
        .filter(|w| {
            w.get("displayName").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(workspace))
        })
        .collect();
    match found.as_slice() {
        [one] => {
            one.get("id").and_then(Value::as_str).map(str::to_owned).context("a workspace without an id")
        }
        [] => bail!("no workspace named \"{workspace}\" is visible to {} (pass its id)", client.who()),
        _ => bail!("{} workspaces are named \"{workspace}\": pass the id", found.len()),
    }
}

/// Every copy job of the workspace (every page).
pub fn list_copy_jobs(client: &mut Client, ws: &str) -> anyhow::Result<Vec<Remote>> {
    client.progress.step("listing the workspace's copy jobs");
    Ok(client.list(&format!("/workspaces/{ws}/copyJobs"))?.iter().filter_map(Remote::from_json).collect())
}

/// Every item of a type (for `$items.<type>.<name>.id`).
pub fn list_items(client: &mut Client, ws: &str, item_type: &str) -> anyhow::Result<Vec<Remote>> {
    Ok(client
        .list(&format!("/workspaces/{ws}/items?type={item_type}"))?
        .iter()
        .filter_map(Remote::from_json)
        .collect())
}

/// An item from its type's own API (`/workspaces/{ws}/lakehouses/{id}`, …), with its
/// `properties`.
pub fn get_typed_item(client: &mut Client, ws: &str, collection: &str, id: &str) -> anyhow::Result<Value> {
    Ok(client.send(Method::GET, &format!("/workspaces/{ws}/{collection}/{id}"), None)?.body)
}

/// The copy job an argument names: its id, or its display name.
pub fn find_copy_job(client: &mut Client, ws: &str, item: &str) -> anyhow::Result<Remote> {
    let all = list_copy_jobs(client, ws)?;
    let item = item.trim();
    if let Some(found) = all.iter().find(|r| r.id.eq_ignore_ascii_case(item)) {
        return Ok(found.clone());
    }
    if let Some(found) = all.iter().find(|r| r.display_name == item) {
        return Ok(found.clone());
    }
    if let Some(found) = all.iter().find(|r| r.display_name.eq_ignore_ascii_case(item)) {
        return Ok(found.clone());
    }
    bail!("no copy job named or with id \"{item}\" in workspace {ws}")
}

/// A definition's parts, decoded: `(path, bytes)`.
pub type Parts = Vec<(String, Vec<u8>)>;

/// getDefinition (a long-running operation), decoded by the core crate.
pub fn get_definition(client: &mut Client, ws: &str, id: &str, name: &str) -> anyhow::Result<Parts> {
    client.progress.step(&format!("getting the definition of \"{name}\""));
    let body = client.call(
        Method::POST,
        &format!("/workspaces/{ws}/copyJobs/{id}/getDefinition"),
        None,
        &format!("getDefinition of \"{name}\""),
    )?;
    decode(&body).with_context(|| format!("the definition of \"{name}\""))
}

/// The parts of a getDefinition response.
pub fn decode(body: &Value) -> anyhow::Result<Parts> {
    let bytes = serde_json::to_vec(body)?;
    let report = Checker::new().check_document_as(Some(DocumentKind::DefinitionBody), &bytes);
    if let Some(d) = report
        .diagnostics
        .iter()
        .find(|d| d.is_error() && matches!(d.group(), Some(copyjob::Group::Codec | copyjob::Group::Envelope)))
    {
        bail!("the service's definition cannot be decoded: {} ({})", d.message, d.code);
    }
    Ok(report.parts.into_iter().map(|p| (p.path, p.bytes)).collect())
}

/// `{"parts": [...]}` from files.
pub fn definition(parts: &[(String, Vec<u8>)]) -> Value {
    let definition = copyjob::pack(parts.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    serde_json::to_value(definition).unwrap_or(Value::Null)
}

/// Creates a copy job with its definition; returns its id.
pub fn create(
    client: &mut Client,
    ws: &str,
    name: &str,
    description: Option<&str>,
    parts: &[(String, Vec<u8>)],
) -> anyhow::Result<String> {
    client.progress.step(&format!("creating \"{name}\""));
    let mut body = json!({ "displayName": name, "definition": definition(parts) });
    if let Some(d) = description {
        body["description"] = Value::from(d);
    }
    let what = format!("create \"{name}\"");
    let created = client.call(Method::POST, &format!("/workspaces/{ws}/copyJobs"), Some(&body), &what)?;
    if let Some(id) = created.get("id").and_then(Value::as_str) {
        return Ok(id.to_owned());
    }
    // An operation's result may be empty: find the new item by name.
    list_copy_jobs(client, ws)?
        .into_iter()
        .find(|r| r.display_name == name)
        .map(|r| r.id)
        .with_context(|| format!("{what}: the service did not return the new item"))
}

/// updateDefinition.
pub fn update_definition(
    client: &mut Client,
    ws: &str,
    id: &str,
    name: &str,
    parts: &[(String, Vec<u8>)],
    update_metadata: bool,
) -> anyhow::Result<()> {
    client.progress.step(&format!("updating \"{name}\""));
    let query = if update_metadata { "?updateMetadata=true" } else { "" };
    let body = json!({ "definition": definition(parts) });
    client.call(
        Method::POST,
        &format!("/workspaces/{ws}/copyJobs/{id}/updateDefinition{query}"),
        Some(&body),
        &format!("updateDefinition of \"{name}\""),
    )?;
    Ok(())
}

/// Deletes a copy job.
pub fn delete(client: &mut Client, ws: &str, id: &str, name: &str) -> anyhow::Result<()> {
    client.progress.step(&format!("deleting \"{name}\""));
    client.send(Method::DELETE, &format!("/workspaces/{ws}/copyJobs/{id}"), None)?;
    Ok(())
}

/// Starts a run; returns the job instance's path and id.
pub fn start_run(client: &mut Client, ws: &str, id: &str) -> anyhow::Result<(String, String)> {
    let answer = client.send(
        Method::POST,
        &format!("/workspaces/{ws}/items/{id}/jobs/instances?jobType=CopyJob"),
        None,
    )?;
    let location = answer
        .header("location")
        .map(str::to_owned)
        .context("the service accepted the run but sent no Location for its job instance")?;
    // The instance's URL is built from its id on the API base: the bearer token is never sent
    // to a host a header names.
    let instance = location.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
    if uuid::Uuid::parse_str(&instance).is_err() {
        bail!("the service accepted the run but its Location `{location}` names no job instance");
    }
    Ok((instance_path(ws, id, &instance), instance))
}

/// A job instance, with the `Retry-After` the service asks for.
pub fn get_instance(client: &mut Client, url: &str) -> anyhow::Result<(Value, Option<u64>)> {
    let answer = client.send(Method::GET, url, None)?;
    let retry = answer.header("retry-after").and_then(|v| v.trim().parse().ok());
    Ok((answer.body, retry))
}

/// The URL of a job instance.
pub fn instance_path(ws: &str, id: &str, instance: &str) -> String {
    format!("/workspaces/{ws}/items/{id}/jobs/instances/{instance}")
}

/// Every job instance of an item, newest first.
pub fn list_instances(client: &mut Client, ws: &str, id: &str) -> anyhow::Result<Vec<Value>> {
    let mut all = client.list(&format!("/workspaces/{ws}/items/{id}/jobs/instances"))?;
    let key = |v: &Value| {
        v.get("startTimeUtc")
            .and_then(Value::as_str)
            .or_else(|| v.get("createdTimeUtc").and_then(Value::as_str))
            .unwrap_or("")
            .to_owned()
    };
    // Timestamps are ISO 8601 in UTC: text order is time order. Stable: same-time keeps order.
    all.reverse();
    all.sort_by_key(|v| std::cmp::Reverse(key(v)));
    Ok(all)
}

/// Cancels a job instance.
pub fn cancel(client: &mut Client, ws: &str, id: &str, instance: &str) -> anyhow::Result<()> {
    client.send(Method::POST, &format!("{}/cancel", instance_path(ws, id, instance)), None)?;
    Ok(())
}
