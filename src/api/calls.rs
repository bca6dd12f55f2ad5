//! The calls endpoints (docs/api.md "Calls"), beside the rest of the REST client.

use gloo_net::http::Request;
use parley_domain::call::Call;
use parley_domain::wire::PlaceCall;
use parley_domain::{CallId, ContactId, InboxId};

use super::error::ApiError;
use super::http::{AuthorizedApi, segment, url};

impl AuthorizedApi {
    /// `GET /calls`: ringing and ongoing calls the user may see.
    pub async fn live_calls(&self) -> Result<Vec<Call>, ApiError> {
        self.call(Request::get(&url("/calls"))).await
    }

    /// `GET /inboxes/{inbox}/calls`: the inbox's call log, newest first.
    pub async fn call_log(&self, inbox: &InboxId) -> Result<Vec<Call>, ApiError> {
        self.call(Request::get(&url(&format!("/inboxes/{inbox}/calls")))).await
    }

    /// `GET /contacts/{id}/calls`
    pub async fn contact_calls(&self, contact: &ContactId) -> Result<Vec<Call>, ApiError> {
        self.call(Request::get(&url(&format!("/contacts/{}/calls", segment(contact.as_str()))))).await
    }

    /// `POST /calls/{id}/{action}`: accept, decline, record, stop_recording, end.
    pub async fn call_action(&self, id: &CallId, action: &str) -> Result<Call, ApiError> {
        self.call(Request::post(&url(&format!("/calls/{}/{action}", segment(id.as_str()))))).await
    }

    /// `POST /contacts/{id}/calls`: call the contact on their first calling channel.
    pub async fn place_call(&self, contact: &ContactId) -> Result<Call, ApiError> {
        let path = format!("/contacts/{}/calls", segment(contact.as_str()));
        self.call_json(Request::post(&url(&path)), &PlaceCall::default()).await
    }
}
