//! The app's own router: the History API, one click listener, and the routes of
//! [`Route::parse`].
//!
//! Why not leptos_router: it cost ~40 KB of the gzipped wasm for features the app does not
//! use (nested matching of any depth, forms, SSR), and the app must run under any
//! sub-path without knowing it at build time (issue 12). The sub-path is the document's
//! base URL: index.html's first script sets `<base href>` from the address before any
//! asset loads, so relative links ("inbox/mine") and assets resolve under it, and
//! [`navigate`] writes app paths after it.

use std::collections::HashMap;

use leptos::prelude::*;

/// A screen of the app, read off the path after the base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    SignIn,
    Snippets,
    ClosingReasons,
    Templates,
    Reports,
    Rules,
    Inbox {
        inbox: String,
        conversation: Option<String>,
    },
    Custom {
        id: String,
        conversation: Option<String>,
    },
    /// The contacts page, with a contact open or not.
    Contacts {
        contact: Option<String>,
    },
    NotFound,
}

/// Which page component a route shows: a page stays mounted while only its parameters
/// change (another inbox, another conversation), so its state and focus survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    SignIn,
    Snippets,
    ClosingReasons,
    Templates,
    Reports,
    Rules,
    Inbox,
    Custom,
    Contacts,
    NotFound,
}

impl Route {
    /// `path` is what follows the base, without the query: "", "inbox/mine/c/42"… A
    /// trailing slash is ignored; segments are percent-decoded.
    pub fn parse(path: &str) -> Route {
        let segments: Vec<String> =
            path.trim_matches('/').split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
        let s: Vec<&str> = segments.iter().map(String::as_str).collect();
        let conversation = |rest: &[&str]| match rest {
            [] => Some(None),
            ["c", id] => Some(Some((*id).to_owned())),
            _ => None,
        };
        let nested = match s.as_slice() {
            ["inbox", inbox, rest @ ..] => {
                conversation(rest).map(|c| Route::Inbox { inbox: (*inbox).to_owned(), conversation: c })
            }
            ["custom", id, rest @ ..] => {
                conversation(rest).map(|c| Route::Custom { id: (*id).to_owned(), conversation: c })
            }
            _ => None,
        };
        match s.as_slice() {
            [] => Route::Home,
            ["sign-in"] => Route::SignIn,
            ["settings", "snippets"] => Route::Snippets,
            ["settings", "closing-reasons"] => Route::ClosingReasons,
            ["settings", "templates"] => Route::Templates,
            ["reports"] => Route::Reports,
            ["settings", "rules"] => Route::Rules,
            ["contacts"] => Route::Contacts { contact: None },
            ["contacts", id] => Route::Contacts { contact: Some((*id).to_owned()) },
            _ => nested.unwrap_or(Route::NotFound),
        }
    }

    pub fn page(&self) -> Page {
        match self {
            Route::Home => Page::Home,
            Route::SignIn => Page::SignIn,
            Route::Snippets => Page::Snippets,
            Route::ClosingReasons => Page::ClosingReasons,
            Route::Templates => Page::Templates,
            Route::Reports => Page::Reports,
            Route::Rules => Page::Rules,
            Route::Inbox { .. } => Page::Inbox,
            Route::Custom { .. } => Page::Custom,
            Route::Contacts { .. } => Page::Contacts,
            Route::NotFound => Page::NotFound,
        }
    }

    /// The route's parameters by the names the views ask for.
    fn params(&self) -> Params {
        let (key, value, conversation) = match self {
            Route::Inbox { inbox, conversation } => ("inbox", inbox, conversation),
            Route::Custom { id, conversation } => ("id", id, conversation),
            Route::Contacts { contact: Some(id) } => return Params([("contact".to_owned(), id.clone())].into()),
            _ => return Params::default(),
        };
        let conversation = conversation.iter().map(|c| ("conversation".to_owned(), c.clone()));
        Params(std::iter::once((key.to_owned(), value.clone())).chain(conversation).collect())
    }
}

/// Named values: a route's parameters or the query string's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(HashMap<String, String>);

impl Params {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// `status=open&order=oldest`, decoded as forms encode it (`+` is a space).
    pub fn from_query(query: &str) -> Params {
        let pairs = query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")))
        });
        // The first value of a repeated key wins, as `URLSearchParams.get` does.
        let mut map = HashMap::new();
        for (k, v) in pairs {
            map.entry(k).or_insert(v);
        }
        Params(map)
    }
}

