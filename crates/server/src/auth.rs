//! Passwords, session tokens and the `Auth` extractor that makes "signed in" a type.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use parley_domain::{User, UserId};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS has randomness");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashes").to_string()
}

/// Whether `password` matches the PHC `hash`. The argon2 working memory (19 MiB with
/// the default parameters) is the calling thread's, kept from one check to the next:
/// allocated per check, each freed 19 MiB lingered in the allocator, and a flood of
/// sign-ins left the process tens of megabytes larger.
pub fn verify_password(password: &str, hash: &str) -> bool {
    thread_local! {
        static MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Ok(params), Ok(algorithm)) =
        (argon2::Params::try_from(&parsed), argon2::Algorithm::try_from(parsed.algorithm))
    else {
        return false;
    };
    let version = parsed.version.map_or(Ok(argon2::Version::default()), argon2::Version::try_from);
    let (Ok(version), Some(salt), Some(expected)) = (version, parsed.salt, parsed.hash) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let blocks = params.block_count();
    let mut out = vec![0u8; expected.len()];
    let hashed = MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, argon2::Block::default());
        }
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut memory[..blocks],
        )
    });
    // `Output`'s equality is constant-time.
    hashed.is_ok() && argon2::password_hash::Output::new(&out).is_ok_and(|out| out == expected)
}

/// A new opaque bearer token: 32 random bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS has randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A session unused for this long ends (sliding: each use extends it).
pub const SESSION_IDLE_MS: i64 = 30 * 24 * 3_600_000;
/// A session ends this long after sign-in however much it is used.
pub const SESSION_LIFETIME_MS: i64 = 90 * 24 * 3_600_000;

/// When a session created at `created` and last used at `last_seen` ends, unless used again.
fn ends_at(created: i64, last_seen: i64) -> i64 {
    (last_seen + SESSION_IDLE_MS).min(created + SESSION_LIFETIME_MS)
}
/// Uses closer together than this do not rewrite the session's last use.
const TOUCH_EVERY_MS: i64 = 3_600_000;

/// What the database keeps of a token: its SHA-256, hex. Tokens are 256 random bits,
/// so a fast hash is enough (no salt or stretching, unlike passwords).
pub(crate) fn digest(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// What a token's session row says, read without writing.
pub enum SessionState {
    Unknown,
    /// Unused for too long: the row is to be deleted.
    Expired,
    Live {
        user: User,
        touch: bool,
    },
}

/// Looks a token's session up (a read; see [`session_user`] for the writes it implies).
pub fn session_state(conn: &dyn Store, token: &str, now: i64) -> ApiResult<SessionState> {
    let Some((id, created, last_seen)) = conn.session(&digest(token))? else { return Ok(SessionState::Unknown) };
    if now > ends_at(created, last_seen) {
        return Ok(SessionState::Expired);
    }
    Ok(match conn.user(&id)? {
        Some(user) => SessionState::Live { user, touch: now - last_seen > TOUCH_EVERY_MS },
        None => SessionState::Unknown,
    })
}

/// The user of a live session, extending it; `None` for an unknown or expired token.
/// The lookup runs on a read connection; only an expiry or an hourly touch writes.
pub async fn session_user(state: &AppState, token: &str) -> ApiResult<Option<User>> {
    let now = state.now();
    let lookup = token.to_owned();
    let found = state.db.read(move |conn| session_state(conn, &lookup, now)).await?;
    let hash = digest(token);
    match found {
        SessionState::Unknown => Ok(None),
        SessionState::Expired => {
            state.db.call(move |conn| conn.delete_session(&hash)).await?;
            Ok(None)
        }
        SessionState::Live { user, touch } => {
            if touch {
                state.db.call(move |conn| conn.touch_session(&hash, now)).await?;
            }
            Ok(Some(user))
        }
    }
}

/// When the session of `token` ends unless it is used before (server clock); `None` once
/// it has ended.
pub async fn session_end(state: &AppState, token: &str) -> ApiResult<Option<i64>> {
    let hash = digest(token);
    let now = state.now();
    let row = state.db.read(move |conn| conn.session(&hash)).await?;
    Ok(row.map(|(_, created, last_seen)| ends_at(created, last_seen)).filter(|end| *end >= now))
}

/// How passwords are checked: argon2 ([`verify_password`]); tests put a gate in front of it.
pub type PasswordCheck = std::sync::Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

pub fn argon2_check() -> PasswordCheck {
    std::sync::Arc::new(verify_password)
}

/// What a password is checked against when the email is unknown, so that a wrong email
/// costs as long as a wrong password (the response time must not tell which exists).
/// Its password is random and thrown away: nothing verifies against it.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| hash_password(&new_token()));
    &HASH
}

