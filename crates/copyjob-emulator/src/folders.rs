//! The Folders API (`/workspaces/{ws}/folders...`), moving items between folders, and the folder
//! scope of lists (`rootFolderId`, `recursive`).
//!
//! Evidence: the REST API specification (`Folders_*`, `Items_MoveItem`: request and response
//! shapes, the documented error codes) and the exchanges fabric-cicd recorded against the live
//! service (`tests/recordings/observed_exchanges_fabric-cicd_trace_sample.json`: a folder create
//! answers 201 with `Location` and `id, displayName, parentFolderId?, workspaceId`).

use crate::error::ApiError;
use crate::http::{self, expose, uuid_value, App, Ctx, Params, Query};
use crate::paging::page;
use crate::routes::{body_bytes, parse_body, Body};
use crate::state::{Folder, Store};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use copyjob::DocumentKind;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

type Result<T> = std::result::Result<T, ApiError>;
type AppState = State<Arc<App>>;

/// The longest folder name (the Terraform provider's `LengthAtMost(255)` for folders).
const MAX_FOLDER_NAME: usize = 255;

/// Characters a folder name cannot hold (fabric-cicd's `INVALID_FOLDER_CHAR_REGEX`, which checks
/// names before the service would reject them).
const INVALID_FOLDER_CHARS: &[char] =
    &['~', '"', '#', '.', '%', '&', '*', ':', '<', '>', '?', '/', '\\', '{', '|', '}'];

/// How deep folders nest: a folder at the workspace root is at depth 1.
const MAX_FOLDER_DEPTH: usize = 10;

/// The folder routes and `POST /workspaces/{ws}/items/{id}/move`.
pub(crate) fn routes(r: Router<Arc<App>>) -> Router<Arc<App>> {
    r.route("/workspaces/{workspaceId}/folders", get(list_folders).post(create_folder))
        .route(
            "/workspaces/{workspaceId}/folders/{folderId}",
            get(get_folder).patch(update_folder).delete(delete_folder),
        )
        .route("/workspaces/{workspaceId}/folders/{folderId}/move", post(move_folder))
        .route("/workspaces/{workspaceId}/items/{itemId}/move", post(move_item))
}

pub(crate) fn folder_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "FolderNotFound",
        "The requested folder was not found in the workspace",
    )
}

fn name_in_use(name: &str) -> ApiError {
    ApiError::bad_request(
        "FolderDisplayNameAlreadyInUse",
        format!(
            "The folder display name '{name}' is already used by another folder in the same parent folder"
        ),
    )
}

/// Which containers a list covers: the workspace (or `rootFolderId`) and, when `recursive`
/// (the default), every folder below it.
pub(crate) struct Scope {
    root: Option<Uuid>,
    recursive: bool,
    /// With a root and `recursive`: the root and its descendants.
    subtree: HashSet<Uuid>,
}

impl Scope {
    /// Reads `rootFolderId` (404 `FolderNotFound` when it is not a folder of the workspace) and
    /// `recursive`.
    pub fn from_query(store: &Store, ws: Uuid, query: &Query) -> Result<Scope> {
        let recursive = query.flag_or("recursive", true)?;
        let root = match query.get("rootFolderId").filter(|r| !r.is_empty()) {
            Some(raw) => {
                let id = uuid_value(raw, "rootFolderId")?;
                store.folder(ws, id)?;
                Some(id)
            }
            None => None,
        };
        let subtree = match root {
            Some(root) if recursive => store.subtree(ws, root),
            _ => HashSet::new(),
        };
        Ok(Scope { root, recursive, subtree })
    }

    /// Whether something held by `container` (`None`: the workspace root) is listed.
    pub fn contains(&self, container: Option<Uuid>) -> bool {
        match (self.root, self.recursive) {
            (None, true) => true,
            (None, false) => container.is_none(),
            (Some(_), true) => container.is_some_and(|c| self.subtree.contains(&c)),
            (Some(root), false) => container == Some(root),
        }
    }
}

impl Store {
    /// A folder of the workspace, or 404 `FolderNotFound` (folders of other workspaces are not
    /// found either).
    pub fn folder(&self, ws: Uuid, id: Uuid) -> Result<&Folder> {
        self.folders.iter().find(|f| f.workspace_id == ws && f.id == id).ok_or_else(folder_not_found)
    }

    fn folder_mut(&mut self, ws: Uuid, id: Uuid) -> Result<&mut Folder> {
        self.folders.iter_mut().find(|f| f.workspace_id == ws && f.id == id).ok_or_else(folder_not_found)
    }

