//! `parley-server`: the reference backend binary.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Parley's reference backend: REST + WebSocket over an embedded SQLite file or PostgreSQL.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite file (created if missing), or a PostgreSQL database as
    /// postgres://user:password@host:port/dbname (migrated at start).
    #[arg(long, default_value = "parley.sqlite3")]
    db: PathBuf,
    /// Directory of uploaded files. Default: beside the SQLite file (`<db>.attachments`),
    /// or `<dbname>.attachments` in the working directory with PostgreSQL.
    #[arg(long, value_name = "DIR")]
    files: Option<PathBuf>,
    /// JSON fixture that seeds an empty database (docs/fixtures.md).
    #[arg(long)]
    fixture: Option<PathBuf>,
    /// Directory of the built app, served with a fallback to index.html.
    #[arg(long = "static")]
    static_dir: Option<PathBuf>,
    /// Mount the channel simulator endpoints (never in production).
    #[arg(long)]
    simulator: bool,
    /// Mount POST /api/v1/test/clock, which moves the server clock (tests only).
    #[arg(long)]
    test_clock: bool,
    /// Allow --simulator and --test-clock on a non-loopback address (they let anyone
    /// write in as any contact or move time; never in production).
    #[arg(long)]
    dev_endpoints_anywhere: bool,
    /// An origin the app may also connect to (CSP connect-src), e.g. an API served
    /// elsewhere; repeatable.
    #[arg(long = "connect-src", value_name = "ORIGIN")]
    connect_src: Vec<String>,
    /// Who may embed the app in a frame (CSP frame-ancestors); repeatable. Default 'self'.
    #[arg(long = "frame-ancestors", value_name = "SOURCE")]
    frame_ancestors: Vec<String>,
    /// Another origin whose pages may call the API (CORS) and open the WebSocket, e.g.
    /// the CDN serving the app; repeatable.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origin: Vec<String>,
    /// Turn on single sign-on (POST /api/v1/session/sso) with the secret in this file.
    #[arg(long = "sso-secret-file", value_name = "PATH")]
    sso_secret_file: Option<PathBuf>,
    /// The SMTP server conversation transcripts are mailed through, e.g.
    /// smtp://127.0.0.1:2525, smtp://host:587?tls=required or smtps://user:pass@host:465.
    /// Without it "Send transcript" is not offered.
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// Who transcripts come from; its display name names the workspace in the subject.
    #[arg(long = "smtp-from", value_name = "MAILBOX", default_value = parley_server::mail::DEFAULT_FROM)]
    smtp_from: String,
    /// An OpenAI-compatible API for AI assist in the composer: its base URL
    /// (https://api.openai.com/v1; requests go to <URL>/chat/completions) or the full
    /// chat-completions URL. The key is read from the PARLEY_AI_KEY environment variable.
    /// Without it "AI assist" is not offered.
    #[arg(long = "ai-url", value_name = "URL", requires = "ai_model")]
    ai_url: Option<String>,
    /// The model AI assist asks for, e.g. gpt-4o-mini.
    #[arg(long = "ai-model", value_name = "NAME")]
    ai_model: Option<String>,
    /// How long the AI endpoint has to answer, in milliseconds (tests shorten it).
    #[arg(long = "ai-timeout-ms", value_name = "MS", hide = true)]
    ai_timeout_ms: Option<u64>,
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "parley_server=info,tower_http=warn".into()),
        )
        .init();
    let args = Args::parse();
    if let Err(e) =
        parley_server::check_dev_endpoints(args.listen, args.simulator || args.test_clock, args.dev_endpoints_anywhere)
    {
        eprintln!("parley-server: {e}");
        std::process::exit(2);
    }
    // Each becomes one source of a header: nothing that could end it or start another.
    if let Some(bad) = args
        .connect_src
        .iter()
        .chain(&args.frame_ancestors)
        .find(|v| v.is_empty() || !v.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',')))
    {
        eprintln!("parley-server: {bad:?} is not a CSP source (an origin such as https://portal.example.com)");
        std::process::exit(2);
    }
    if let Some(bad) = args.allow_origin.iter().find_map(|o| parley_server::origins::canonical(o).err()) {
        eprintln!("parley-server: --allow-origin: {bad}");
        std::process::exit(2);
    }
    let sso_secret = match args.sso_secret_file.as_deref().map(parley_server::sso::Secret::read).transpose() {
        Ok(secret) => secret,
        Err(e) => {
            eprintln!("parley-server: --sso-secret-file: {e}");
            std::process::exit(2);
        }
    };
    let mailer = match args.smtp.as_deref().map(|url| parley_server::mail::Mailer::new(url, &args.smtp_from)) {
        None => None,
        Some(Ok(mailer)) => Some(mailer),
        Some(Err(e)) => {
            eprintln!("parley-server: {e}");
            std::process::exit(2);
        }
    };
    let timeout = args.ai_timeout_ms.map_or(parley_server::ai::DEFAULT_TIMEOUT, std::time::Duration::from_millis);
    let key = std::env::var(parley_server::ai::KEY_VAR).ok();
    let ai = match args.ai_url.as_deref() {
        None => None,
        Some(url) => match parley_server::ai::Ai::new(url, args.ai_model.as_deref().unwrap_or(""), key, timeout) {
            Ok(ai) => Some(ai),
            Err(e) => {
                eprintln!("parley-server: {e}");
                std::process::exit(2);
            }
        },
    };
    let config = parley_server::Config {
        db: args.db,
        fixture: args.fixture,
        files: args.files,
        static_dir: args.static_dir.clone(),
        simulator: args.simulator,
        test_clock: args.test_clock,
        connect_src: args.connect_src,
        frame_ancestors: args.frame_ancestors,
        allow_origins: args.allow_origin,
        sso_secret,
        mailer,
        ai,
        ..parley_server::Config::new(Default::default())
    };
    let state = match parley_server::open(&config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("parley-server: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("parley-server: cannot listen on {}: {e}", args.listen);
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("bound");
    println!("parley-server listening on http://{addr}");
    if let Err(e) = parley_server::serve(listener, state, config.static_dir.as_deref()).await {
        eprintln!("parley-server: {e}");
        std::process::exit(1);
    }
}
