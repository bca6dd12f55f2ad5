//! REST calls: one async fn per endpoint of docs/api.md, each returning the wire type or
//! an [`ApiError`].
//!
//! "Signed in" is a type: every endpoint that needs a token is a method of
//! [`AuthorizedApi`], which only [`sign_in`] (or a restored token) creates.

use gloo_net::http::{Request, RequestBuilder, Response};
use parley_domain::composer::EmojiData;
use parley_domain::filter::{AssigneeFilter, StatusFilter};
use parley_domain::integration::{Integration, IntegrationUpdate};
use parley_domain::lifecycle::Transition;
use parley_domain::list::SortOrder;
use parley_domain::wire::{
    Assign, AssigneeCount, BulkResolve, BulkResolved, ClosingReason, ClosingReasonInput, ContactActivities,
    ContactConversation, ContactPatch, ConversationDetail, ConversationSummary, ErrorBody, Inboxes, Me, Merge,
    MessageTemplate, Note, NoteText, Page, SendMessage, SendTranscript, Session, SetAvailability, SignIn, Snippet,
    SnippetInput, StartConversation, TemplateInput, TranscriptSent,
};
use parley_domain::{
    Assignee, Attachment, AttachmentId, Availability, ChannelId, ClosingReasonId, Contact, ContactId, ConversationId,
    InboxId, IntegrationId, Message, NoteId, SnippetId, TemplateId, User,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::config::{api_base, asset_url};
use super::error::ApiError;

/// `POST /session`: exchanges credentials for a token and the signed-in user.
pub async fn sign_in(email: &str, password: &str) -> Result<(AuthorizedApi, Me), ApiError> {
    let body = SignIn { email: email.to_owned(), password: password.to_owned() };
    let request = Request::post(&url("/session")).json(&body);
    // A 401 here means wrong credentials, not an expired session: keep it an `Http` error.
    let session: Session = parse(&fetch(request, false).await?)?;
    Ok((AuthorizedApi { token: session.token }, session.me))
}

/// `GET /emoji.json`: the composer's emoji table, a static file next to the app (not
/// the API), fetched the first time the emoji picker opens.
pub async fn emoji_table() -> Result<EmojiData, ApiError> {
    parse(&fetch(Request::get(&asset_url("/emoji.json")).build(), false).await?)
}

/// Query of `GET /inboxes/{inbox}/conversations`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub status: StatusFilter,
    pub order: SortOrder,
    /// The previous page's `next`.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    pub assignee: AssigneeFilter,
}

/// A session token: holding one is what "signed in" means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizedApi {
    token: String,
}

impl AuthorizedApi {
    /// Wraps a token restored from storage; the first call tells whether it still works.
    pub fn from_token(token: String) -> Self {
        AuthorizedApi { token }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// `DELETE /session`
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.expect_empty(Request::delete(&url("/session"))).await
    }

    /// `GET /me`
    pub async fn me(&self) -> Result<Me, ApiError> {
        self.call(Request::get(&url("/me"))).await
    }

    /// `GET /inboxes`
    pub async fn inboxes(&self) -> Result<Inboxes, ApiError> {
        self.call(Request::get(&url("/inboxes"))).await
    }

    /// `POST /inboxes/{inbox}/ack`: the user opened the inbox; its dot goes out.
    pub async fn ack(&self, inbox: &InboxId) -> Result<Inboxes, ApiError> {
        let path = format!("/inboxes/{}/ack", segment(&inbox.to_string()));
        self.call(Request::post(&url(&path))).await
    }

    /// `GET /inboxes/{inbox}/conversations`
    pub async fn conversations(
        &self,
        inbox: &InboxId,
        query: &ListQuery,
    ) -> Result<Page<ConversationSummary>, ApiError> {
        let path = format!("/inboxes/{}/conversations", segment(&inbox.to_string()));
        let order = query.order.wire_name();
        let mut params = vec![("status", query.status.as_str().to_owned()), ("order", order.to_owned())];
        if let Some(cursor) = &query.cursor {
            params.push(("cursor", cursor.clone()));
        }
        if let Some(limit) = query.limit {
            params.push(("limit", limit.to_string()));
        }
        if let Some(assignee) = query.assignee.as_param() {
            params.push(("assignee", assignee.to_owned()));
        }
        self.call(Request::get(&url(&path)).query(params)).await
    }

