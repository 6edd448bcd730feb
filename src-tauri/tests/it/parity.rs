//! The same request through a Tauri command and through REST gives the same JSON: answers,
//! created and updated records, and errors (`{code, message, error}`, with the HTTP status
//! derived from the code).

use crate::support::Harness;
use ai_observer_engine::error::ErrorCode;
use serde_json::{Value, json};

const MONTH: (&str, &str) = ("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");

/// Asserts that both transports answer `request` to `name` alike; returns the answer.
fn assert_same(harness: &Harness, name: &str, request: Value) -> Value {
    let by_command = harness.command(name, &request).unwrap_or_else(|error| panic!("{name} command failed: {error}"));
    let by_rest = harness.rest(name, &request);
    assert!((200..300).contains(&by_rest.status), "{name} REST answered {}: {:?}", by_rest.status, by_rest.body);
    match by_rest.body {
        Some(body) => assert_eq!(by_command, body, "{name}: command and REST differ for {request}"),
        None => assert_eq!(by_command, json!({}), "{name}: REST had no body (204), the command must answer an empty object"),
    }
    by_command
}

/// Ids and timestamps of records created separately through each transport.
fn without_identity(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        for key in ["id", "dashboardId", "createdAt", "updatedAt"] {
            object.remove(key);
        }
        for nested in object.values_mut() {
            *nested = without_identity(nested.take());
        }
    } else if let Some(items) = value.as_array_mut() {
        for item in items.iter_mut() {
            *item = without_identity(item.take());
        }
    }
    value
}

#[test]
fn read_operations_answer_the_same_json_through_both_transports() {
    let harness = Harness::start();
    let (from, to) = MONTH;
    let spend = assert_same(&harness, "spend", json!({ "from": from, "to": to, "groupBy": "tool", "tz": "UTC" }));
    let tools: Vec<&str> = spend["groups"].as_array().expect("groups").iter().filter_map(|group| group["key"].as_str()).collect();
    assert!(tools.len() >= 3, "the captures hold all three tools: {tools:?}");
    assert!(spend["total"]["costUsd"].as_f64().unwrap_or(0.0) > 0.0);
    assert_same(&harness, "spend", json!({ "from": from, "to": to, "groupBy": "day", "tz": "America/New_York" }));
    assert_same(&harness, "spend", json!({ "from": from, "to": to, "groupBy": "model", "tool": "claude-code" }));
    let traces = assert_same(&harness, "traces_list", json!({ "from": from, "to": to, "limit": "10" }));
    assert!(traces["total"].as_i64().unwrap_or(0) > 0, "{traces}");
    assert_same(&harness, "traces_recent", json!({ "from": from, "to": to, "limit": "5" }));
    let stats = assert_same(&harness, "stats", json!({}));
    assert!(stats["logCount"].as_i64().unwrap_or(0) > 0, "{stats}");
    assert_same(&harness, "logs_list", json!({ "from": from, "to": to, "limit": "20", "service": "claude-code" }));
    assert_same(&harness, "sessions_list", json!({ "from": from, "to": to }));
    assert_same(&harness, "metric_names", json!({}));
    assert_same(&harness, "services_list", json!({}));
    assert_same(&harness, "budget", json!({ "tz": "UTC" }));
    assert_same(&harness, "settings_get", json!({}));
    assert_same(&harness, "setup_status", json!({}));
}

