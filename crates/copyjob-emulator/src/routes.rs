//! The `/v1` routes and their handlers.

use crate::config::LroMode;
use crate::error::ApiError;
use crate::folders::Scope;
use crate::http::{self, expose, App, Ctx, Params, Query};
use crate::paging::page;
use crate::state::{
    DefinitionUpdate, Item, JobInstance, JobStatus, OperationStatus, PendingAction, COPY_JOB, DEFAULT_CONTENT,
};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use copyjob::{Diagnostic, DocumentKind, Part, Report, Source, CONTENT_PART, PLATFORM_PART};
use serde_json::{Map, Value};
use std::sync::Arc;
use uuid::Uuid;

type Result<T> = std::result::Result<T, ApiError>;
type AppState = State<Arc<App>>;
pub(crate) type Body = std::result::Result<Bytes, BytesRejection>;

/// Item types the service knows (`ItemType` in the REST API specification).
const ITEM_TYPES: &[&str] = &[
    "Dashboard",
    "Report",
    "SemanticModel",
    "PaginatedReport",
    "Datamart",
    "Lakehouse",
    "Eventhouse",
    "Environment",
    "KQLDatabase",
    "KQLQueryset",
    "KQLDashboard",
    "DataPipeline",
    "Notebook",
    "SparkJobDefinition",
    "MLExperiment",
    "MLModel",
    "Warehouse",
    "Eventstream",
    "SQLEndpoint",
    "MirroredWarehouse",
    "MirroredDatabase",
    "Reflex",
    "GraphQLApi",
    "MountedDataFactory",
    "SQLDatabase",
    "CopyJob",
    "VariableLibrary",
    "Dataflow",
    "ApacheAirflowJob",
    "WarehouseSnapshot",
    "DigitalTwinBuilder",
    "DigitalTwinBuilderFlow",
    "MirroredAzureDatabricksCatalog",
    "Map",
    "AnomalyDetector",
    "UserDataFunction",
    "GraphModel",
    "GraphQuerySet",
    "SnowflakeDatabase",
    "OperationsAgent",
    "CosmosDBDatabase",
    "Ontology",
    "EventSchemaSet",
    "DataAgent",
    "MirroredCatalog",
    "AppBackend",
    "OrgApp",
    "OrgAppAudience",
    "DataBuildToolJob",
    "AzureDatabricksStorage",
    "Plan",
];

/// Job types a Copy job runs with (case-insensitive); instances report `CopyJob`.
const JOB_TYPES: &[&str] = &["CopyJob", "Execute"];

/// The `/v1` router (without the middleware).
pub(crate) fn router() -> Router<Arc<App>> {
    // `generic`: the `/items` API, where `type` is required on create and filters lists. Path
    // variables carry the specification's parameter names, which error messages quote.
    let item_routes = |r: Router<Arc<App>>, base: &str, item: &str, generic: bool| {
        let list = get(move |s: AppState, c: Ctx, p: Params, q: Query| list(s, c, p, q, generic))
            .post(move |s: AppState, c: Ctx, p: Params, b: Body| create(s, c, p, b, generic));
        let id = format!("{base}/{{{item}}}");
        r.route(base, list)
            .route(&id, get(get_item).patch(update_item).delete(delete_item))
            .route(&format!("{id}/getDefinition"), post(get_definition))
            .route(&format!("{id}/updateDefinition"), post(update_definition))
            .route(&format!("{id}/jobs/instances"), get(list_instances).post(run_by_query))
            .route(&format!("{id}/jobs/{{jobType}}/instances"), post(run_by_path))
            .route(&format!("{id}/jobs/instances/{{jobInstanceId}}"), get(get_instance))
            .route(&format!("{id}/jobs/instances/{{jobInstanceId}}/cancel"), post(cancel_instance))
    };
    let r = Router::new()
        .route("/workspaces", get(list_workspaces))
        .route("/workspaces/{workspaceId}", get(get_workspace))
        .route("/capacities", get(list_capacities))
        .route("/connections", get(list_connections))
        .route("/workspaces/{workspaceId}/items/{itemId}/connections", get(list_item_connections));
    let r = item_routes(r, "/workspaces/{workspaceId}/copyJobs", "copyJobId", false);
    let r = item_routes(r, "/workspaces/{workspaceId}/items", "itemId", true);
    crate::folders::routes(r)
        .route("/operations/{operationId}", get(get_operation))
        .route("/operations/{operationId}/result", get(get_operation_result))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}

