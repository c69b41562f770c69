//! The workspace, capacities, folders and connections routes Microsoft's clients call
//! (fabric-cicd, fab): `GET /workspaces/{id}`, `GET /capacities`, the Folders API, items in folders, `POST /items/{id}/move`, the lists'
//! `rootFolderId`/`recursive` scope, and their errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn ids(list: &Value) -> Vec<&str> {
    list["value"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect()
}

async fn folder(emu: &Emu, name: &str, parent: Option<&str>) -> String {
    let mut body = json!({ "displayName": name });
    if let Some(parent) = parent {
        body["parentFolderId"] = json!(parent);
    }
    let r = emu.post(&format!("{}/folders", emu.ws()), Some(body)).await;
    assert_eq!(r.status(), StatusCode::CREATED, "create folder {name}");
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn list(emu: &Emu, path: &str) -> Value {
    let r = emu.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn get_workspace_reports_its_capacity() {
    let emu = start(config()).await;
    let r = emu.get(&emu.ws()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId"));
    let ws: Value = r.json().await.unwrap();
    assert_eq!(
        keys(&ws),
        [
            "id",
            "displayName",
            "description",
            "type",
            "capacityId",
            "capacityRegion",
            "oneLakeEndpoints",
            "capacityAssignmentProgress"
        ]
    );
    assert_eq!(ws["id"], WS.to_string());
    assert_eq!(ws["description"], "");
    assert_eq!(ws["type"], "Workspace");
    assert_eq!(ws["capacityAssignmentProgress"], "Completed");
    assert!(uuid::Uuid::parse_str(ws["capacityId"].as_str().unwrap()).is_ok());
    let listed: Value = list(&emu, "/v1/workspaces").await;
    assert_eq!(listed["value"][0]["capacityId"], ws["capacityId"]);

    let unknown = uuid::Uuid::new_v4();
    assert_error(
        emu.get(&format!("/v1/workspaces/{unknown}")).await,
        StatusCode::NOT_FOUND,
        "WorkspaceNotFound",
    )
    .await;
    assert_error(emu.get("/v1/workspaces/nope").await, StatusCode::BAD_REQUEST, "InvalidParameter").await;
}

#[tokio::test]
async fn folder_crud_and_the_recorded_shapes() {
    let emu = start(config()).await;
    let ws = emu.ws();
    assert_eq!(list(&emu, &format!("{ws}/folders")).await, json!({"value": []}));

    let r = emu.post(&format!("{ws}/folders"), Some(json!({"displayName": "subfolder"}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId,Location"));
    assert!(r.headers().get("etag").is_none());
    let location = header(&r, "location").unwrap().to_owned();
    let top: Value = r.json().await.unwrap();
    assert_eq!(keys(&top), ["id", "displayName", "workspaceId"]);
    let top_id = top["id"].as_str().unwrap().to_owned();
    assert_eq!(location, emu.url(&format!("{ws}/folders/{top_id}")));

    let r = emu
        .post(&format!("{ws}/folders"), Some(json!({"displayName": "subfolder", "parentFolderId": top_id})))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let child: Value = r.json().await.unwrap();
    assert_eq!(keys(&child), ["id", "displayName", "parentFolderId", "workspaceId"]);
    let child_id = child["id"].as_str().unwrap().to_owned();

    let r = emu.get(&location).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), top);

    let r = emu
        .call(Method::PATCH, &format!("{ws}/folders/{child_id}"), Some(json!({"displayName": "renamed"})))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let renamed: Value = r.json().await.unwrap();
    assert_eq!(renamed["displayName"], "renamed");
    assert_eq!(renamed["parentFolderId"], top_id.as_str());

    // Not empty: FolderNotEmpty with the folder as related resource; the child goes first.
    let body = assert_error(
        emu.call(Method::DELETE, &format!("{ws}/folders/{top_id}"), None).await,
        StatusCode::BAD_REQUEST,
        "FolderNotEmpty",
    )
    .await;
    assert_eq!(body["relatedResource"], json!({"resourceId": top_id, "resourceType": "Folder"}));
    for id in [&child_id, &top_id] {
        let r = emu.call(Method::DELETE, &format!("{ws}/folders/{id}"), None).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(header(&r, "content-length"), Some("0"));
    }
    assert_error(emu.get(&location).await, StatusCode::NOT_FOUND, "FolderNotFound").await;
    assert_eq!(list(&emu, &format!("{ws}/folders")).await, json!({"value": []}));
}

#[tokio::test]
async fn folder_errors() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let path = format!("{ws}/folders");
    let a = folder(&emu, "A", None).await;
    // Names are unique among siblings only.
    assert_error(
        emu.post(&path, Some(json!({"displayName": "A"}))).await,
        StatusCode::BAD_REQUEST,
        "FolderDisplayNameAlreadyInUse",
    )
    .await;
    folder(&emu, "A", Some(&a)).await;
    for bad in ["", " lead", "trail ", "a.b", "x/y", "q?", "t~", &"n".repeat(256)] {
        assert_error(
            emu.post(&path, Some(json!({"displayName": bad}))).await,
            StatusCode::BAD_REQUEST,
            "InvalidFolderDisplayName",
        )
        .await;
    }
    assert_eq!(
        emu.post(&path, Some(json!({"displayName": "n".repeat(255)}))).await.status(),
        StatusCode::CREATED
    );
    assert_error(emu.post(&path, Some(json!({}))).await, StatusCode::BAD_REQUEST, "InvalidInput").await;
    assert_error(
        emu.post(&path, Some(json!({"displayName": 3}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    let missing = uuid::Uuid::new_v4();
    assert_error(
        emu.post(&path, Some(json!({"displayName": "x", "parentFolderId": missing}))).await,
        StatusCode::NOT_FOUND,
        "FolderNotFound",
    )
    .await;
    assert_error(
        emu.post(&path, Some(json!({"displayName": "x", "parentFolderId": "nope"}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidParameter",
    )
    .await;
    for (method, suffix) in
        [(Method::GET, ""), (Method::DELETE, ""), (Method::PATCH, ""), (Method::POST, "/move")]
    {
        let body = (method != Method::GET && method != Method::DELETE).then(|| json!({"displayName": "z"}));
        assert_error(
            emu.call(method, &format!("{path}/{missing}{suffix}"), body).await,
            StatusCode::NOT_FOUND,
            "FolderNotFound",
        )
        .await;
    }
    assert_error(
        emu.get(&format!("{ws}/items?rootFolderId={missing}")).await,
        StatusCode::NOT_FOUND,
        "FolderNotFound",
    )
    .await;

    // Ten levels deep at most.
    let mut parent = folder(&emu, "L1", None).await;
    for level in 2..=10 {
        parent = folder(&emu, &format!("L{level}"), Some(&parent)).await;
    }
    assert_error(
        emu.post(&path, Some(json!({"displayName": "L11", "parentFolderId": parent}))).await,
        StatusCode::BAD_REQUEST,
        "FolderDepthOutOfRange",
    )
    .await;
    // A move may not make the tree deeper either, nor put a folder inside itself.
    assert_error(
        emu.post(&format!("{path}/{a}/move"), Some(json!({"targetFolderId": parent}))).await,
        StatusCode::BAD_REQUEST,
        "FolderDepthOutOfRange",
    )
    .await;
    let inner = folder(&emu, "inner", Some(&a)).await;
    assert_error(
        emu.post(&format!("{path}/{a}/move"), Some(json!({"targetFolderId": inner}))).await,
        StatusCode::BAD_REQUEST,
        "InfiniteFolderHierarchyLoop",
    )
    .await;
    assert_error(
        emu.post(&format!("{path}/{a}/move"), Some(json!({"targetFolderId": a}))).await,
        StatusCode::BAD_REQUEST,
        "InfiniteFolderHierarchyLoop",
    )
    .await;
    // Moving the inner "A" to the root collides with the root's "A".
    let inner_a = list(&emu, &format!("{path}?rootFolderId={a}&recursive=false")).await;
    let inner_a = inner_a["value"].as_array().unwrap().iter().find(|f| f["displayName"] == "A").unwrap()
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(
        emu.post(&format!("{path}/{inner_a}/move"), Some(json!({}))).await,
        StatusCode::BAD_REQUEST,
        "FolderDisplayNameAlreadyInUse",
    )
    .await;
    let r = emu.post(&format!("{path}/{inner}/move"), Some(json!({}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(keys(&r.json::<Value>().await.unwrap()), ["id", "displayName", "workspaceId"]);
}

#[tokio::test]
async fn items_live_in_folders_and_lists_follow_the_scope() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let a = folder(&emu, "A", None).await;
    let b = folder(&emu, "B", Some(&a)).await;
    // folderId "" is the workspace root, as the service treats it (fabric-cicd sends it).
    let r = emu
        .post(
            &format!("{ws}/items"),
            Some(json!({"displayName": "root", "type": "CopyJob", "description": "", "folderId": ""})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let root: Value = r.json().await.unwrap();
    assert_eq!(keys(&root), ["id", "type", "displayName", "description", "workspaceId"]);
    let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "in-b", "folderId": b}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let in_b: Value = r.json().await.unwrap();
    assert_eq!(keys(&in_b), ["id", "type", "displayName", "workspaceId", "folderId"]);
    assert_eq!(in_b["folderId"], b.as_str());
    let (root_id, b_id) = (root["id"].as_str().unwrap(), in_b["id"].as_str().unwrap());
    let missing = uuid::Uuid::new_v4();
    assert_error(
        emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "lost", "folderId": missing}))).await,
        StatusCode::NOT_FOUND,
        "FolderNotFound",
    )
    .await;

    for (query, expected) in [
        ("", vec![root_id, b_id]),
        ("?recursive=false", vec![root_id]),
        (&format!("?rootFolderId={a}"), vec![b_id]),
        (&format!("?rootFolderId={a}&recursive=false"), vec![]),
        (&format!("?rootFolderId={b}&recursive=False"), vec![b_id]),
    ] {
        for base in ["items", "copyJobs"] {
            let listed = list(&emu, &format!("{ws}/{base}{query}")).await;
            assert_eq!(ids(&listed), expected, "{base}{query}");
            for item in listed["value"].as_array().unwrap() {
                assert!(item["description"].is_string(), "description on every listed item");
            }
        }
    }
    let folders = list(&emu, &format!("{ws}/folders")).await;
    assert_eq!(ids(&folders), [a.as_str(), b.as_str()]);
    assert_eq!(ids(&list(&emu, &format!("{ws}/folders?recursive=false")).await), [a.as_str()]);
    assert_eq!(ids(&list(&emu, &format!("{ws}/folders?rootFolderId={a}")).await), [b.as_str()]);
    assert!(ids(&list(&emu, &format!("{ws}/folders?rootFolderId={b}")).await).is_empty());

    // Move: into a folder, then back to the root with "" (as fabric-cicd does) or no target.
    let r = emu.post(&format!("{ws}/items/{root_id}/move"), Some(json!({"targetFolderId": a}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let moved: Value = r.json().await.unwrap();
    assert_eq!(moved["value"][0]["folderId"], a.as_str());
    assert_eq!(moved["value"][0]["id"], root_id);
    assert_eq!(ids(&list(&emu, &format!("{ws}/items?rootFolderId={a}&recursive=false")).await), [root_id]);
    let r = emu.post(&format!("{ws}/items/{root_id}/move"), Some(json!({"targetFolderId": ""}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.json::<Value>().await.unwrap()["value"][0].get("folderId").is_none());
    let r = emu.post(&format!("{ws}/items/{b_id}/move"), Some(json!({}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(ids(&list(&emu, &format!("{ws}/items?recursive=false")).await), [root_id, b_id]);
    assert_error(
        emu.post(&format!("{ws}/items/{b_id}/move"), Some(json!({"targetFolderId": missing}))).await,
        StatusCode::NOT_FOUND,
        "FolderNotFound",
    )
    .await;
    assert_error(
        emu.post(&format!("{ws}/items/{missing}/move"), Some(json!({}))).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
}

#[tokio::test]
async fn folders_are_isolated_between_workspaces() {
    let other = uuid::Uuid::new_v4();
    let mut cfg = config();
    cfg.workspaces = vec![format!("{WS}=First").parse().unwrap(), format!("{other}=Second").parse().unwrap()];
    let emu = start(cfg).await;
    let mine = folder(&emu, "Shared name", None).await;
    let theirs = format!("/v1/workspaces/{other}");
    // The same name is free in the other workspace, and the folder is not visible there.
    let r = emu.post(&format!("{theirs}/folders"), Some(json!({"displayName": "Shared name"}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let their_folder = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(ids(&list(&emu, &format!("{theirs}/folders")).await), [their_folder.as_str()]);
    for (method, suffix) in
        [(Method::GET, ""), (Method::PATCH, ""), (Method::DELETE, ""), (Method::POST, "/move")]
    {
        let body = matches!(method, Method::PATCH | Method::POST).then(|| json!({"displayName": "z"}));
        assert_error(
            emu.call(method, &format!("{theirs}/folders/{mine}{suffix}"), body).await,
            StatusCode::NOT_FOUND,
            "FolderNotFound",
        )
        .await;
    }
    // Another workspace's folder is no parent, target, item folder or list root here.
    let ws = emu.ws();
    let r = emu
        .post(&format!("{ws}/folders"), Some(json!({"displayName": "x", "parentFolderId": their_folder})))
        .await;
    assert_error(r, StatusCode::NOT_FOUND, "FolderNotFound").await;
    let r = emu
        .post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "x", "folderId": their_folder})))
        .await;
    assert_error(r, StatusCode::NOT_FOUND, "FolderNotFound").await;
    let item = emu.create("item").await["id"].as_str().unwrap().to_owned();
    let r = emu.post(&format!("{ws}/items/{item}/move"), Some(json!({"targetFolderId": their_folder}))).await;
    assert_error(r, StatusCode::NOT_FOUND, "FolderNotFound").await;
    let r =
        emu.post(&format!("{ws}/folders/{mine}/move"), Some(json!({"targetFolderId": their_folder}))).await;
    assert_error(r, StatusCode::NOT_FOUND, "FolderNotFound").await;
    assert_error(
        emu.get(&format!("{ws}/folders?rootFolderId={their_folder}")).await,
        StatusCode::NOT_FOUND,
        "FolderNotFound",
    )
    .await;
    for base in ["items", "copyJobs"] {
        for recursive in ["", "&recursive=false"] {
            assert_error(
                emu.get(&format!("{ws}/{base}?rootFolderId={their_folder}{recursive}")).await,
                StatusCode::NOT_FOUND,
                "FolderNotFound",
            )
            .await;
        }
    }
    // Their items list, rooted at their folder, does not show this workspace's items either.
    let r = emu.post(&format!("{ws}/items/{item}/move"), Some(json!({"targetFolderId": mine}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        list(&emu, &format!("{theirs}/items?rootFolderId={their_folder}")).await,
        json!({"value": []})
    );
    assert_error(
        emu.get(&format!("{theirs}/items?rootFolderId={mine}")).await,
        StatusCode::NOT_FOUND,
        "FolderNotFound",
    )
    .await;
    let r = emu.post(&format!("/v1/workspaces/{other}/items/{item}/move"), Some(json!({}))).await;
    assert_error(r, StatusCode::NOT_FOUND, "ItemNotFound").await;
}

/// `fab ls -l` joins the workspaces' `capacityId` to `GET /capacities` for the capacity's name
/// and region: the listed capacity is the one the workspaces report.
#[tokio::test]
async fn capacities_list_the_workspaces_capacity() {
    let emu = start(config()).await;
    let r = emu.get("/v1/capacities").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId"));
    let page: Value = r.json().await.unwrap();
    assert_eq!(keys(&page), ["value"], "a single page: no continuation");
    let capacities = page["value"].as_array().unwrap();
    assert_eq!(capacities.len(), 1);
    let capacity = &capacities[0];
    assert_eq!(keys(capacity), ["id", "displayName", "sku", "region", "state"]);
    assert!(!capacity["displayName"].as_str().unwrap().is_empty());
    assert_eq!(capacity["sku"], "F2");
    assert_eq!(capacity["state"], "Active");
    let ws = list(&emu, &emu.ws()).await;
    assert_eq!(capacity["id"], ws["capacityId"]);
    assert_eq!(capacity["region"], ws["capacityRegion"]);
    let workspaces = list(&emu, "/v1/workspaces").await;
    assert_eq!(capacity["id"], workspaces["value"][0]["capacityId"]);
    assert_error(
        emu.get("/v1/capacities?continuationToken=nonsense").await,
        StatusCode::BAD_REQUEST,
        "InvalidContinuationToken",
    )
    .await;
    assert_error(
        emu.call(Method::POST, "/v1/capacities", None).await,
        StatusCode::NOT_FOUND,
        "EndpointNotFound",
    )
    .await;
}

#[tokio::test]
async fn connections_answer_an_empty_page() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let r = emu.get("/v1/connections").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId"));
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"value": []}));
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();
    let r = emu.get(&format!("{ws}/items/{item}/connections")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"value": []}));
    let missing = uuid::Uuid::new_v4();
    assert_error(
        emu.get(&format!("{ws}/items/{missing}/connections")).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
}

#[tokio::test]
async fn folder_lists_page() {
    let mut cfg = config();
    cfg.page_size = 2;
    let emu = start(cfg).await;
    let ws = emu.ws();
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(folder(&emu, &format!("f{i}"), None).await);
    }
    let mut seen = Vec::new();
    let mut next = Some(emu.url(&format!("{ws}/folders")));
    while let Some(url) = next {
        let page = list(&emu, &url).await;
        seen.extend(ids(&page).into_iter().map(str::to_owned));
        next = page["continuationUri"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, created);
}

#[tokio::test]
async fn item_lists_in_a_folder_scope_page_and_keep_the_scope() {
    let mut cfg = config();
    cfg.page_size = 2;
    let emu = start(cfg).await;
    let ws = emu.ws();
    let a = folder(&emu, "A", None).await;
    let b = folder(&emu, "B", Some(&a)).await;
    // Ten Copy jobs, in turn at the root, in A and in B (below A).
    let mut created = Vec::new();
    for i in 0..10 {
        let folder = [None, Some(&a), Some(&b)][i % 3];
        let mut body = json!({ "displayName": format!("job{i}") });
        if let Some(folder) = folder {
            body["folderId"] = json!(folder);
        }
        let r = emu.post(&format!("{ws}/copyJobs"), Some(body)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        created.push((r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned(), folder));
    }
    let held_by = |keep: &dyn Fn(Option<&String>) -> bool| -> Vec<String> {
        created.iter().filter(|(_, f)| keep(*f)).map(|(id, _)| id.clone()).collect()
    };
    let in_a = held_by(&|f| f == Some(&a));
    let in_b = held_by(&|f| f == Some(&b));
    let below_a = held_by(&|f| f.is_some());
    assert_eq!((in_a.len(), in_b.len(), below_a.len()), (3, 3, 6));
    for base in ["items", "copyJobs"] {
        for (query, expected) in [
            (format!("rootFolderId={a}&recursive=false"), &in_a),
            (format!("rootFolderId={a}"), &below_a),
            (format!("rootFolderId={b}&recursive=true"), &in_b),
        ] {
            let mut seen = Vec::new();
            let mut pages = 0;
            let mut next = Some(emu.url(&format!("{ws}/{base}?{query}")));
            while let Some(url) = next {
                let page = list(&emu, &url).await;
                assert!(page["value"].as_array().unwrap().len() <= 2, "{base}?{query}: page size");
                seen.extend(ids(&page).into_iter().map(str::to_owned));
                next = page["continuationUri"].as_str().map(str::to_owned);
                if let Some(uri) = &next {
                    // The next page covers the same scope: the query is carried over.
                    for part in query.split('&') {
                        assert!(uri.contains(part), "{uri} keeps {part}");
                    }
                    assert!(uri.contains(&format!("/v1/workspaces/{WS}/{base}?")), "{uri}");
                }
                pages += 1;
            }
            assert_eq!(&seen, expected, "{base}?{query}");
            assert_eq!(pages, expected.len().div_ceil(2), "{base}?{query}: pages");
        }
    }
}

#[tokio::test]
async fn invalid_path_parameters_are_named_as_in_the_specification() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let item = emu.create("job").await["id"].as_str().unwrap().to_owned();
    for (path, parameter) in [
        ("/v1/workspaces/nope".to_owned(), "workspaceId"),
        ("/v1/workspaces/nope/items".to_owned(), "workspaceId"),
        ("/v1/workspaces/nope/folders".to_owned(), "workspaceId"),
        (format!("{ws}/folders/nope"), "folderId"),
        (format!("{ws}/items/nope"), "itemId"),
        (format!("{ws}/items/nope/connections"), "itemId"),
        (format!("{ws}/copyJobs/nope"), "copyJobId"),
        (format!("{ws}/items/{item}/jobs/instances/nope"), "jobInstanceId"),
        (format!("{ws}/copyJobs/{item}/jobs/instances/nope"), "jobInstanceId"),
        ("/v1/operations/nope".to_owned(), "operationId"),
        ("/v1/operations/nope/result".to_owned(), "operationId"),
    ] {
        let body = assert_error(emu.get(&path).await, StatusCode::BAD_REQUEST, "InvalidParameter").await;
        assert_eq!(
            body["message"],
            format!("The value 'nope' is not valid for {parameter}: expected a UUID"),
            "{path}"
        );
    }
    for (path, parameter) in [
        (format!("{ws}/folders/nope/move"), "folderId"),
        (format!("{ws}/items/nope/move"), "itemId"),
        (format!("{ws}/copyJobs/nope/getDefinition"), "copyJobId"),
        (format!("{ws}/items/nope/updateDefinition"), "itemId"),
    ] {
        let body =
            assert_error(emu.post(&path, Some(json!({}))).await, StatusCode::BAD_REQUEST, "InvalidParameter")
                .await;
        assert!(body["message"].as_str().unwrap().contains(&format!(" for {parameter}:")), "{path}: {body}");
    }
}

/// Folder bodies ignore fields the specification does not define (the service answered 201 to a
/// recorded create carrying a field its request type lacks; nothing recorded shows it refusing
/// one), and PATCH renames only: a `parentFolderId` in it moves nothing (moving is `/move`).
#[tokio::test]
async fn folder_bodies_ignore_unknown_fields_and_patch_does_not_move() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let a = folder(&emu, "A", None).await;
    let r = emu.post(&format!("{ws}/folders"), Some(json!({"displayName": "F", "extra": 1}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let f: Value = r.json().await.unwrap();
    assert_eq!(keys(&f), ["id", "displayName", "workspaceId"]);
    let id = f["id"].as_str().unwrap();

    let r = emu
        .call(
            Method::PATCH,
            &format!("{ws}/folders/{id}"),
            Some(json!({"displayName": "G", "parentFolderId": a})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let patched: Value = r.json().await.unwrap();
    assert_eq!(patched["displayName"], "G");
    assert!(patched.get("parentFolderId").is_none(), "{patched}");
    assert_eq!(ids(&list(&emu, &format!("{ws}/folders?recursive=false")).await), [a.as_str(), id]);

    let r =
        emu.post(&format!("{ws}/folders/{id}/move"), Some(json!({"targetFolderId": a, "extra": true}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["parentFolderId"], a.as_str());
}
