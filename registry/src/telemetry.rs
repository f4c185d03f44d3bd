//! Logging setup and a span-preserving way to run blocking work off the async workers.

use tracing::Instrument as _;

use crate::settings::LogFormat;

/// Installs the global subscriber: `MODREG_LOG` (EnvFilter syntax) or `info`, to stderr.
pub fn init(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MODREG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    // A panic is logged once, here, inside the span of the request or job that panicked;
    // `http::panic` then answers an opaque 500 and the worker carries on.
    std::panic::set_hook(Box::new(|info| {
        tracing::error!(panic = %info, "a task panicked; its request was answered with 500");
    }));
}

/// At most this many blocking jobs run at once. Without a bound, a burst of cache misses
/// would start a thread (and a malloc arena) per request; SQLite serialises the work anyway.
static BLOCKING_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Runs `f` on the blocking pool inside the caller's span (rusqlite, gzip, hashing). A panic
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
    match tokio::task::spawn_blocking(move || span.in_scope(f))
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