async fn not_found() -> ApiError {
    ApiError::endpoint_not_found()
}

pub(crate) fn body_bytes(body: Body) -> Result<Bytes> {
    body.map_err(|e| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "InvalidPayloadSize",
            format!("The request body cannot be read: {}", e.body_text()),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Workspaces and lists

async fn list_workspaces(State(app): AppState, ctx: Ctx, query: Query) -> Result<Response> {
    let all = app.store().workspaces.iter().map(|w| w.to_json()).collect();
    Ok(http::json(StatusCode::OK, &page(all, &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

async fn get_workspace(State(app): AppState, params: Params) -> Result<Response> {
    let ws = params.uuid("workspaceId")?;
    let mut store = app.store();
    let info = store.workspace(&app.config, ws)?.info_json();
    Ok(http::json(StatusCode::OK, &info, expose::PLAIN))
}

/// `GET /capacities`: the one capacity every workspace is assigned to.
async fn list_capacities(State(app): AppState, ctx: Ctx, query: Query) -> Result<Response> {
    let all = vec![crate::state::capacity_json()];
    Ok(http::json(StatusCode::OK, &page(all, &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

/// `GET /connections`: the emulator holds no connections, so every page is empty.
async fn list_connections(State(app): AppState, ctx: Ctx, query: Query) -> Result<Response> {
    Ok(http::json(StatusCode::OK, &page(Vec::new(), &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

/// `GET /workspaces/{ws}/items/{id}/connections`: a Copy job's connections live in its
/// definition, none is bound through the connections API.
async fn list_item_connections(
    State(app): AppState,
    ctx: Ctx,
    params: Params,
    query: Query,
) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    {
        let mut store = app.store();
        store.workspace(&app.config, ws)?;
        store.item(ws, id)?;
    }
    Ok(http::json(StatusCode::OK, &page(Vec::new(), &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

async fn list(
    State(app): AppState,
    ctx: Ctx,
    params: Params,
    query: Query,
    generic: bool,
) -> Result<Response> {
    let ws = params.uuid("workspaceId")?;
    let mut only_copy_jobs = true;
    if generic {
        if let Some(kind) = query.get("type") {
            only_copy_jobs = item_type(kind)? == COPY_JOB;
        }
    }
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let scope = Scope::from_query(&store, ws, &query)?;
    let all = if only_copy_jobs {
        store
            .items
            .iter()
            .filter(|i| i.workspace_id == ws && scope.contains(i.folder_id))
            .map(Item::to_list_json)
            .collect()
    } else {
        Vec::new()
    };
    drop(store);
    Ok(http::json(StatusCode::OK, &page(all, &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

/// The canonical spelling of a known item type, or 400 `InvalidItemType`.
fn item_type(kind: &str) -> Result<&'static str> {
    ITEM_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(kind))
        .copied()
        .ok_or_else(|| ApiError::bad_request("InvalidItemType", format!("Item type '{kind}' is invalid")))
}

// ---------------------------------------------------------------------------------------------
// Request bodies and definitions

/// Parses a JSON request body; problems are 400 `code` with the parser's diagnostics.
pub(crate) fn parse_body(
    app: &App,
    bytes: &[u8],
    kind: DocumentKind,
    code: &'static str,
) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request(code, "The request has invalid input")
            .with_detail("InvalidParameter", "The request body must be a JSON object")),
        Err(_) => {
            let source = Source::Document { name: None, kind: Some(kind), bytes: bytes.to_vec() };
            let report = app.checker.check_owned(source, &app.rules);
            let errors: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
            let mut error = ApiError::bad_request(code, "The request body is not valid JSON");
            error = if errors.is_empty() {
                error.with_detail("InvalidParameter", "The request body is empty or not JSON")
            } else {
                error.with_diagnostics(errors)
            };
            Err(error)
        }
    }
}

/// Fields of a create body the emulator answers for itself instead of with the request schema's
/// diagnostics: `type` (`InvalidItemType`, `UnsupportedItemType`), `folderId` (a folder of the
/// workspace, `FolderNotFound`; `""` is the root, as on the service) and `definition` (its own
/// codes, [`check_definition`]).
const OWN_FIELDS: &[&str] = &["/type", "/folderId", "/definition"];

/// Rejects a body the core's request schema rejects (a missing, empty or too long display name, a
/// too long description, wrong types, unknown fields): 400 `code` with the diagnostics.
fn check_body(report: &Report, code: &'static str) -> Result<()> {
    let own = |pointer: &str| {
        OWN_FIELDS
            .iter()
            .any(|f| pointer.strip_prefix(f).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
    };
    let errors: Vec<&Diagnostic> =
        report.diagnostics.iter().filter(|d| d.is_error() && d.part.is_none() && !own(&d.pointer)).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_request(code, "The request has invalid input").with_diagnostics(errors))
    }
}

/// A string field of a body the schema has checked; `None` when absent.
fn string_field(body: &Map<String, Value>, name: &str) -> Option<String> {
    body.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// A definition checked with the core crate.
struct Checked {
    content: Vec<u8>,
    platform: Option<Value>,
}

/// The definition inside a request body (`/definition`), from the core crate's report: an
/// undecodable or invalid definition is a 400 whose `moreDetails` are the diagnostics.
fn check_definition(report: &Report) -> Result<Checked> {
    let relevant: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.part.is_some() || d.pointer.starts_with("/definition"))
        .collect();
    if relevant.iter().any(|d| d.is_error()) {
        let (code, message) = definition_error(&relevant);
        let mut ordered: Vec<&Diagnostic> = relevant.iter().copied().filter(|d| d.is_error()).collect();
        ordered.extend(relevant.iter().copied().filter(|d| !d.is_error()));
        return Err(ApiError::bad_request(code, message).with_diagnostics(ordered));
    }
    let Some(content) = report.part(CONTENT_PART) else {
        return Err(ApiError::bad_request(
            "MissingDefinitionParts",
            format!("The definition has no {CONTENT_PART} part"),
        ));
    };
    Ok(Checked { content: content.bytes.clone(), platform: report.part(PLATFORM_PART).and_then(Part::value) })
}

/// The top-level error code for a rejected definition, from its most basic error.
fn definition_error(diagnostics: &[&Diagnostic]) -> (&'static str, &'static str) {
    let errors = || diagnostics.iter().filter(|d| d.is_error());
    if errors().any(|d| matches!(d.group(), Some(copyjob::Group::Codec | copyjob::Group::Json))) {
        ("CorruptedPayload", "The definition payload is corrupted: a part cannot be decoded or parsed")
    } else if errors().any(|d| d.code == "envelope/missing-content-part") {
        ("MissingDefinitionParts", "The definition is missing required parts")
    } else if errors().any(|d| d.code == "envelope/unknown-payload-type") {
        ("UnsupportedPayloadType", "The definition has a part with an unsupported payload type")
    } else if errors().all(|d| d.part.as_deref() == Some(PLATFORM_PART)) {
        ("InvalidPlatformFile", "The .platform part of the definition is invalid")
    } else {
        ("InvalidDefinitionParts", "The definition parts are invalid")
    }
}

fn logical_id(platform: Option<&Value>) -> Option<String> {
    platform?.pointer("/config/logicalId")?.as_str().map(str::to_owned)
}

// ---------------------------------------------------------------------------------------------
// Items

async fn create(
    State(app): AppState,
    ctx: Ctx,
    params: Params,
    body: Body,
    generic: bool,
) -> Result<Response> {
    let ws = params.uuid("workspaceId")?;
    let bytes = body_bytes(body)?;
    let body = parse_body(&app, &bytes, DocumentKind::CreateRequest, "InvalidInput")?;
    match body.get("type") {
        None | Some(Value::Null) if generic => {
            return Err(ApiError::invalid_input("InvalidParameter", "The type field is required"));
        }
        None | Some(Value::Null) => {}
        Some(Value::String(kind)) => {
            let kind = item_type(kind)?;
            if kind != COPY_JOB {
                return Err(ApiError::bad_request(
                    "UnsupportedItemType",
                    format!("Item type '{kind}' is not supported by the Copy job emulator"),
                ));
            }
        }
        Some(_) => {
            return Err(ApiError::invalid_input("InvalidParameter", "The type field must be a string"))
        }
    }
    let has_definition = body.get("definition").is_some_and(|d| !d.is_null());
    if has_definition && body.get("creationPayload").is_some_and(|p| !p.is_null()) {
        return Err(ApiError::bad_request(
            "RequestWithDefinitionAndCreationPayloadNotSupported",
            "A request cannot have both a definition and a creation payload",
        ));
    }
    let report = crate::guardrails::check(&app, DocumentKind::CreateRequest, &bytes).await?;
    check_body(&report, "InvalidInput")?;
    let name = string_field(&body, "displayName").unwrap_or_default();
    let description = string_field(&body, "description");
    let checked = if has_definition { Some(check_definition(&report)?) } else { None };
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let item = Item {
        id: Uuid::new_v4(),
        workspace_id: ws,
        display_name: name,
        description,
        folder_id: store.folder_field(ws, &body, "folderId")?,
        logical_id: checked.as_ref().and_then(|c| logical_id(c.platform.as_ref())),
        content: checked.map_or_else(|| DEFAULT_CONTENT.to_vec(), |c| c.content),
    };
    store.check_name_free(ws, &item.display_name, None)?;
    match app.config.lro {
        LroMode::Sync => {
            let value = item.to_json();
            store.items.push(item);
            Ok(http::item(StatusCode::CREATED, &value))
        }
        LroMode::Async => {
            let op = store.start_operation(&app.config.clock, PendingAction::Create(item));
            let mut response = accepted(&app, &ctx, op, expose::LRO_CREATE);
            response.headers_mut().insert(header::ETAG, HeaderValue::from_static("\"\""));
            Ok(response)
        }
    }
}

/// The LRO 202: body `null`, `Location`, `x-ms-operation-id`, `Retry-After`.
fn accepted(app: &App, ctx: &Ctx, op: Uuid, expose: &'static str) -> Response {
    let mut response = http::json(StatusCode::ACCEPTED, &Value::Null, expose);
    http::set(&mut response, "location", &format!("{}/v1/operations/{op}", ctx.base_url));
    http::set(&mut response, "x-ms-operation-id", &op.to_string());
    http::retry_after(&mut response, app.config.retry_after);
    response
}

async fn get_item(State(app): AppState, params: Params) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    Ok(http::item(StatusCode::OK, &store.item(ws, id)?.to_json()))
}

async fn update_item(State(app): AppState, params: Params, body: Body) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    let bytes = body_bytes(body)?;
    let body = parse_body(&app, &bytes, DocumentKind::UpdateRequest, "InvalidRequest")?;
    check_body(
        &crate::guardrails::check(&app, DocumentKind::UpdateRequest, &bytes).await?,
        "InvalidRequest",
    )?;
    let name = string_field(&body, "displayName");
    let description = string_field(&body, "description");
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    store.item(ws, id)?;
    if let Some(name) = &name {
        store.check_name_free(ws, name, Some(id))?;
    }
    let item = store.item_mut(ws, id)?;
    if let Some(name) = name {
        item.display_name = name;
    }
    if description.is_some() {
        item.description = description;
    }
    Ok(http::item(StatusCode::OK, &item.to_json()))
}

async fn delete_item(State(app): AppState, params: Params, query: Query) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    query.flag("hardDelete")?;
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    store.item(ws, id)?;
    store.items.retain(|i| !(i.workspace_id == ws && i.id == id));
    store.jobs.retain(|j| j.item_id != id);
    Ok(http::empty(StatusCode::OK, expose::PLAIN))
}

async fn get_definition(State(app): AppState, ctx: Ctx, params: Params, query: Query) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    if let Some(format) = query.get("format").filter(|f| !f.is_empty()) {
        return Err(ApiError::bad_request(
            "InvalidDefinitionFormat",
            format!(
                "The definition format '{format}' is not supported: Copy jobs have a single, unnamed format"
            ),
        ));
    }
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let item = store.item(ws, id)?;
    match app.config.lro {
        LroMode::Sync => Ok(http::json(StatusCode::OK, &item.definition_json(), expose::PLAIN)),
        LroMode::Async => {
            let op = store.start_operation(
                &app.config.clock,
                PendingAction::GetDefinition { workspace_id: ws, item_id: id },
            );
            Ok(accepted(&app, &ctx, op, expose::LRO))
        }
    }
}

async fn update_definition(
    State(app): AppState,
    ctx: Ctx,
    params: Params,
    query: Query,
    body: Body,
) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    let update_metadata = query.flag("updateMetadata")?;
    let bytes = body_bytes(body)?;
    {
        let mut store = app.store();
        store.workspace(&app.config, ws)?;
        store.item(ws, id)?;
    }
    let body = parse_body(&app, &bytes, DocumentKind::DefinitionBody, "InvalidInput")?;
    if body.get("definition").is_none_or(Value::is_null) {
        return Err(ApiError::bad_request("MissingDefinition", "The request has no definition"));
    }
    let checked =
        check_definition(&crate::guardrails::check(&app, DocumentKind::DefinitionBody, &bytes).await?)?;
    let metadata = match (&checked.platform, update_metadata) {
        (Some(platform), true) => {
            let meta = platform.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
            // The core's .platform checks (the codes the service rejects) have checked both.
            Some((string_field(&meta, "displayName"), string_field(&meta, "description")))
        }
        _ => None,
    };
    let update = DefinitionUpdate {
        content: checked.content,
        logical_id: logical_id(checked.platform.as_ref()),
        metadata,
    };
    let mut store = app.store();
    match app.config.lro {
        LroMode::Sync => {
            store.apply_definition(ws, id, &update)?;
            Ok(http::empty(StatusCode::OK, expose::PLAIN))
        }
        LroMode::Async => {
            if let Some((Some(name), _)) = &update.metadata {
                store.check_name_free(ws, name, Some(id))?;
            }
            let op = store.start_operation(
                &app.config.clock,
                PendingAction::UpdateDefinition { workspace_id: ws, item_id: id, update },
            );
            Ok(accepted(&app, &ctx, op, expose::LRO))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Jobs

async fn run_by_query(
    state: AppState,
    ctx: Ctx,
    params: Params,
    query: Query,
    body: Body,
) -> Result<Response> {
    let job_type = query
        .get("jobType")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::bad_request("InvalidJobType", "The jobType query parameter is required"))?
        .to_owned();
    run(state, ctx, params, &job_type, body_bytes(body)?).await
}

async fn run_by_path(state: AppState, ctx: Ctx, params: Params, body: Body) -> Result<Response> {
    let job_type = params.str("jobType").to_owned();
    run(state, ctx, params, &job_type, body_bytes(body)?).await
}

async fn run(
    State(app): AppState,
    ctx: Ctx,
    params: Params,
    job_type: &str,
    body: Bytes,
) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    if !JOB_TYPES.iter().any(|t| t.eq_ignore_ascii_case(job_type)) {
        return Err(ApiError::bad_request(
            "InvalidJobType",
            format!("Job type '{job_type}' is invalid for a Copy job: use {}", JOB_TYPES.join(" or ")),
        ));
    }
    if !body.iter().all(u8::is_ascii_whitespace) && serde_json::from_slice::<Value>(&body).is_err() {
        return Err(ApiError::invalid_input("InvalidParameter", "The request body is not valid JSON"));
    }
    let now = app.config.clock.now();
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    store.item(ws, id)?;
    let active = store.jobs.iter().any(|j| j.item_id == id && !j.status(&app.config, now).0.is_terminal());
    let created_utc = app.config.clock.now_utc();
    let instance = JobInstance {
        id: Uuid::new_v4(),
        item_id: id,
        workspace_id: ws,
        job_type: COPY_JOB.to_owned(),
        root_activity_id: ctx.request_id,
        created: now,
        created_utc,
        will_fail: app.config.fail_runs,
        failure_request_id: Uuid::new_v4(),
        fixed: active.then_some((JobStatus::Deduped, created_utc)),
    };
    let location = instance_url(&ctx, ws, id, instance.id);
    store.jobs.push(instance);
    Ok(job_accepted(&app, &location))
}

fn instance_url(ctx: &Ctx, ws: Uuid, item: Uuid, job: Uuid) -> String {
    format!("{}/v1/workspaces/{ws}/items/{item}/jobs/instances/{job}", ctx.base_url)
}

fn job_accepted(app: &App, location: &str) -> Response {
    let mut response = http::empty(StatusCode::ACCEPTED, expose::JOB_ACCEPTED);
    http::set(&mut response, "location", location);
    http::retry_after(&mut response, app.config.retry_after);
    response
}

async fn get_instance(State(app): AppState, params: Params) -> Result<Response> {
    let (ws, id, job) = (params.uuid("workspaceId")?, params.item_id()?, params.uuid("jobInstanceId")?);
    let now = app.config.clock.now();
    let mut store = app.store();
    let instance = store.job_instance(&app.config, ws, id, job)?;
    let terminal = instance.status(&app.config, now).0.is_terminal();
    let body = instance.to_json(&app.config, now);
    if terminal {
        Ok(http::json(StatusCode::OK, &body, expose::PLAIN))
    } else {
        let mut response = http::json(StatusCode::OK, &body, expose::JOB_ACTIVE);
        http::retry_after(&mut response, app.config.retry_after);
        Ok(response)
    }
}

async fn list_instances(State(app): AppState, ctx: Ctx, params: Params, query: Query) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    let now = app.config.clock.now();
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    store.item(ws, id)?;
    let all = store.jobs.iter().filter(|j| j.item_id == id).map(|j| j.to_json(&app.config, now)).collect();
    drop(store);
    Ok(http::json(StatusCode::OK, &page(all, &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

async fn cancel_instance(State(app): AppState, ctx: Ctx, params: Params) -> Result<Response> {
    let (ws, id, job) = (params.uuid("workspaceId")?, params.item_id()?, params.uuid("jobInstanceId")?);
    let now = app.config.clock.now();
    let mut store = app.store();
    let instance = store.job_instance(&app.config, ws, id, job)?;
    if instance.status(&app.config, now).0.is_terminal() {
        return Err(ApiError::bad_request(
            "JobAlreadyCompleted",
            "Requested cancellation can not take be processed as job instance run has completed",
        )
        .retriable(false));
    }
    instance.fixed = Some((JobStatus::Cancelled, app.config.clock.now_utc()));
    Ok(job_accepted(&app, &instance_url(&ctx, ws, id, job)))
}

// ---------------------------------------------------------------------------------------------
// Operations

fn operation_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "OperationNotFound", "The requested operation was not found")
}

async fn get_operation(State(app): AppState, ctx: Ctx, params: Params) -> Result<Response> {
    let op_id = params.uuid("operationId")?;
    let store = app.store();
    let op = store.operations.get(&op_id).ok_or_else(operation_not_found)?;
    let (status, updated) = op.status(&app.config, app.config.clock.now());
    let error = match &op.outcome {
        Some((_, Err(e))) => e.body(Uuid::new_v4()),
        _ => Value::Null,
    };
    let body = serde_json::json!({
        "status": status,
        "createdTimeUtc": crate::timefmt::service_timestamp(op.created_utc),
        "lastUpdatedTimeUtc": crate::timefmt::service_timestamp(updated),
        "percentComplete": if status == OperationStatus::Succeeded { Value::from(100) } else { Value::Null },
        "error": error,
    });
    let url = format!("{}/v1/operations/{op_id}", ctx.base_url);
    let mut response = match status {
        OperationStatus::NotStarted | OperationStatus::Running => {
            let mut r = http::json(StatusCode::OK, &body, expose::LRO);
            http::set(&mut r, "location", &url);
            http::retry_after(&mut r, app.config.retry_after);
            r
        }
        OperationStatus::Succeeded => {
            let mut r = http::json(StatusCode::OK, &body, expose::OPERATION_DONE);
            http::set(&mut r, "location", &format!("{url}/result"));
            r
        }
        OperationStatus::Failed => http::json(StatusCode::OK, &body, expose::OPERATION_FAILED),
    };
    http::set(&mut response, "x-ms-operation-id", &op_id.to_string());
    Ok(response)
}

async fn get_operation_result(State(app): AppState, params: Params) -> Result<Response> {
    let op_id = params.uuid("operationId")?;
    let store = app.store();
    let op = store.operations.get(&op_id).ok_or_else(operation_not_found)?;
    match &op.outcome {
        Some((_, Ok(result))) => {
            let mut response = http::json(StatusCode::OK, result, expose::PLAIN);
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            Ok(response)
        }
        Some((_, Err(_))) => {
            Err(ApiError::bad_request("OperationHasNoResult", "The operation has no result"))
        }
        None => Err(ApiError::bad_request("OperationNotSucceeded", "The operation has not succeeded yet")),
    }
}