/// `%2F` → `/`; a malformed escape stays as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Where the app is: the path after the base (`None` outside it: no route) and the
/// query, kept in step with the address bar.
#[derive(Clone, Copy)]
struct Location {
    path: RwSignal<Option<String>>,
    query: RwSignal<String>,
    /// The document's base path, fixed for the page's life: read once.
    base: StoredValue<String>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct NavigateOptions {
    /// Replace the history entry instead of adding one (redirects: Back must not
    /// bounce through them).
    pub replace: bool,
}

/// The base of an address: the prefix before the app's route, as index.html's first script
/// computes it (the longest prefix after which a route other than Home follows), else
/// the address's folder.
fn base_of(pathname: &str) -> String {
    let routed = pathname.match_indices('/').rev().find(|&(i, _)| {
        let rest = &pathname[i + 1..];
        !rest.is_empty() && !rest.starts_with('/') && !matches!(Route::parse(rest), Route::Home | Route::NotFound)
    });
    let end = routed.map_or_else(|| pathname.rfind('/').unwrap_or(0), |(i, _)| i);
    format!("{}/", &pathname[..end])
}

/// Sets the document's `<base>` if index.html's script could not (a host's
/// Content-Security-Policy without its hash): the app's links and config.json then still
/// resolve under the prefix.
pub fn ensure_base() {
    let document = document();
    if document.query_selector("base").ok().flatten().is_some() {
        return;
    }
    let pathname = window().location().pathname().unwrap_or_default();
    if let (Ok(base), Some(head)) = (document.create_element("base"), document.head()) {
        let _ = base.set_attribute("href", &base_of(&pathname));
        let _ = head.append_child(&base);
    }
}

/// The base path, "/" or "/support/parley/": the path of the document's base URL.
fn base_path() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let base = document().base_uri().ok().flatten().unwrap_or_default();
        if let Ok(url) = web_sys::Url::new(&base) {
            let path = url.pathname();
            // A base without `<base>` is the document itself: keep its directory.
            return path.rfind('/').map_or_else(|| "/".to_owned(), |i| path[..=i].to_owned());
        }
    }
    "/".to_owned()
}

/// The current (path after base, query) of the address bar.
fn read_location(base: &str) -> (Option<String>, String) {
    let location = window().location();
    let pathname = location.pathname().unwrap_or_default();
    let path = match pathname.strip_prefix(base) {
        Some(rest) => Some(rest.to_owned()),
        // "/support/parley" for the base "/support/parley/".
        None if base.strip_suffix('/') == Some(&pathname) => Some(String::new()),
        None => None,
    };
    (path, location.search().unwrap_or_default())
}

/// Starts routing: the location signals, Back/Forward, and same-app link clicks.
pub fn provide_router() {
    let base = base_path();
    let (path, query) = read_location(&base);
    let location = Location { path: RwSignal::new(path), query: RwSignal::new(query), base: StoredValue::new(base) };
    provide_context(location);
    let on_pop = move || {
        let (path, query) = location.base.with_value(|base| read_location(base));
        location.path.set(path);
        location.query.set(query);
    };
    let _ = window_event_listener(leptos::ev::popstate, move |_| on_pop());
    let _ = window_event_listener(leptos::ev::click, move |ev| follow_link(&ev, location));
}

/// A click on a link into the app becomes a route change, without a page load. Other
/// clicks (modified, new tab, download, another origin, outside the base) are the
/// browser's.
fn follow_link(ev: &web_sys::MouseEvent, location: Location) {
    use wasm_bindgen::JsCast;
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
        return;
    }
    let Some(anchor) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let target = anchor.target();
    if anchor.has_attribute("download") || !(target.is_empty() || target == "_self") {
        return;
    }
    let page = window().location();
    if anchor.origin() != page.origin().unwrap_or_default() {
        return;
    }
    let Some(rest) = location.base.with_value(|base| anchor.pathname().strip_prefix(base.as_str()).map(str::to_owned))
    else {
        return;
    };
    ev.prevent_default();
    go(location, &format!("{rest}{}", anchor.search()), NavigateOptions::default());
}

fn go(location: Location, to: &str, options: NavigateOptions) {
    // "./" is the base itself; "/inbox/x" and "inbox/x" are the same app path.
    let to = to.trim_start_matches("./").trim_start_matches('/');
    let (path, query) = match to.find('?') {
        Some(i) => (&to[..i], &to[i..]),
        None => (to, ""),
    };
    let url = location.base.with_value(|base| format!("{base}{to}"));
    if let Ok(history) = window().history() {
        let same = location.path.get_untracked().as_deref() == Some(path) && location.query.get_untracked() == query;
        let _ = if options.replace || same {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        };
    }
    location.path.set(Some(path.to_owned()));
    location.query.set(query.to_owned());
}

fn location() -> Location {
    expect_context::<Location>()
}

/// Goes to an app path ("inbox/mine?status=open"; a leading `/` means the same).
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let location = location();
    move |to, options| go(location, to, options)
}

/// The current route.
pub fn use_route() -> Memo<Route> {
    let location = location();
    Memo::new(move |_| location.path.with(|p| p.as_deref().map_or(Route::NotFound, Route::parse)))
}