    /// `GET /inboxes/{inbox}/assignees?status=`: the list's conversations per assignee.
    pub async fn assignees(&self, inbox: &InboxId, status: StatusFilter) -> Result<Vec<AssigneeCount>, ApiError> {
        let path = format!("/inboxes/{}/assignees", segment(&inbox.to_string()));
        self.call(Request::get(&url(&path)).query([("status", status.as_str())])).await
    }

    /// `POST /inboxes/{inbox}/bulk-resolve` (needs the bulk-resolve permission).
    pub async fn bulk_resolve(&self, inbox: &InboxId, body: &BulkResolve) -> Result<BulkResolved, ApiError> {
        let path = format!("/inboxes/{}/bulk-resolve", segment(&inbox.to_string()));
        self.call_json(Request::post(&url(&path)), body).await
    }

    /// `GET /conversations/search?q=…&limit=…`: conversations by contact name, best match
    /// first, within the user's visibility.
    pub async fn search_conversations(&self, q: &str, limit: usize) -> Result<Vec<ConversationSummary>, ApiError> {
        self.call(
            Request::get(&url("/conversations/search")).query([("q", q.to_owned()), ("limit", limit.to_string())]),
        )
        .await
    }

    /// `GET /conversations/{id}`
    pub async fn conversation(&self, id: &ConversationId) -> Result<ConversationDetail, ApiError> {
        let path = format!("/conversations/{}", segment(id.as_str()));
        self.call(Request::get(&url(&path))).await
    }

    /// `GET /conversations/{id}/messages?before=`: older messages, oldest first.
    pub async fn messages(&self, id: &ConversationId, before: &str) -> Result<Page<Message>, ApiError> {
        let path = format!("/conversations/{}/messages", segment(id.as_str()));
        self.call(Request::get(&url(&path)).query([("before", before)])).await
    }

    /// `POST /conversations/{id}/messages`: idempotent by `client_id`.
    pub async fn send_message(&self, id: &ConversationId, body: &SendMessage) -> Result<Message, ApiError> {
        let path = format!("/conversations/{}/messages", segment(id.as_str()));
        self.call_json(Request::post(&url(&path)), body).await
    }

    /// `POST /conversations/{id}/read`
    pub async fn read(&self, id: &ConversationId) -> Result<ConversationSummary, ApiError> {
        let path = format!("/conversations/{}/read", segment(id.as_str()));
        self.call(Request::post(&url(&path))).await
    }

    /// `GET /contacts?q=…&cursor=…`: one page of the contacts page's search.
    pub async fn search_contacts(&self, q: &str, cursor: Option<&str>) -> Result<Page<Contact>, ApiError> {
        let mut params = vec![("q", q)];
        params.extend(cursor.map(|c| ("cursor", c)));
        self.call(Request::get(&url("/contacts")).query(params)).await
    }

    /// `GET /contacts/{id}/conversations`: past and current, most recent first.
    pub async fn contact_conversations(&self, contact: &ContactId) -> Result<Vec<ContactConversation>, ApiError> {
        let path = format!("/contacts/{}/conversations", segment(contact.as_str()));
        self.call(Request::get(&url(&path))).await
    }

    /// `GET /contacts/{id}`
    pub async fn contact(&self, id: &ContactId) -> Result<Contact, ApiError> {
        let path = format!("/contacts/{}", segment(id.as_str()));
        self.call(Request::get(&url(&path))).await
    }

    /// `PUT /contacts/{id}/assignee`: a user, a team or nobody.
    pub async fn assign(&self, contact: &ContactId, assignee: Option<Assignee>) -> Result<Contact, ApiError> {
        let path = format!("/contacts/{}/assignee", segment(contact.as_str()));
        let (user, team) = match assignee {
            Some(Assignee::User(u)) => (Some(u), None),
            Some(Assignee::Team(t)) => (None, Some(t)),
            None => (None, None),
        };
        self.call_json(Request::put(&url(&path)), &Assign { assignee: user, team }).await
    }