/// The one thread that checks passwords, in turn. argon2 takes a core and 19 MiB per
/// check: run side by side on the blocking pool, a flood of sign-ins took hundreds of
/// megabytes (each pool thread's allocator arena kept its own 19 MiB) and starved the
/// requests of agents already signed in. Queued on one thread, it costs one check's
/// memory and one core, and no database connection is held meanwhile.
#[derive(Clone)]
pub struct Hasher {
    jobs: std::sync::mpsc::Sender<HashJob>,
}

type HashJob = (String, String, PasswordCheck, tokio::sync::oneshot::Sender<bool>);

impl Hasher {
    /// Starts the thread; it ends when the last `Hasher` is dropped.
    pub fn start() -> Hasher {
        let (jobs, queue) = std::sync::mpsc::channel::<HashJob>();
        std::thread::Builder::new()
            .name("parley-passwords".into())
            .spawn(move || {
                // Made here, not by the first unknown email's request.
                dummy_hash();
                for (password, hash, check, reply) in queue {
                    // A check that panics fails its sign-in (500), not every later one.
                    if let Ok(ok) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&password, &hash))) {
                        let _ = reply.send(ok);
                    }
                }
            })
            .expect("the password thread starts");
        Hasher { jobs }
    }
}

/// Checks a password against its stored hash on the [`Hasher`]'s thread.
pub async fn check_password(state: &AppState, password: String, hash: String) -> ApiResult<bool> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    let failed = || ApiError::Internal("the password check failed".into());
    state.hasher.jobs.send((password, hash, state.passwords.clone(), reply)).map_err(|_| failed())?;
    answer.await.map_err(|_| failed())
}

pub fn create_session(conn: &dyn Store, user: &UserId, now: i64) -> ApiResult<String> {
    let token = new_token();
    conn.create_session(&digest(&token), user, now)?;
    Ok(token)
}

/// Ends the session of `token` (signing out).
pub fn end_session(conn: &dyn Store, token: &str) -> ApiResult<()> {
    conn.delete_session(&digest(token))
}

/// The signed-in user of a request, from `Authorization: Bearer <token>`.
pub struct Auth {
    pub user: User,
    pub token: String,
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("sign in first: missing bearer token".into()))?
            .to_owned();
        let user = session_user(state, &token)
            .await?
            .ok_or_else(|| ApiError::Unauthorized("the session has ended; sign in again".into()))?;
        Ok(Auth { user, token })
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};

    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only_whatever_the_parameters() {
        let ours = hash_password("correct horse");
        let salt = SaltString::encode_b64(b"sixteen byte salt").unwrap();
        let other = Argon2::new(Algorithm::Argon2i, Version::V0x10, Params::new(4096, 3, 2, Some(24)).unwrap())
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        for hash in [&ours, &other, &ours] {
            assert!(verify_password("correct horse", hash), "{hash}");
            assert!(!verify_password("correct horsf", hash), "{hash}");
            assert!(!verify_password("", hash), "{hash}");
        }
        for broken in ["", "not a hash", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$"] {
            assert!(!verify_password("correct horse", broken), "{broken:?}");
        }
    }
}