    /// A folder id from a request body field: absent, `null` and `""` mean the workspace root
    /// (the service accepts `"folderId": ""` on create, as fabric-cicd sends it); anything else
    /// must be a folder of the workspace.
    pub fn folder_field(&self, ws: Uuid, body: &Map<String, Value>, field: &str) -> Result<Option<Uuid>> {
        match body.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(raw)) if raw.is_empty() => Ok(None),
            Some(Value::String(raw)) => {
                let id = uuid_value(raw, field)?;
                self.folder(ws, id)?;
                Ok(Some(id))
            }
            Some(_) => {
                Err(ApiError::invalid_input("InvalidParameter", format!("The {field} field must be a UUID")))
            }
        }
    }

    /// `root` and every folder below it.
    fn subtree(&self, ws: Uuid, root: Uuid) -> HashSet<Uuid> {
        let mut set = HashSet::from([root]);
        loop {
            let before = set.len();
            for f in self.folders.iter().filter(|f| f.workspace_id == ws) {
                if f.parent_id.is_some_and(|p| set.contains(&p)) {
                    set.insert(f.id);
                }
            }
            if set.len() == before {
                return set;
            }
        }
    }

    /// The depth of a folder (1 at the workspace root); `None` is the root itself (0).
    fn depth(&self, ws: Uuid, folder: Option<Uuid>) -> usize {
        let mut depth = 0;
        let mut current = folder;
        while let Some(id) = current {
            depth += 1;
            current = self.folder(ws, id).ok().and_then(|f| f.parent_id);
            if depth > self.folders.len() {
                break;
            }
        }
        depth
    }

    /// How many levels the folder and its descendants span (1 for a folder without subfolders).
    fn height(&self, ws: Uuid, folder: Uuid) -> usize {
        let base = self.depth(ws, Some(folder));
        self.subtree(ws, folder).iter().map(|&f| self.depth(ws, Some(f)) + 1 - base).max().unwrap_or(1)
    }

    fn check_folder_name_free(
        &self,
        ws: Uuid,
        parent: Option<Uuid>,
        name: &str,
        except: Option<Uuid>,
    ) -> Result<()> {
        let taken = self.folders.iter().any(|f| {
            f.workspace_id == ws && f.parent_id == parent && Some(f.id) != except && f.display_name == name
        });
        if taken {
            Err(name_in_use(name))
        } else {
            Ok(())
        }
    }

    fn check_depth(&self, ws: Uuid, parent: Option<Uuid>, height: usize) -> Result<()> {
        if self.depth(ws, parent) + height > MAX_FOLDER_DEPTH {
            Err(ApiError::bad_request(
                "FolderDepthOutOfRange",
                format!("Folders nest at most {MAX_FOLDER_DEPTH} levels deep: the parent folder has reached the maximum depth"),
            ))
        } else {
            Ok(())
        }
    }
}

/// The folder name of a create or update body, validated: 400 `InvalidFolderDisplayName`.
fn folder_name(body: &Map<String, Value>) -> Result<String> {
    let name = match body.get("displayName") {
        Some(Value::String(name)) => name,
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_input("InvalidParameter", "The displayName field is required"))
        }
        Some(_) => {
            return Err(ApiError::invalid_input("InvalidParameter", "The displayName field must be a string"))
        }
    };
    let invalid = |why: String| {
        ApiError::bad_request(
            "InvalidFolderDisplayName",
            format!("The folder display name '{name}' is invalid: {why}"),
        )
    };
    if name.trim().is_empty() {
        return Err(invalid("it is empty".to_owned()));
    }
    if name.trim() != name {
        return Err(invalid("it starts or ends with a space".to_owned()));
    }
    if name.chars().count() > MAX_FOLDER_NAME {
        return Err(invalid(format!("it is longer than {MAX_FOLDER_NAME} characters")));
    }
    if let Some(c) = name.chars().find(|c| INVALID_FOLDER_CHARS.contains(c) || c.is_control()) {
        return Err(invalid(format!("it contains the character {c:?}")));
    }
    Ok(name.clone())
}

/// A JSON object body (these bodies have no schema in the core; their fields are checked here).
/// Fields the specification does not define are ignored, as the service does as far as the
/// evidence goes (it does not close these bodies, and the service accepted a recorded create
/// carrying a field its request type lacks); a `parentFolderId` in a PATCH moves nothing.
fn json_body(app: &App, body: Body, code: &'static str) -> Result<Map<String, Value>> {
    parse_body(app, &body_bytes(body)?, DocumentKind::Unknown, code)
}