    /// `PUT /contacts/{id}/blocked` (needs the blocked-contacts permission)
    pub async fn set_blocked(&self, contact: &ContactId, blocked: bool) -> Result<Contact, ApiError> {
        let path = format!("/contacts/{}/blocked", segment(contact.as_str()));
        self.call_json(Request::put(&url(&path)), &parley_domain::wire::SetBlocked { blocked }).await
    }

    /// `PATCH /contacts/{id}`: `400` names the bad field; nothing is saved then.
    pub async fn update_contact(&self, contact: &ContactId, patch: &ContactPatch) -> Result<Contact, ApiError> {
        let path = format!("/contacts/{}", segment(contact.as_str()));
        self.call_json(Request::patch(&url(&path)), patch).await
    }

    /// `GET /contacts/{id}/duplicates`: merge suggestions.
    pub async fn duplicates(&self, contact: &ContactId) -> Result<Vec<Contact>, ApiError> {
        let path = format!("/contacts/{}/duplicates", segment(contact.as_str()));
        self.call(Request::get(&url(&path))).await
    }

    /// `POST /contacts/{id}/merge`: `secondary` goes into `contact`.
    pub async fn merge_contact(&self, contact: &ContactId, secondary: ContactId) -> Result<Contact, ApiError> {
        let path = format!("/contacts/{}/merge", segment(contact.as_str()));
        self.call_json(Request::post(&url(&path)), &Merge { secondary }).await
    }

    /// `GET /contacts/{id}/activities`
    pub async fn contact_activities(&self, contact: &ContactId) -> Result<ContactActivities, ApiError> {
        let path = format!("/contacts/{}/activities", segment(contact.as_str()));
        self.call(Request::get(&url(&path))).await
    }

    /// `GET /contacts/{id}/integrations`
    pub async fn integrations(&self, contact: &ContactId) -> Result<Vec<Integration>, ApiError> {
        let path = format!("/contacts/{}/integrations", segment(contact.as_str()));
        self.call(Request::get(&url(&path))).await
    }

    /// `PUT /contacts/{id}/integrations/{integration}`
    pub async fn save_integration(
        &self,
        contact: &ContactId,
        integration: &IntegrationId,
        update: &IntegrationUpdate,
    ) -> Result<Integration, ApiError> {
        let path = format!("/contacts/{}/integrations/{}", segment(contact.as_str()), segment(integration.as_str()));
        self.call_json(Request::put(&url(&path)), update).await
    }

    /// `POST /conversations/{id}/lifecycle`: pending, snooze, close or reopen.
    pub async fn lifecycle(
        &self,
        id: &ConversationId,
        transition: &Transition,
    ) -> Result<ConversationSummary, ApiError> {
        let path = format!("/conversations/{}/lifecycle", segment(id.as_str()));
        self.call_json(Request::post(&url(&path)), transition).await
    }

    /// `POST /conversations/{id}/notes`
    pub async fn add_note(&self, id: &ConversationId, text: String) -> Result<Note, ApiError> {
        let path = format!("/conversations/{}/notes", segment(id.as_str()));
        self.call_json(Request::post(&url(&path)), &NoteText { text }).await
    }

    /// `POST /conversations/{id}/transcript`: the thread emailed to `to`.
    pub async fn send_transcript(&self, id: &ConversationId, to: String) -> Result<TranscriptSent, ApiError> {
        let path = format!("/conversations/{}/transcript", segment(id.as_str()));
        self.call_json(Request::post(&url(&path)), &SendTranscript { to: Some(to) }).await
    }

    /// `POST /conversations/{id}/assist`: AI assist's suggestion (nothing is changed).
    pub async fn assist(
        &self,
        id: &ConversationId,
        action: parley_domain::assist::AssistAction,
        draft: String,
    ) -> Result<parley_domain::wire::AssistAnswer, ApiError> {
        let path = format!("/conversations/{}/assist", segment(id.as_str()));
        self.call_json(Request::post(&url(&path)), &parley_domain::wire::AssistRequest { action, draft }).await
    }

    /// `PATCH /notes/{id}` (author only)
    pub async fn edit_note(&self, id: &NoteId, text: String) -> Result<Note, ApiError> {
        let path = format!("/notes/{}", segment(id.as_str()));
        self.call_json(Request::patch(&url(&path)), &NoteText { text }).await
    }

