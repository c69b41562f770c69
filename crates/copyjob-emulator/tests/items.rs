//! Items over both the typed `/copyJobs` and the generic `/items` routes: CRUD, definitions,
//! validation with the core crate, and every item error code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn create_get_list_update_delete_over_copy_jobs() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let r = emu
        .post(
            &format!("{ws}/copyJobs"),
            Some(json!({"displayName": "fabcli000001", "type": "CopyJob", "folderId": null})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(header(&r, "etag"), Some("\"\""));
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId,ETag"));
    assert_eq!(header(&r, "content-type"), Some("application/json; charset=utf-8"));
    assert!(uuid::Uuid::parse_str(header(&r, "requestid").unwrap()).is_ok());
    let created: Value = r.json().await.unwrap();
    let keys: Vec<&str> = created.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "type", "displayName", "workspaceId"], "description omitted when never set");
    assert_eq!(created["type"], "CopyJob");
    assert_eq!(created["workspaceId"], WS.to_string());
    let id = created["id"].as_str().unwrap().to_owned();

    let r = emu.get(&format!("{ws}/copyJobs/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "etag"), Some("\"\""));
    assert_eq!(r.json::<Value>().await.unwrap(), created);

    let r = emu.get(&format!("{ws}/copyJobs")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId"));
    assert!(r.headers().get("etag").is_none());
    let list: Value = r.json().await.unwrap();
    // Lists always carry `description`, "" when never set (fabric-cicd reads it unconditionally).
    let mut listed = created.clone();
    listed["description"] = json!("");
    assert_eq!(list, json!({ "value": [listed] }));
    let keys: Vec<&str> = list["value"][0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "type", "displayName", "description", "workspaceId"]);

    let r = emu
        .call(
            Method::PATCH,
            &format!("{ws}/copyJobs/{id}"),
            Some(json!({"displayName": "renamed", "description": "d"})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "etag"), Some("\"\""));
    let patched: Value = r.json().await.unwrap();
    assert_eq!(patched["displayName"], "renamed");
    assert_eq!(patched["description"], "d");
    let keys: Vec<&str> = patched.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "type", "displayName", "description", "workspaceId"]);

    let r = emu.call(Method::DELETE, &format!("{ws}/copyJobs/{id}"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-type"), Some("application/octet-stream"));
    assert_eq!(header(&r, "content-length"), Some("0"));
    assert!(r.bytes().await.unwrap().is_empty());
    assert_error(emu.get(&format!("{ws}/copyJobs/{id}")).await, StatusCode::NOT_FOUND, "ItemNotFound").await;
}

#[tokio::test]
async fn generic_items_routes() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let r = emu
        .post(
            &format!("{ws}/items"),
            Some(json!({"displayName": "generic", "type": "CopyJob", "description": "x"})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["description"], "x");

    // The same item through both APIs.
    let typed: Value = emu.get(&format!("{ws}/copyJobs/{id}")).await.json().await.unwrap();
    let r = emu.get(&format!("{ws}/items/{id}")).await;
    assert_eq!(header(&r, "etag"), Some("\"\""));
    assert_eq!(r.json::<Value>().await.unwrap(), typed);

    let all: Value = emu.get(&format!("{ws}/items")).await.json().await.unwrap();
    assert_eq!(all["value"].as_array().unwrap().len(), 1);
    let copy_jobs: Value = emu.get(&format!("{ws}/items?type=CopyJob")).await.json().await.unwrap();
    assert_eq!(copy_jobs["value"][0]["id"], id.as_str());
    let notebooks: Value = emu.get(&format!("{ws}/items?type=Notebook")).await.json().await.unwrap();
    assert_eq!(notebooks, json!({"value": []}));
    assert_error(
        emu.get(&format!("{ws}/items?type=NotAType")).await,
        StatusCode::BAD_REQUEST,
        "InvalidItemType",
    )
    .await;

    let r = emu.call(Method::PATCH, &format!("{ws}/items/{id}"), Some(json!({"description": "y"}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["description"], "y");

    let r = emu.call(Method::DELETE, &format!("{ws}/items/{id}?hardDelete=true"), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_error(emu.get(&format!("{ws}/items/{id}")).await, StatusCode::NOT_FOUND, "ItemNotFound").await;
    assert_error(
        emu.call(Method::DELETE, &format!("{ws}/items/{id}"), None).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
}

#[tokio::test]
async fn default_definition_is_the_recorded_one() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let r = emu
        .post(
            &format!("{ws}/copyJobs"),
            Some(json!({"displayName": "fabcli000001", "description": "Created by fab"})),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    for route in ["copyJobs", "items"] {
        let r = emu.post(&format!("{ws}/{route}/{id}/getDefinition"), None).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(header(&r, "access-control-expose-headers"), Some("RequestId"));
        let body: Value = r.json().await.unwrap();
        // Byte for byte what the live service returned for a new Copy job (fabric-cli recording).
        assert_eq!(
            body["definition"]["parts"][0],
            json!({"path": "copyjob-content.json", "payload": "ewogICJwcm9wZXJ0aWVzIjogewogICAgImpvYk1vZGUiOiAiQmF0Y2giCiAgfSwKICAiYWN0aXZpdGllcyI6IFtdCn0=", "payloadType": "InlineBase64"})
        );
        assert_eq!(body["definition"]["parts"][1]["path"], ".platform");
        assert_eq!(
            body["definition"]["parts"][1]["payload"],
            "ewogICIkc2NoZW1hIjogImh0dHBzOi8vZGV2ZWxvcGVyLm1pY3Jvc29mdC5jb20vanNvbi1zY2hlbWFzL2ZhYnJpYy9naXRJbnRlZ3JhdGlvbi9wbGF0Zm9ybVByb3BlcnRpZXMvMi4wLjAvc2NoZW1hLmpzb24iLAogICJtZXRhZGF0YSI6IHsKICAgICJ0eXBlIjogIkNvcHlKb2IiLAogICAgImRpc3BsYXlOYW1lIjogImZhYmNsaTAwMDAwMSIsCiAgICAiZGVzY3JpcHRpb24iOiAiQ3JlYXRlZCBieSBmYWIiCiAgfSwKICAiY29uZmlnIjogewogICAgInZlcnNpb24iOiAiMi4wIiwKICAgICJsb2dpY2FsSWQiOiAiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIgogIH0KfQ=="
        );
    }
    assert_eq!(
        copyjob_emulator::DEFAULT_CONTENT,
        &unb64(
            "ewogICJwcm9wZXJ0aWVzIjogewogICAgImpvYk1vZGUiOiAiQmF0Y2giCiAgfSwKICAiYWN0aXZpdGllcyI6IFtdCn0="
        )[..]
    );
    assert_error(
        emu.post(&format!("{ws}/copyJobs/{id}/getDefinition?format=ipynb"), None).await,
        StatusCode::BAD_REQUEST,
        "InvalidDefinitionFormat",
    )
    .await;
}

#[tokio::test]
async fn create_with_definition_and_update_definition() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let r = emu
        .post(
            &format!("{ws}/copyJobs"),
            Some(json!({"displayName": "with-def", "definition": definition(CONTENT)})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let body: Value =
        emu.post(&format!("{ws}/copyJobs/{id}/getDefinition"), None).await.json().await.unwrap();
    assert_eq!(
        unb64(body["definition"]["parts"][0]["payload"].as_str().unwrap()),
        CONTENT.as_bytes(),
        "bytes kept exactly"
    );

    // updateDefinition without updateMetadata: content only; 200 with an empty body.
    let new_content = CONTENT.replace("CDC", "Batch");
    let platform = json!({"$schema": "x", "metadata": {"type": "CopyJob", "displayName": "from-platform", "description": "desc"}, "config": {"version": "2.0", "logicalId": "11111111-2222-3333-4444-555555555555"}});
    let mut def = definition(&new_content);
    def["parts"].as_array_mut().unwrap().push(json!({"path": ".platform", "payload": b64(platform.to_string().as_bytes()), "payloadType": "InlineBase64"}));
    let r = emu.post(&format!("{ws}/copyJobs/{id}/updateDefinition"), Some(json!({"definition": def}))).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-type"), Some("application/octet-stream"));
    assert_eq!(header(&r, "content-length"), Some("0"));
    let item: Value = emu.get(&format!("{ws}/copyJobs/{id}")).await.json().await.unwrap();
    assert_eq!(item["displayName"], "with-def");
    let body: Value = emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await.json().await.unwrap();
    assert_eq!(unb64(body["definition"]["parts"][0]["payload"].as_str().unwrap()), new_content.as_bytes());

    // updateMetadata=True applies .platform metadata.
    let r = emu
        .post(
            &format!("{ws}/items/{id}/updateDefinition?updateMetadata=True"),
            Some(json!({"definition": def})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let item: Value = emu.get(&format!("{ws}/copyJobs/{id}")).await.json().await.unwrap();
    assert_eq!(item["displayName"], "from-platform");
    assert_eq!(item["description"], "desc");
    let body: Value = emu.post(&format!("{ws}/items/{id}/getDefinition"), None).await.json().await.unwrap();
    let platform: Value =
        serde_json::from_slice(&unb64(body["definition"]["parts"][1]["payload"].as_str().unwrap())).unwrap();
    assert_eq!(platform["metadata"]["displayName"], "from-platform");
    assert_eq!(platform["config"]["logicalId"], "11111111-2222-3333-4444-555555555555");

    // updateMetadata onto a name already in use.
    emu.create("taken").await;
    let mut def2 = def.clone();
    let p2 = json!({"$schema": "x", "metadata": {"type": "CopyJob", "displayName": "taken"}, "config": {"version": "2.0", "logicalId": "11111111-2222-3333-4444-555555555555"}});
    def2["parts"][1]["payload"] = json!(b64(p2.to_string().as_bytes()));
    let r = emu
        .post(
            &format!("{ws}/items/{id}/updateDefinition?updateMetadata=true"),
            Some(json!({"definition": def2})),
        )
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "ItemDisplayNameAlreadyInUse").await;
}

#[tokio::test]
async fn invalid_definitions_are_400_with_diagnostics() {
    let emu = start(config()).await;
    let ws = emu.ws();
    // Schema error inside the content part: the diagnostics, positioned, in moreDetails.
    let bad = "{\n  \"properties\": {\n    \"jobMode\": \"Batchh\"\n  },\n  \"activities\": []\n}";
    let r = emu
        .post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "bad", "definition": definition(bad)})))
        .await;
    let body = assert_error(r, StatusCode::BAD_REQUEST, "InvalidDefinitionParts").await;
    let detail = &body["moreDetails"][0];
    assert_eq!(detail["errorCode"], "schema/invalid-value");
    assert_eq!(detail["code"], "schema/invalid-value");
    assert_eq!(detail["severity"], "error");
    assert_eq!(detail["part"], "copyjob-content.json");
    assert_eq!(detail["pointer"], "/properties/jobMode");
    assert_eq!(detail["range"]["start"]["line"], 3);
    // Each entry reads back as a core Diagnostic.
    let d: copyjob::Diagnostic = serde_json::from_value(detail.clone()).unwrap();
    assert_eq!(d.code, "schema/invalid-value");
    // Nothing was created.
    let list: Value = emu.get(&format!("{ws}/copyJobs")).await.json().await.unwrap();
    assert_eq!(list["value"], json!([]));

    // Undecodable payload.
    let def = json!({"parts": [{"path": "copyjob-content.json", "payload": "ewog!ICJ", "payloadType": "InlineBase64"}]});
    let r = emu.post(&format!("{ws}/copyJobs"), Some(json!({"displayName": "bad", "definition": def}))).await;
    let body = assert_error(r, StatusCode::BAD_REQUEST, "CorruptedPayload").await;
    assert_eq!(body["moreDetails"][0]["errorCode"], "codec/invalid-base64");

    // Not JSON inside.
    let r = emu
        .post(
            &format!("{ws}/copyJobs"),
            Some(json!({"displayName": "bad", "definition": definition("{not json")})),
        )
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "CorruptedPayload").await;

    // No content part.
    let def = json!({"parts": [{"path": ".platform", "payload": b64(b"{}"), "payloadType": "InlineBase64"}]});
    let id = emu.create("target").await["id"].as_str().unwrap().to_owned();
    let r = emu.post(&format!("{ws}/copyJobs/{id}/updateDefinition"), Some(json!({"definition": def}))).await;
    assert_error(r, StatusCode::BAD_REQUEST, "MissingDefinitionParts").await;

    // Unknown payload type.
    let def = json!({"parts": [{"path": "copyjob-content.json", "payload": b64(CONTENT.as_bytes()), "payloadType": "Inline"}]});
    let r = emu.post(&format!("{ws}/items/{id}/updateDefinition"), Some(json!({"definition": def}))).await;
    assert_error(r, StatusCode::BAD_REQUEST, "UnsupportedPayloadType").await;

    // No definition at all.
    let r = emu.post(&format!("{ws}/items/{id}/updateDefinition"), Some(json!({}))).await;
    assert_error(r, StatusCode::BAD_REQUEST, "MissingDefinition").await;

    // Not JSON: InvalidInput with the parser's diagnostic.
    let r = emu
        .http
        .post(emu.url(&format!("{ws}/copyJobs")))
        .bearer_auth(TOKEN)
        .body("{\"displayName\": ")
        .send()
        .await
        .unwrap();
    let body = assert_error(r, StatusCode::BAD_REQUEST, "InvalidInput").await;
    assert!(body["moreDetails"][0]["errorCode"].as_str().unwrap().starts_with("json/"));

    // definition and creationPayload together.
    let r = emu.post(&format!("{ws}/items"), Some(json!({"displayName": "both", "type": "CopyJob", "definition": definition(CONTENT), "creationPayload": {}}))).await;
    assert_error(r, StatusCode::BAD_REQUEST, "RequestWithDefinitionAndCreationPayloadNotSupported").await;
}

#[tokio::test]
async fn display_name_and_description_rules() {
    let emu = start(config()).await;
    let ws = emu.ws();
    let path = format!("{ws}/copyJobs");
    assert_error(
        emu.post(&path, Some(json!({"description": "no name"}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    assert_error(
        emu.post(&path, Some(json!({"displayName": ""}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    // A name of spaces only is no name (the request schema's `\S` pattern).
    let body = assert_error(
        emu.post(&path, Some(json!({"displayName": "   "}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    assert_eq!(body["moreDetails"][0]["errorCode"], "schema/pattern-mismatch");
    // `"folderId": ""` is the workspace root, as the service treats it.
    let r = emu.post(&path, Some(json!({"displayName": "at the root", "folderId": ""}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let long = "n".repeat(124);
    let body = assert_error(
        emu.post(&path, Some(json!({"displayName": long}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    // The core's request schema decides, and its diagnostics are the details.
    assert_eq!(body["moreDetails"][0]["errorCode"], "schema/too-long");
    assert_eq!(body["moreDetails"][0]["pointer"], "/displayName");
    assert!(body["moreDetails"][0]["message"].as_str().unwrap().contains("123"));
    let body = assert_error(
        emu.post(&path, Some(json!({"displayName": "x", "colour": "red"}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    assert_eq!(body["moreDetails"][0]["errorCode"], "schema/unknown-property");
    let r = emu.post(&path, Some(json!({"displayName": "n".repeat(123)}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = emu.post(&path, Some(json!({"displayName": "d", "description": "d".repeat(257)}))).await;
    assert_error(r, StatusCode::BAD_REQUEST, "InvalidInput").await;
    let r = emu.post(&path, Some(json!({"displayName": "d", "description": "d".repeat(256)}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // Unique per workspace, on create and on rename.
    let body = assert_error(
        emu.post(&path, Some(json!({"displayName": "d"}))).await,
        StatusCode::BAD_REQUEST,
        "ItemDisplayNameAlreadyInUse",
    )
    .await;
    assert_eq!(body["isRetriable"], false);
    let other = emu.create("other").await;
    let r = emu
        .call(
            Method::PATCH,
            &format!("{path}/{}", other["id"].as_str().unwrap()),
            Some(json!({"displayName": "d"})),
        )
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "ItemDisplayNameAlreadyInUse").await;
    let r = emu
        .call(
            Method::PATCH,
            &format!("{path}/{}", other["id"].as_str().unwrap()),
            Some(json!({"description": "x".repeat(257)})),
        )
        .await;
    assert_error(r, StatusCode::BAD_REQUEST, "InvalidRequest").await;

    // Generic create: type required and checked.
    let items = format!("{ws}/items");
    assert_error(
        emu.post(&items, Some(json!({"displayName": "t"}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidInput",
    )
    .await;
    assert_error(
        emu.post(&items, Some(json!({"displayName": "t", "type": "Bogus"}))).await,
        StatusCode::BAD_REQUEST,
        "InvalidItemType",
    )
    .await;
    assert_error(
        emu.post(&items, Some(json!({"displayName": "t", "type": "Notebook"}))).await,
        StatusCode::BAD_REQUEST,
        "UnsupportedItemType",
    )
    .await;
}

#[tokio::test]
async fn workspaces_are_isolated_and_ids_checked() {
    let other = uuid::Uuid::new_v4();
    let mut cfg = config();
    cfg.workspaces = vec![format!("{WS}=First").parse().unwrap(), format!("{other}=Second").parse().unwrap()];
    let emu = start(cfg).await;
    let ws = emu.ws();
    let id = emu.create("same-name").await["id"].as_str().unwrap().to_owned();
    // The same name is free in another workspace; the item is not visible there.
    let r = emu
        .post(&format!("/v1/workspaces/{other}/copyJobs"), Some(json!({"displayName": "same-name"})))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_error(
        emu.get(&format!("/v1/workspaces/{other}/copyJobs/{id}")).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
    let list: Value = emu.get(&format!("/v1/workspaces/{other}/items")).await.json().await.unwrap();
    assert_eq!(list["value"].as_array().unwrap().len(), 1);
    assert_ne!(list["value"][0]["id"], id.as_str());

    let unknown = uuid::Uuid::new_v4();
    assert_error(
        emu.get(&format!("/v1/workspaces/{unknown}/copyJobs")).await,
        StatusCode::NOT_FOUND,
        "WorkspaceNotFound",
    )
    .await;
    assert_error(
        emu.get(&format!("{ws}/copyJobs/not-a-uuid")).await,
        StatusCode::BAD_REQUEST,
        "InvalidParameter",
    )
    .await;
    let missing = uuid::Uuid::new_v4();
    assert_error(
        emu.post(&format!("{ws}/copyJobs/{missing}/getDefinition"), None).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
    assert_error(
        emu.post(
            &format!("{ws}/copyJobs/{missing}/updateDefinition"),
            Some(json!({"definition": definition(CONTENT)})),
        )
        .await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;
    assert_error(
        emu.call(Method::PATCH, &format!("{ws}/items/{missing}"), Some(json!({}))).await,
        StatusCode::NOT_FOUND,
        "ItemNotFound",
    )
    .await;

    let workspaces: Value = emu.get("/v1/workspaces").await.json().await.unwrap();
    assert_eq!(workspaces["value"][1]["displayName"], "Second");

    // With any_workspace, unknown workspaces spring into being.
    let mut cfg = config();
    cfg.any_workspace = true;
    let emu = start(cfg).await;
    let r = emu.post(&format!("/v1/workspaces/{unknown}/copyJobs"), Some(json!({"displayName": "x"}))).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}