#[test]
fn dashboards_crud_gives_the_same_records_through_both_transports() {
    let harness = Harness::start();
    let create = json!({ "name": "Parity", "description": "made twice" });
    let made_by_command = harness.command("dashboard_create", &create).expect("create by command");
    let made_by_rest = harness.rest("dashboard_create", &create);
    assert_eq!(made_by_rest.status, 201);
    let made_by_rest = made_by_rest.body.expect("created record");
    assert_eq!(without_identity(made_by_command.clone()), without_identity(made_by_rest.clone()));

    let command_id = made_by_command["id"].as_str().expect("id").to_owned();
    let rest_id = made_by_rest["id"].as_str().expect("id").to_owned();
    assert_same(&harness, "dashboard_get", json!({ "id": command_id }));
    assert_same(&harness, "dashboard_get", json!({ "id": rest_id }));
    let listed = assert_same(&harness, "dashboards_list", json!({}));
    assert!(listed["dashboards"].as_array().is_some_and(|list| list.len() >= 2), "{listed}");

    let widget = json!({ "widgetType": "spend", "title": "Spend", "gridColumn": 1, "gridRow": 1, "colSpan": 2, "rowSpan": 1, "config": { "groupBy": "tool" } });
    let widget_request = |id: &str| {
        let mut request = widget.clone();
        request["id"] = json!(id);
        request
    };
    let widget_by_command = harness.command("widget_create", &widget_request(&command_id)).expect("widget by command");
    let widget_by_rest = harness.rest("widget_create", &widget_request(&rest_id));
    assert_eq!(widget_by_rest.status, 201);
    assert_eq!(without_identity(widget_by_command), without_identity(widget_by_rest.body.expect("widget")));

    let update = |id: &str| json!({ "id": id, "name": "Parity, renamed" });
    let updated_by_command = harness.command("dashboard_update", &update(&command_id)).expect("update by command");
    let updated_by_rest = harness.rest("dashboard_update", &update(&rest_id));
    assert_eq!(updated_by_rest.status, 200);
    assert_eq!(without_identity(updated_by_command), without_identity(updated_by_rest.body.expect("updated")));
    assert_same(&harness, "dashboard_get", json!({ "id": command_id }));

    let deleted_by_command = harness.command("dashboard_delete", &json!({ "id": command_id })).expect("delete by command");
    assert_eq!(deleted_by_command, json!({}));
    let deleted_by_rest = harness.rest("dashboard_delete", &json!({ "id": rest_id }));
    assert_eq!((deleted_by_rest.status, deleted_by_rest.body), (204, None));

    // Both are gone, and both transports say so the same way.
    let missing = harness.command("dashboard_get", &json!({ "id": command_id })).expect_err("deleted");
    let missing_by_rest = harness.rest("dashboard_get", &json!({ "id": command_id }));
    assert_eq!(Some(missing.clone()), missing_by_rest.body);
    assert_eq!(missing["code"], "not_found");
    assert_eq!(missing_by_rest.status, ErrorCode::NotFound.http_status());
}

#[test]
fn errors_have_the_same_body_through_both_transports() {
    let harness = Harness::start();
    for (name, request, code) in [
        ("spend", json!({ "groupBy": "fortnight" }), ErrorCode::BadRequest),
        ("spend", json!({ "tz": "Mars/Olympus_Mons" }), ErrorCode::BadRequest),
        ("traces_list", json!({ "from": "yesterday-ish" }), ErrorCode::BadRequest),
        ("dashboard_create", json!({ "description": "no name" }), ErrorCode::BadRequest),
        ("trace_spans", json!({ "traceId": "00000000000000000000000000000000", "kind": "otel_trace" }), ErrorCode::NotFound),
    ] {
        let by_command = harness.command(name, &request).expect_err("the command fails");
        let by_rest = harness.rest(name, &request);
        assert_eq!(Some(by_command.clone()), by_rest.body, "{name} {request}");
        assert_eq!(by_command["code"], serde_json::to_value(code).expect("code"), "{name} {request}: {by_command}");
        assert_eq!(by_rest.status, code.http_status(), "{name} {request}");
        assert_eq!(by_command["message"], by_command["error"]);
    }
}

#[test]
fn every_operation_has_a_command_and_a_missing_request_reads_as_empty() {
    let harness = Harness::start();
    let names: Vec<&str> = ai_observer_engine::api::rest::OPERATIONS.iter().map(|operation| operation.0).collect();
    assert_eq!(ai_observer_desktop::commands::OPERATION_COMMANDS, names.as_slice());
    let invoke_without_request = harness.command("stats", &Value::Null).expect("stats without a request");
    assert_eq!(invoke_without_request, harness.rest("stats", &json!({})).body.expect("stats"));
}