    /// `DELETE /notes/{id}` (author only)
    pub async fn delete_note(&self, id: &NoteId) -> Result<(), ApiError> {
        let path = format!("/notes/{}", segment(id.as_str()));
        self.expect_empty(Request::delete(&url(&path))).await
    }

    /// `POST /conversations/{id}/attachments` (multipart): uploads a file, or with
    /// `voice: Some(duration_ms)` a recording, to be sent by id with a message.
    pub async fn upload_attachment(
        &self,
        id: &ConversationId,
        file: &web_sys::Blob,
        filename: &str,
        voice: Option<u64>,
    ) -> Result<Attachment, ApiError> {
        let path = format!("/conversations/{}/attachments", segment(id.as_str()));
        let form = web_sys::FormData::new().map_err(js_error)?;
        form.append_with_blob_and_filename("file", file, filename).map_err(js_error)?;
        if let Some(duration_ms) = voice {
            form.append_with_str("voice", "true").map_err(js_error)?;
            form.append_with_str("duration_ms", &duration_ms.to_string()).map_err(js_error)?;
        }
        // No Content-Type header: the browser writes the multipart boundary itself.
        parse(&fetch(self.auth(Request::post(&url(&path))).body(form), true).await?)
    }

    /// `GET /attachments/{id}`: the bytes need the bearer token, so they come as a blob
    /// (for an object URL) rather than through a plain link.
    pub async fn attachment(&self, id: &AttachmentId) -> Result<web_sys::Blob, ApiError> {
        let path = format!("/attachments/{}", segment(id.as_str()));
        self.blob(Request::get(&url(&path))).await
    }

    /// A response's body as a blob (downloads that need the token: attachments, CSV).
    pub(super) async fn blob(&self, builder: RequestBuilder) -> Result<web_sys::Blob, ApiError> {
        let response = send(self.auth(builder).build(), true).await?;
        let promise = web_sys::Response::from(response).blob().map_err(js_error)?;
        let blob = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(js_error)?;
        Ok(wasm_bindgen::JsCast::unchecked_into(blob))
    }

    /// `PUT /me/availability`
    pub async fn set_availability(&self, availability: Availability) -> Result<User, ApiError> {
        self.call_json(Request::put(&url("/me/availability")), &SetAvailability { availability }).await
    }

    /// `GET /snippets`: the saved replies.
    pub async fn snippets(&self) -> Result<Vec<Snippet>, ApiError> {
        self.call(Request::get(&url("/snippets"))).await
    }

    /// `POST /snippets` (owners and managers)
    pub async fn create_snippet(&self, input: &SnippetInput) -> Result<Snippet, ApiError> {
        self.call_json(Request::post(&url("/snippets")), input).await
    }

    /// `PUT /snippets/{id}` (owners and managers)
    pub async fn update_snippet(&self, id: &SnippetId, input: &SnippetInput) -> Result<Snippet, ApiError> {
        let path = format!("/snippets/{}", segment(id.as_str()));
        self.call_json(Request::put(&url(&path)), input).await
    }

    /// `DELETE /snippets/{id}` (owners and managers)
    pub async fn delete_snippet(&self, id: &SnippetId) -> Result<(), ApiError> {
        let path = format!("/snippets/{}", segment(id.as_str()));
        self.expect_empty(Request::delete(&url(&path))).await
    }

    /// `GET /closing-reasons`: the close dialog's reasons, in order.
    pub async fn closing_reasons(&self) -> Result<Vec<ClosingReason>, ApiError> {
        self.call(Request::get(&url("/closing-reasons"))).await
    }

    /// `POST /closing-reasons`, or with an id `PUT /closing-reasons/{id}` (renames).
    pub async fn save_closing_reason(
        &self,
        id: Option<&ClosingReasonId>,
        name: String,
    ) -> Result<ClosingReason, ApiError> {
        let body = ClosingReasonInput { name };
        match id {
            None => self.call_json(Request::post(&url("/closing-reasons")), &body).await,
            Some(id) => {
                let path = format!("/closing-reasons/{}", segment(id.as_str()));
                self.call_json(Request::put(&url(&path)), &body).await
            }
        }
    }

