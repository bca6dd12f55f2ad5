//! Every answer the shared client receives is checked against the OpenAPI document: its
//! status must be documented for the request's method and path template, and a JSON body
//! must match that answer's schema. Objects are checked strictly here (no property the
//! document does not name), so a field added to a wire type without the document fails.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::{Value, json};

struct Spec {
    doc: Value,
    /// Component schemas made strict, for every validator's `$ref`s.
    schemas: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

static SPEC: LazyLock<Spec> = LazyLock::new(|| {
    let doc = serde_json::to_value(parley_server::routes::openapi::document()).unwrap();
    let mut schemas = doc["components"]["schemas"].clone();
    strict(&mut schemas);
    Spec { doc, schemas, validators: Mutex::default() }
});

/// Adds `unevaluatedProperties: false` to every object schema that lists its properties.
fn strict(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("unevaluatedProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(strict);
        }
        Value::Array(items) => items.iter_mut().for_each(strict),
        _ => {}
    }
}

/// The documented path that `path` (below `/api/v1`, no query) is an instance of; the
/// one with the most literal segments wins (`/conversations/search` over `/{id}`).
fn template_of<'a>(paths: &'a serde_json::Map<String, Value>, path: &str) -> Option<&'a str> {
    let segments: Vec<&str> = path.split('/').collect();
    paths
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (part, segment) in parts.iter().zip(&segments) {
                if part.starts_with('{') {
                    continue;
                }
                if part != segment {
                    return None;
                }
                literal += 1;
            }
            Some((literal, template.as_str()))
        })
        .max()
        .map(|(_, t)| t)
}

/// [`template_of`] in the document.
pub fn template(path: &str) -> Option<String> {
    template_of(SPEC.doc["paths"].as_object().unwrap(), path).map(str::to_owned)
}

fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node["$ref"].as_str().and_then(|r| r.strip_prefix("#/")) {
        Some(pointer) => doc.pointer(&format!("/{pointer}")).unwrap_or_else(|| panic!("dangling $ref {pointer}")),
        None => node,
    }
}

fn validator(key: String, schema: &Value) -> Arc<jsonschema::Validator> {
    let mut cache = SPEC.validators.lock().unwrap();
    cache
        .entry(key)
        .or_insert_with(|| {
            let mut root = schema.clone();
            strict(&mut root);
            root.as_object_mut().unwrap().insert("components".into(), json!({"schemas": SPEC.schemas}));
            Arc::new(jsonschema::draft202012::new(&root).expect("the document's schemas compile"))
        })
        .clone()
}

/// Panics (failing the test that received it) unless the answer is one the document
/// describes. Answers from outside `/api/v1` (the app's files) are not checked.
pub fn check(method: &str, url: &str, status: u16, content_type: Option<&str>, body: &[u8]) {
    let Some(rest) = url.split_once("/api/v1").map(|(_, rest)| rest) else { return };
    let path = rest.split(['?', '#']).next().unwrap_or_default();
    let what = format!("{method} /api/v1{path} answered {status}");
    let text = String::from_utf8_lossy(body);
    let doc = &SPEC.doc;
    let paths = doc["paths"].as_object().unwrap();
    let method = method.to_ascii_lowercase();
    let template = template_of(paths, path);
    let operation = template.and_then(|t| paths[t].get(&method));
    let Some(operation) = operation else {
        // The router's fallbacks: no such path (404), or not with this method (405).
        let expected = if template.is_some() { 405 } else { 404 };
        assert_eq!(status, expected, "{what}, which the OpenAPI document does not have: {text}");
        let schema = json!({"$ref": "#/components/schemas/ErrorBody"});
        let answer: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
        let errors: Vec<String> =
            validator("fallback".into(), &schema).iter_errors(&answer).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{what}: the body is not an ErrorBody: {errors:?}\n{text}");
        return;
    };
    let template = template.unwrap();
    let Some(response) = operation["responses"].get(status.to_string()) else {
        panic!("{what}: status {status} is not documented for {method} {template} in the OpenAPI document: {text}");
    };
    let response = resolve(doc, response);
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        assert!(body.is_empty(), "{what}: the document gives no body, but it had one: {text}");
        return;
    };
    let Some(media) = content.get("application/json") else { return };
    let is_json = content_type.is_some_and(|c| c.starts_with("application/json"));
    assert!(is_json, "{what}: the document says JSON, the answer is {content_type:?}: {text}");
    let answer: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
    let key = format!("{method} {template} {status}");
    let errors: Vec<String> = validator(key.clone(), &media["schema"])
        .iter_errors(&answer)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: the body does not match the OpenAPI document ({key}): {errors:#?}\n{text}");
}
