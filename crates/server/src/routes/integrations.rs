//! Integration tabs of the contact sidebar. The reference server ships one local "CRM"
//! integration stored in SQLite, so the tab is real; an adapter for HubSpot or Salesforce
//! implements the same two endpoints (docs/api.md).

use axum::Json;
use axum::extract::State;
use parley_domain::integration::{FieldType, Integration, IntegrationField, IntegrationUpdate, check_value};
use parley_domain::{ContactId, IntegrationId};

use super::{Body, PathParam};
use crate::AppState;
use crate::access::visible_contact;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

const CRM: &str = "crm";

/// The local CRM's fields: (key, label, type).
fn crm_schema() -> Vec<(&'static str, &'static str, FieldType)> {
    let stages = ["Lead", "Qualified", "Customer", "Churned"].map(String::from).to_vec();
    vec![
        ("company", "Company", FieldType::Text),
        ("deal_value", "Deal value", FieldType::Number),
        ("renewal_date", "Renewal date", FieldType::Date),
        ("stage", "Stage", FieldType::Select { options: stages }),
    ]
}

fn crm(conn: &dyn Store, contact: &ContactId) -> ApiResult<Integration> {
    let mut values = conn.crm_values(contact)?;
    let fields = crm_schema()
        .into_iter()
        .map(|(key, label, kind)| {
            let value = values.remove(key);
            IntegrationField { key: key.to_owned(), label: label.to_owned(), kind, value }
        })
        .collect();
    Ok(Integration { id: IntegrationId::from(CRM), name: "CRM".to_owned(), fields })
}

#[utoipa::path(get, path = "/contacts/{id}/integrations", operation_id = "integrations", tag = "contacts", params(("id" = String, Path, description = "The contact")),
    responses((status = 200, description = "The contact's integration tabs", body = Vec<Integration>)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<Vec<Integration>>> {
    let found = state
        .db
        .read(move |conn| {
            let contact = visible_contact(conn, &auth.user, &ContactId(id))?;
            Ok(vec![crm(conn, &contact.id)?])
        })
        .await?;
    Ok(Json(found))
}

#[utoipa::path(put, path = "/contacts/{id}/integrations/{integration}", operation_id = "update_integration", tag = "contacts",
    params(("id" = String, Path, description = "The contact"), ("integration" = String, Path, description = "The integration")), request_body = IntegrationUpdate,
    responses((status = 200, description = "The integration after saving", body = Integration)))]
/// Saves new values; each is checked by its field type first, and one bad value saves none.
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathParam((id, integration)): PathParam<(String, IntegrationId)>,
    Body(req): Body<IntegrationUpdate>,
) -> ApiResult<Json<Integration>> {
    let saved = state
        .db
        .write(move |tx| {
            let contact = visible_contact(tx, &auth.user, &ContactId(id))?;
            if integration.as_str() != CRM {
                return Err(ApiError::not_found("integration", &integration));
            }
            let schema = crm_schema();
            let mut checked = Vec::with_capacity(req.values.len());
            for (key, value) in &req.values {
                let (_, label, kind) = schema
                    .iter()
                    .find(|(k, _, _)| k == key)
                    .ok_or_else(|| ApiError::BadRequest(format!("the CRM has no field {key:?}")))?;
                let value = match value.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(v) => Some(check_value(kind, v).map_err(|e| ApiError::BadRequest(format!("{label}: {e}")))?),
                };
                checked.push((key.clone(), value));
            }
            for (key, value) in checked {
                tx.set_crm_value(&contact.id, &key, value.as_deref())?;
            }
            crm(tx, &contact.id)
        })
        .await?;
    Ok(Json(saved))
}