    /// `DELETE /closing-reasons/{id}`
    pub async fn delete_closing_reason(&self, id: &ClosingReasonId) -> Result<(), ApiError> {
        let path = format!("/closing-reasons/{}", segment(id.as_str()));
        self.expect_empty(Request::delete(&url(&path))).await
    }

    /// `GET /templates`: every message template (the composer offers the approved ones).
    pub async fn templates(&self) -> Result<Vec<MessageTemplate>, ApiError> {
        self.call(Request::get(&url("/templates"))).await
    }

    /// `POST /templates`, or with an id `PUT /templates/{id}`.
    pub async fn save_template(
        &self,
        id: Option<&TemplateId>,
        body: &TemplateInput,
    ) -> Result<MessageTemplate, ApiError> {
        match id {
            None => self.call_json(Request::post(&url("/templates")), body).await,
            Some(id) => self.call_json(Request::put(&url(&format!("/templates/{}", segment(id.as_str())))), body).await,
        }
    }

    /// `DELETE /templates/{id}`
    pub async fn delete_template(&self, id: &TemplateId) -> Result<(), ApiError> {
        self.expect_empty(Request::delete(&url(&format!("/templates/{}", segment(id.as_str()))))).await
    }

    /// `POST /contacts/{id}/conversations`: the contact's open conversation, or a new one
    /// on `channel`.
    pub async fn start_conversation(
        &self,
        contact: &ContactId,
        channel: ChannelId,
    ) -> Result<ConversationSummary, ApiError> {
        let path = format!("/contacts/{}/conversations", segment(contact.as_str()));
        self.call_json(Request::post(&url(&path)), &StartConversation { channel }).await
    }

    fn auth(&self, builder: RequestBuilder) -> RequestBuilder {
        builder.header("Authorization", &format!("Bearer {}", self.token))
    }

    pub(super) async fn call<T: DeserializeOwned>(&self, builder: RequestBuilder) -> Result<T, ApiError> {
        parse(&fetch(self.auth(builder).build(), true).await?)
    }

    pub(super) async fn call_json<T: DeserializeOwned, B: Serialize>(
        &self,
        builder: RequestBuilder,
        body: &B,
    ) -> Result<T, ApiError> {
        parse(&fetch(self.auth(builder).json(body), true).await?)
    }

    pub(super) async fn expect_empty(&self, builder: RequestBuilder) -> Result<(), ApiError> {
        fetch(self.auth(builder).build(), true).await.map(drop)
    }
}

pub(super) fn url(path: &str) -> String {
    format!("{}{path}", api_base())
}

/// Ids are opaque strings: escape them so that a `/` or `?` in one cannot change the route.
pub(super) fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

/// The one request path: sends, turns error statuses into [`ApiError`]s and returns the
/// body text. Not generic, so the wasm holds one copy of this future rather than one per
/// answer type; callers decode with [`parse`]. With a `token`, 401 means the session is
/// over, whatever the body says.
async fn fetch(request: Result<Request, gloo_net::Error>, token: bool) -> Result<String, ApiError> {
    send(request, token).await?.text().await.map_err(network)
}

/// Sends and turns error statuses into [`ApiError`]s; the body of a success is left
/// to read (as text, or as a blob for attachments).
async fn send(request: Result<Request, gloo_net::Error>, token: bool) -> Result<Response, ApiError> {
    let response = request.map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    if token && status == 401 {
        return Err(ApiError::Unauthorized);
    }
    if response.ok() {
        return Ok(response);
    }
    let text = response.text().await.unwrap_or_default();
    Err(error_of(status, &text, &response))
}

fn js_error(error: wasm_bindgen::JsValue) -> ApiError {
    ApiError::Network(format!("{error:?}"))
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Reads `{"error": {code, message}}`; a body that is not one (a proxy's HTML page)
/// still yields the status.
fn error_of(status: u16, text: &str, response: &Response) -> ApiError {
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => ApiError::Http { status, code: Some(body.error.code), message: body.error.message },
        Err(_) => ApiError::Http { status, code: None, message: response.status_text() },
    }
}
