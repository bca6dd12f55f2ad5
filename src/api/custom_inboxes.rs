//! The custom-inbox endpoints (docs/api.md "custom-inboxes"), beside the rest of the
//! REST client.

use gloo_net::http::Request;
use parley_domain::CustomInboxId;
use parley_domain::custom_inbox::{CustomInbox, CustomInboxInput, Scope};
use parley_domain::wire::{ConversationSummary, Page};

use super::error::ApiError;
use super::http::{AuthorizedApi, segment, url};

impl AuthorizedApi {
    /// `GET /custom-inboxes?scope=all`: the ones I created or that are shared with me.
    pub async fn custom_inboxes(&self) -> Result<Vec<CustomInbox>, ApiError> {
        self.call(Request::get(&url("/custom-inboxes")).query([("scope", Scope::All.wire_name())])).await
    }

    /// `POST /custom-inboxes`
    pub async fn create_custom_inbox(&self, input: &CustomInboxInput) -> Result<CustomInbox, ApiError> {
        self.call_json(Request::post(&url("/custom-inboxes")), input).await
    }

    /// `PUT /custom-inboxes/{id}` (the creator only)
    pub async fn update_custom_inbox(
        &self,
        id: &CustomInboxId,
        input: &CustomInboxInput,
    ) -> Result<CustomInbox, ApiError> {
        self.call_json(Request::put(&url(&format!("/custom-inboxes/{}", segment(id.as_str())))), input).await
    }

    /// `DELETE /custom-inboxes/{id}` (the creator only)
    pub async fn delete_custom_inbox(&self, id: &CustomInboxId) -> Result<(), ApiError> {
        self.expect_empty(Request::delete(&url(&format!("/custom-inboxes/{}", segment(id.as_str()))))).await
    }

    /// `GET /custom-inboxes/{id}/conversations`: computed now, newest activity first.
    pub async fn custom_inbox_conversations(
        &self,
        id: &CustomInboxId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<ConversationSummary>, ApiError> {
        let path = format!("/custom-inboxes/{}/conversations", segment(id.as_str()));
        let request = Request::get(&url(&path)).query([("limit", limit.to_string())]);
        self.call(match cursor {
            Some(cursor) => request.query([("cursor", cursor)]),
            None => request,
        })
        .await
    }
}
