//! The in-memory service: workspaces, items, long-running operations and job instances.

use crate::clock::Clock;
use crate::config::Config;
use crate::error::ApiError;
use crate::timefmt::service_timestamp;
use copyjob::{DefinitionPart, CONTENT_PART, PLATFORM_PART};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Instant;
use time::OffsetDateTime;
use uuid::Uuid;

/// The content the service gives a Copy job created without a definition, byte for byte as a
/// recorded getDefinition returned it.
pub const DEFAULT_CONTENT: &[u8] =
    b"{\n  \"properties\": {\n    \"jobMode\": \"Batch\"\n  },\n  \"activities\": []\n}";

/// The `$schema` the service writes in `.platform`.
pub const PLATFORM_SCHEMA: &str =
    "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json";

/// The item type of every item the emulator holds.
pub const COPY_JOB: &str = "CopyJob";

/// The capacity every emulated workspace is assigned to (fabric-cicd refuses to publish to a
/// workspace without `capacityId`).
pub const CAPACITY_ID: Uuid = Uuid::from_u128(0x00000000_0000_4000_8000_0000000000ca);

/// The region reported for [`CAPACITY_ID`] (a value of the service's `CapacityRegion` enum).
pub const CAPACITY_REGION: &str = "West Central US";

/// The capacity as `GET /capacities` lists it (`Capacity`: `id, displayName, sku, region,
/// state`, in the documented order): the one every workspace reports, active.
pub fn capacity_json() -> Value {
    json!({
        "id": CAPACITY_ID,
        "displayName": "Emulator capacity",
        "sku": "F2",
        "region": CAPACITY_REGION,
        "state": "Active",
    })
}

/// A workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub id: Uuid,
    pub display_name: String,
}

impl Workspace {
    /// The workspace as listed: `id, displayName, description, type, capacityId`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "description": "",
            "type": "Workspace",
            "capacityId": CAPACITY_ID,
        })
    }

    /// The workspace as `GET /workspaces/{id}` returns it (`WorkspaceInfo`), in the recorded key
    /// order.
    pub fn info_json(&self) -> Value {
        let mut value = self.to_json();
        if let Value::Object(map) = &mut value {
            map.insert("capacityRegion".into(), Value::from(CAPACITY_REGION));
            map.insert(
                "oneLakeEndpoints".into(),
                json!({
                    "blobEndpoint": "https://onelake.blob.fabric.microsoft.com",
                    "dfsEndpoint": "https://onelake.dfs.fabric.microsoft.com",
                }),
            );
            map.insert("capacityAssignmentProgress".into(), Value::from("Completed"));
        }
        value
    }
}

/// A workspace folder.
#[derive(Debug, Clone)]
pub struct Folder {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub display_name: String,
    /// `None`: the folder is at the workspace root.
    pub parent_id: Option<Uuid>,
}

impl Folder {
    /// `id, displayName, parentFolderId?, workspaceId`, the recorded key order.
    pub fn to_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("id".into(), Value::from(self.id.to_string()));
        map.insert("displayName".into(), Value::from(self.display_name.as_str()));
        if let Some(parent) = self.parent_id {
            map.insert("parentFolderId".into(), Value::from(parent.to_string()));
        }
        map.insert("workspaceId".into(), Value::from(self.workspace_id.to_string()));
        Value::Object(map)
    }
}

/// A Copy job.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub display_name: String,
    pub description: Option<String>,
    pub folder_id: Option<Uuid>,
    /// The bytes of `copyjob-content.json`, exactly as uploaded.
    pub content: Vec<u8>,
    /// `config.logicalId` of the last uploaded `.platform`.
    pub logical_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemJson<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: &'static str,
    display_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    workspace_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    folder_id: Option<Uuid>,
}

impl Item {
    /// The item as the service returns it from create and get: `id, type, displayName,
    /// description?, workspaceId, folderId?` (description omitted when never set).
    pub fn to_json(&self) -> Value {
        self.json(self.description.as_deref())
    }

