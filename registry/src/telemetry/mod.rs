//! Logging setup and a span-preserving way to run blocking work off the async workers.

mod log_writer;
pub mod request;

use std::io::IsTerminal as _;

use tracing::Instrument as _;

pub use log_writer::FlushGuard;

use crate::settings::LogFormat;

/// The log level when `MODREG_LOG` is unset.
const DEFAULT_LOG_LEVEL: &str = "info";

/// The log filter in effect (`MODREG_LOG`, or the default), for the start-up line.
pub fn log_filter() -> String {
    match std::env::var("MODREG_LOG") {
        Ok(v) if tracing_subscriber::EnvFilter::try_new(&v).is_ok() => v,
        Ok(v) => format!("{DEFAULT_LOG_LEVEL} (MODREG_LOG `{v}` is not a filter)"),
        Err(_) => DEFAULT_LOG_LEVEL.to_owned(),
    }
}

/// Installs the global subscriber: `MODREG_LOG` (EnvFilter syntax) or `info`, to stderr in
/// batches (see `log_writer`), coloured only on a terminal. Hold the guard until the command
/// ends: dropping it writes the lines still pending.
pub fn init(format: LogFormat) -> FlushGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MODREG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_LEVEL));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(log_writer::BatchedStderr);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Text => builder
            .event_format(request::LineFormat { json: false })
            .try_init(),
        LogFormat::Json => builder
            .json()
            .event_format(request::LineFormat { json: true })
            .try_init(),
    };
    log_writer::start_flusher();
    // A panic is logged once, here, inside the span of the request or job that panicked;
    // `http::panic` then answers an opaque 500 and the worker carries on.
    std::panic::set_hook(Box::new(|info| {
        tracing::error!(panic = %info, "a task panicked; its request was answered with 500");
    }));
    FlushGuard::new()
}

/// At most this many blocking jobs run at once. Without a bound, a burst of cache misses
/// would start a thread (and a malloc arena) per request; SQLite serialises the work anyway.
static BLOCKING_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Runs `f` on the blocking pool as the caller's request and inside its span (rusqlite, gzip,
/// hashing), so its log lines say whose work it was. A panic
/// in `f` resumes in the caller, as if `f` had run there, so the request it serves fails with
/// a 500 (see `http::panic`) and the process carries on.
pub async fn blocking<F, T>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _slot = BLOCKING_SLOTS
        .acquire()
        .await
        .expect("the blocking semaphore is never closed");
    let span = tracing::Span::current();
    let request = request::current();
    let job = move || match request {
        Some(ctx) => request::sync_scope(ctx, || span.in_scope(f)),
        None => span.in_scope(f),
    };
    match tokio::task::spawn_blocking(job)
        .instrument(tracing::Span::current())
        .await
    {
        Ok(value) => value,
        Err(err) => match err.try_into_panic() {
            Ok(payload) => std::panic::resume_unwind(payload),
            // Only a runtime shutting down cancels blocking tasks; nothing waits for the answer.
            Err(err) => panic!("blocking task cancelled: {err}"),
        },
    }
}

/// `outer: inner: innermost`, for log lines.
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}