/// The route's parameters: `inbox`, `id`, `conversation`.
pub fn use_params_map() -> Memo<Params> {
    let route = use_route();
    Memo::new(move |_| route.with(Route::params))
}

/// The query string's values.
pub fn use_query_map() -> Memo<Params> {
    let location = location();
    Memo::new(move |_| location.query.with(|q| Params::from_query(q)))
}

/// Navigates once it is rendered; renders nothing.
#[component]
pub fn Redirect(#[prop(into)] path: String, #[prop(optional)] options: NavigateOptions) -> impl IntoView {
    let location = location();
    // Not while rendering: the route signals would change under the render that reads them.
    queue_microtask(move || go(location, &path, options));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_routes() {
        let inbox = |i: &str, c: Option<&str>| Route::Inbox { inbox: i.into(), conversation: c.map(Into::into) };
        let custom = |i: &str, c: Option<&str>| Route::Custom { id: i.into(), conversation: c.map(Into::into) };
        #[rustfmt::skip]
        let rows = [
            ("", Route::Home),
            ("/", Route::Home),
            ("sign-in", Route::SignIn),
            ("sign-in/", Route::SignIn),
            ("settings/snippets", Route::Snippets),
            ("settings/closing-reasons", Route::ClosingReasons),
            ("settings/templates", Route::Templates),
            ("reports", Route::Reports),
            ("settings/rules", Route::Rules),
            ("settings", Route::NotFound),
            ("inbox/mine", inbox("mine", None)),
            ("inbox/team-1/", inbox("team-1", None)),
            ("inbox/all/c/c_42", inbox("all", Some("c_42"))),
            ("inbox/all/c/a%2Fb", inbox("all", Some("a/b"))),
            ("inbox", Route::NotFound),
            ("inbox/all/c", Route::NotFound),
            ("inbox/all/x/1", Route::NotFound),
            ("inbox/all/c/1/more", Route::NotFound),
            ("custom/ci_1", custom("ci_1", None)),
            ("custom/ci_1/c/c_7", custom("ci_1", Some("c_7"))),
            ("contacts", Route::Contacts { contact: None }),
            ("contacts/", Route::Contacts { contact: None }),
            ("contacts/k%2F1", Route::Contacts { contact: Some("k/1".into()) }),
            ("contacts/k-1/more", Route::NotFound),
            ("elsewhere", Route::NotFound),
        ];
        for (path, expected) in rows {
            assert_eq!(Route::parse(path), expected, "{path:?}");
        }
    }

    /// The same table as tests/e2e/base.test.mjs, which runs index.html's script.
    #[test]
    fn the_base_is_the_prefix_before_the_route() {
        let routes = [
            "",
            "sign-in",
            "settings/snippets",
            "settings/closing-reasons",
            "settings/templates",
            "settings/rules",
            "inbox/mine",
            "inbox/team-t-sales/",
            "inbox/all/c/c_42",
        ];
        for prefix in ["/", "/support/parley/", "/apps/inbox-tools/", "/custom/"] {
            let more = ["inbox/all/c/a%2Fb", "custom/ci_1", "custom/ci_1/c/c_7", "contacts", "contacts/k-1"];
            for route in routes.iter().chain(&more) {
                assert_eq!(base_of(&format!("{prefix}{route}")), prefix, "{prefix}{route}");
            }
        }
        #[rustfmt::skip]
        let rows = [("/support/parley/index.html", "/support/parley/"), ("/unknown", "/"), ("/support/parley/unknown", "/support/parley/"), ("/inbox", "/"), ("", "/")];
        for (path, base) in rows {
            assert_eq!(base_of(path), base, "{path}");
        }
    }

    #[test]
    fn params_are_named_as_views_read_them() {
        let p = Route::parse("inbox/mine/c/c_1").params();
        assert_eq!((p.get("inbox").as_deref(), p.get("conversation").as_deref()), (Some("mine"), Some("c_1")));
        let p = Route::parse("custom/ci_2").params();
        assert_eq!((p.get("id").as_deref(), p.get("conversation")), (Some("ci_2"), None));
        assert_eq!(Route::parse("sign-in").params(), Params::default());
        assert_eq!(Route::parse("contacts/k-1").params().get("contact").as_deref(), Some("k-1"));
        assert_eq!(Route::parse("contacts").params(), Params::default());
    }

    #[test]
    fn queries_decode_like_url_search_params() {
        let q = Params::from_query("?status=open&assignee=user%3Au_1&q=a+b&status=closed&flag");
        #[rustfmt::skip]
        let rows = [("status", Some("open")), ("assignee", Some("user:u_1")), ("q", Some("a b")), ("flag", Some("")), ("order", None)];
        for (key, expected) in rows {
            assert_eq!(q.get(key).as_deref(), expected, "{key}");
        }
        assert_eq!(Params::from_query(""), Params::default());
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }
}