    /// The item as lists return it: `description` is always there, `""` when never set.
    pub fn to_list_json(&self) -> Value {
        self.json(Some(self.description.as_deref().unwrap_or("")))
    }

    fn json(&self, description: Option<&str>) -> Value {
        serde_json::to_value(ItemJson {
            id: self.id,
            kind: COPY_JOB,
            display_name: &self.display_name,
            description,
            workspace_id: self.workspace_id,
            folder_id: self.folder_id,
        })
        .unwrap_or(Value::Null)
    }

    /// The generated `.platform`, pretty-printed with two spaces like the service's.
    pub fn platform(&self) -> Vec<u8> {
        let mut metadata = serde_json::Map::new();
        metadata.insert("type".into(), Value::from(COPY_JOB));
        metadata.insert("displayName".into(), Value::from(self.display_name.as_str()));
        if let Some(d) = &self.description {
            metadata.insert("description".into(), Value::from(d.as_str()));
        }
        let logical_id = self.logical_id.clone().unwrap_or_else(|| Uuid::nil().to_string());
        let platform = json!({
            "$schema": PLATFORM_SCHEMA,
            "metadata": metadata,
            "config": { "version": "2.0", "logicalId": logical_id },
        });
        serde_json::to_vec_pretty(&platform).unwrap_or_default()
    }

    /// `{"definition": {"parts": [copyjob-content.json, .platform]}}`.
    pub fn definition_json(&self) -> Value {
        let parts = [
            DefinitionPart::from_bytes(CONTENT_PART, &self.content),
            DefinitionPart::from_bytes(PLATFORM_PART, &self.platform()),
        ];
        json!({ "definition": { "parts": parts } })
    }
}

/// The status of a long-running operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OperationStatus {
    NotStarted,
    Running,
    Succeeded,
    Failed,
}

/// What an async operation does when it completes.
#[derive(Debug, Clone)]
pub enum PendingAction {
    Create(Item),
    UpdateDefinition { workspace_id: Uuid, item_id: Uuid, update: DefinitionUpdate },
    GetDefinition { workspace_id: Uuid, item_id: Uuid },
}

/// A checked definition to apply to an item.
#[derive(Debug, Clone)]
pub struct DefinitionUpdate {
    pub content: Vec<u8>,
    pub logical_id: Option<String>,
    /// `.platform` metadata to apply (`updateMetadata=true`): display name and description.
    pub metadata: Option<(Option<String>, Option<String>)>,
}

/// A long-running operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: Uuid,
    pub created: Instant,
    pub created_utc: OffsetDateTime,
    pub action: Option<PendingAction>,
    /// Set once the operation has completed.
    pub outcome: Option<(OperationStatus, Result<Value, ApiError>)>,
}

/// The status of a job instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JobStatus {
    NotStarted,
    InProgress,
    Completed,
    Failed,
    Cancelled,
    Deduped,
}

impl JobStatus {
    pub fn is_terminal(self) -> bool {
        !matches!(self, JobStatus::NotStarted | JobStatus::InProgress)
    }
}

/// A job instance (a run of a Copy job).
#[derive(Debug, Clone)]
pub struct JobInstance {
    pub id: Uuid,
    pub item_id: Uuid,
    pub workspace_id: Uuid,
    pub job_type: String,
    pub root_activity_id: Uuid,
    pub created: Instant,
    pub created_utc: OffsetDateTime,
    pub will_fail: bool,
    /// The failure's request id (`failureReason.requestId`).
    pub failure_request_id: Uuid,
    /// A status fixed by cancel or dedupe, with its end time.
    pub fixed: Option<(JobStatus, OffsetDateTime)>,
}

