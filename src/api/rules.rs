//! The workflow-rule endpoints (docs/api.md "rules"), beside the rest of the REST client.

use gloo_net::http::Request;
use parley_domain::RuleId;
use parley_domain::rules::{BusinessHours, Rule, RuleInput, RuleOrder};

use super::error::ApiError;
use super::http::{AuthorizedApi, segment, url};

impl AuthorizedApi {
    /// `GET /rules`: every rule in the order they run, the built-in ones included.
    pub async fn rules(&self) -> Result<Vec<Rule>, ApiError> {
        self.call(Request::get(&url("/rules"))).await
    }

    /// `POST /rules`, or with an id `PUT /rules/{id}`.
    pub async fn save_rule(&self, id: Option<&RuleId>, body: &RuleInput) -> Result<Rule, ApiError> {
        match id {
            None => self.call_json(Request::post(&url("/rules")), body).await,
            Some(id) => self.call_json(Request::put(&url(&format!("/rules/{}", segment(id.as_str())))), body).await,
        }
    }

    /// `DELETE /rules/{id}`
    pub async fn delete_rule(&self, id: &RuleId) -> Result<(), ApiError> {
        self.expect_empty(Request::delete(&url(&format!("/rules/{}", segment(id.as_str()))))).await
    }

    /// `PUT /rules/order`: the rules in their new order.
    pub async fn reorder_rules(&self, ids: Vec<RuleId>) -> Result<Vec<Rule>, ApiError> {
        self.call_json(Request::put(&url("/rules/order")), &RuleOrder { ids }).await
    }

    /// `GET /business-hours`
    pub async fn business_hours(&self) -> Result<BusinessHours, ApiError> {
        self.call(Request::get(&url("/business-hours"))).await
    }

    /// `PUT /business-hours`
    pub async fn set_business_hours(&self, hours: &BusinessHours) -> Result<BusinessHours, ApiError> {
        self.call_json(Request::put(&url("/business-hours")), hours).await
    }
}