fn folder_url(ctx: &Ctx, folder: &Folder) -> String {
    format!("{}/v1/workspaces/{}/folders/{}", ctx.base_url, folder.workspace_id, folder.id)
}

async fn list_folders(State(app): AppState, ctx: Ctx, params: Params, query: Query) -> Result<Response> {
    let ws = params.uuid("workspaceId")?;
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let scope = Scope::from_query(&store, ws, &query)?;
    let all = store
        .folders
        .iter()
        .filter(|f| f.workspace_id == ws && scope.contains(f.parent_id))
        .map(Folder::to_json)
        .collect();
    drop(store);
    Ok(http::json(StatusCode::OK, &page(all, &query, &ctx, app.config.page_size)?, expose::PLAIN))
}

async fn create_folder(State(app): AppState, ctx: Ctx, params: Params, body: Body) -> Result<Response> {
    let ws = params.uuid("workspaceId")?;
    let body = json_body(&app, body, "InvalidInput")?;
    let name = folder_name(&body)?;
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let parent = store.folder_field(ws, &body, "parentFolderId")?;
    store.check_depth(ws, parent, 1)?;
    store.check_folder_name_free(ws, parent, &name, None)?;
    let folder = Folder { id: Uuid::new_v4(), workspace_id: ws, display_name: name, parent_id: parent };
    let mut response = http::json(StatusCode::CREATED, &folder.to_json(), expose::CREATED);
    http::set(&mut response, "location", &folder_url(&ctx, &folder));
    store.folders.push(folder);
    Ok(response)
}

async fn get_folder(State(app): AppState, params: Params) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.uuid("folderId")?);
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    Ok(http::json(StatusCode::OK, &store.folder(ws, id)?.to_json(), expose::PLAIN))
}

async fn update_folder(State(app): AppState, params: Params, body: Body) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.uuid("folderId")?);
    let body = json_body(&app, body, "InvalidRequest")?;
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let parent = store.folder(ws, id)?.parent_id;
    let name = folder_name(&body)?;
    store.check_folder_name_free(ws, parent, &name, Some(id))?;
    let folder = store.folder_mut(ws, id)?;
    folder.display_name = name;
    Ok(http::json(StatusCode::OK, &folder.to_json(), expose::PLAIN))
}

async fn delete_folder(State(app): AppState, params: Params) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.uuid("folderId")?);
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    store.folder(ws, id)?;
    let has_items = store.items.iter().any(|i| i.workspace_id == ws && i.folder_id == Some(id));
    let has_folders = store.folders.iter().any(|f| f.workspace_id == ws && f.parent_id == Some(id));
    if has_items || has_folders {
        return Err(ApiError::bad_request("FolderNotEmpty", "The requested folder was not empty.")
            .related(id.to_string(), "Folder"));
    }
    store.folders.retain(|f| !(f.workspace_id == ws && f.id == id));
    Ok(http::empty(StatusCode::OK, expose::PLAIN))
}

async fn move_folder(State(app): AppState, params: Params, body: Body) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.uuid("folderId")?);
    let body = json_body(&app, body, "InvalidInput")?;
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    let name = store.folder(ws, id)?.display_name.clone();
    let target = store.folder_field(ws, &body, "targetFolderId")?;
    if target.is_some_and(|t| store.subtree(ws, id).contains(&t)) {
        return Err(ApiError::bad_request(
            "InfiniteFolderHierarchyLoop",
            "The folder can't be moved into itself or any of its descendants",
        ));
    }
    store.check_depth(ws, target, store.height(ws, id))?;
    store.check_folder_name_free(ws, target, &name, Some(id))?;
    let folder = store.folder_mut(ws, id)?;
    folder.parent_id = target;
    Ok(http::json(StatusCode::OK, &folder.to_json(), expose::PLAIN))
}

async fn move_item(State(app): AppState, params: Params, body: Body) -> Result<Response> {
    let (ws, id) = (params.uuid("workspaceId")?, params.item_id()?);
    let body = json_body(&app, body, "InvalidInput")?;
    let mut store = app.store();
    store.workspace(&app.config, ws)?;
    store.item(ws, id)?;
    let target = store.folder_field(ws, &body, "targetFolderId")?;
    let item = store.item_mut(ws, id)?;
    item.folder_id = target;
    Ok(http::json(StatusCode::OK, &json!({ "value": [item.to_list_json()] }), expose::PLAIN))
}