impl JobInstance {
    /// The status and end time at `now`.
    pub fn status(&self, config: &Config, now: Instant) -> (JobStatus, Option<OffsetDateTime>) {
        if let Some((status, end)) = self.fixed {
            return (status, Some(end));
        }
        let elapsed = now.saturating_duration_since(self.created);
        if elapsed < config.job_queued {
            (JobStatus::NotStarted, None)
        } else if elapsed < config.job_queued + config.job_running {
            (JobStatus::InProgress, None)
        } else {
            let end = self.created_utc + (config.job_queued + config.job_running);
            (if self.will_fail { JobStatus::Failed } else { JobStatus::Completed }, Some(end))
        }
    }

    pub fn to_json(&self, config: &Config, now: Instant) -> Value {
        let (status, end) = self.status(config, now);
        let failure = if status == JobStatus::Failed {
            json!({
                "requestId": self.failure_request_id,
                "errorCode": "JobInstanceStatusFailed",
                "message": "Job instance failed without detail error",
                "isRetriable": false,
            })
        } else {
            Value::Null
        };
        json!({
            "id": self.id,
            "itemId": self.item_id,
            "jobType": self.job_type,
            "invokeType": "Manual",
            "status": status,
            "failureReason": failure,
            "rootActivityId": self.root_activity_id,
            "startTimeUtc": service_timestamp(self.created_utc),
            "endTimeUtc": end.map(service_timestamp),
        })
    }
}

/// Everything the emulator holds.
#[derive(Debug, Default)]
pub struct Store {
    pub workspaces: Vec<Workspace>,
    /// Folders in creation order.
    pub folders: Vec<Folder>,
    /// Items in creation order.
    pub items: Vec<Item>,
    pub operations: HashMap<Uuid, Operation>,
    /// Job instances in creation order.
    pub jobs: Vec<JobInstance>,
}

impl Store {
    pub fn new(config: &Config) -> Self {
        Store {
            workspaces: config
                .initial_workspaces()
                .into_iter()
                .map(|w| Workspace { id: w.id, display_name: w.display_name })
                .collect(),
            ..Store::default()
        }
    }

    /// The workspace, created on first use with `any_workspace`.
    pub fn workspace(&mut self, config: &Config, id: Uuid) -> Result<&Workspace, ApiError> {
        if let Some(i) = self.workspaces.iter().position(|w| w.id == id) {
            return Ok(&self.workspaces[i]);
        }
        if !config.any_workspace {
            return Err(ApiError::workspace_not_found().related(id.to_string(), "Workspace"));
        }
        self.workspaces.push(Workspace { id, display_name: format!("Workspace {id}") });
        let last = self.workspaces.len() - 1;
        Ok(&self.workspaces[last])
    }

    pub fn item(&self, workspace_id: Uuid, id: Uuid) -> Result<&Item, ApiError> {
        self.items
            .iter()
            .find(|i| i.workspace_id == workspace_id && i.id == id)
            .ok_or_else(ApiError::item_not_found)
    }

    /// A job instance of an item, after the workspace and the item (each 404 of its own when
    /// missing).
    pub fn job_instance(
        &mut self,
        config: &Config,
        workspace_id: Uuid,
        item_id: Uuid,
        id: Uuid,
    ) -> Result<&mut JobInstance, ApiError> {
        self.workspace(config, workspace_id)?;
        self.item(workspace_id, item_id)?;
        self.jobs
            .iter_mut()
            .find(|j| j.id == id && j.item_id == item_id && j.workspace_id == workspace_id)
            .ok_or_else(ApiError::job_instance_not_found)
    }

    pub fn item_mut(&mut self, workspace_id: Uuid, id: Uuid) -> Result<&mut Item, ApiError> {
        self.items
            .iter_mut()
            .find(|i| i.workspace_id == workspace_id && i.id == id)
            .ok_or_else(ApiError::item_not_found)
    }

    /// 400 `ItemDisplayNameAlreadyInUse` when another item of the workspace (or a pending create)
    /// has the name.
    pub fn check_name_free(
        &self,
        workspace_id: Uuid,
        name: &str,
        except: Option<Uuid>,
    ) -> Result<(), ApiError> {
        let taken = self
            .items
            .iter()
            .any(|i| i.workspace_id == workspace_id && i.display_name == name && Some(i.id) != except)
            || self.operations.values().any(|op| {
                matches!(&op.action, Some(PendingAction::Create(i)) if i.workspace_id == workspace_id && i.display_name == name)
            });
        if taken {
            Err(name_in_use(name))
        } else {
            Ok(())
        }
    }

    /// Applies a definition update; used directly (sync) and when an async operation completes.
    pub fn apply_definition(
        &mut self,
        workspace_id: Uuid,
        item_id: Uuid,
        update: &DefinitionUpdate,
    ) -> Result<Value, ApiError> {
        if let Some((Some(name), _)) = &update.metadata {
            self.check_name_free(workspace_id, name, Some(item_id))?;
        }
        let item = self.item_mut(workspace_id, item_id)?;
        item.content.clone_from(&update.content);
        if update.logical_id.is_some() {
            item.logical_id.clone_from(&update.logical_id);
        }
        if let Some((name, description)) = &update.metadata {
            if let Some(name) = name {
                item.display_name.clone_from(name);
            }
            if description.is_some() {
                item.description.clone_from(description);
            }
        }
        Ok(item.to_json())
    }

    /// Completes the async operations whose time has come.
    pub fn settle(&mut self, config: &Config, now: Instant) {
        let due: Vec<Uuid> = self
            .operations
            .values()
            .filter(|op| {
                op.outcome.is_none()
                    && now.saturating_duration_since(op.created) >= config.lro_queued + config.lro_running
            })
            .map(|op| op.id)
            .collect();
        for id in due {
            let Some(action) = self.operations.get_mut(&id).and_then(|op| op.action.take()) else { continue };
            let result = match action {
                PendingAction::Create(item) => {
                    self.check_name_free(item.workspace_id, &item.display_name, None).map(|()| {
                        let value = item.to_json();
                        self.items.push(item);
                        value
                    })
                }
                PendingAction::UpdateDefinition { workspace_id, item_id, update } => {
                    self.apply_definition(workspace_id, item_id, &update)
                }
                PendingAction::GetDefinition { workspace_id, item_id } => {
                    self.item(workspace_id, item_id).map(Item::definition_json)
                }
            };
            let status = if result.is_ok() { OperationStatus::Succeeded } else { OperationStatus::Failed };
            if let Some(op) = self.operations.get_mut(&id) {
                op.outcome = Some((status, result));
            }
        }
    }

    /// Starts an async operation, now by `clock`.
    pub fn start_operation(&mut self, clock: &Clock, action: PendingAction) -> Uuid {
        let id = Uuid::new_v4();
        let op = Operation {
            id,
            created: clock.now(),
            created_utc: clock.now_utc(),
            action: Some(action),
            outcome: None,
        };
        self.operations.insert(id, op);
        id
    }
}

impl Operation {
    /// The status and the time of its last change.
    pub fn status(&self, config: &Config, now: Instant) -> (OperationStatus, OffsetDateTime) {
        let elapsed = now.saturating_duration_since(self.created);
        match &self.outcome {
            Some((status, _)) => (*status, self.created_utc + (config.lro_queued + config.lro_running)),
            None if elapsed < config.lro_queued => (OperationStatus::NotStarted, self.created_utc),
            None => (OperationStatus::Running, self.created_utc + config.lro_queued),
        }
    }
}

/// 400 `ItemDisplayNameAlreadyInUse`.
pub fn name_in_use(name: &str) -> ApiError {
    ApiError::bad_request("ItemDisplayNameAlreadyInUse", format!("Requested '{name}' is already in use"))
        .retriable(false)
}
