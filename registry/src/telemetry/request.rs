//! The request a log line belongs to, carried in a task-local instead of a tracing span, and
//! the line format that prints it.
//!
//! A span per request made the log layer format its fields, register it and enter and leave
//! it at every poll, even when nothing was logged (about a tenth of a protocol request's CPU
//! at the default `info` level). The task-local costs a pointer swap per poll, and the fields
//! are formatted only into a line that is actually written. Lines read as before:
//! `… INFO request{id=7 method=GET}: target: message fields` in text,
//! `"span":{"name":"request","id":7,"method":"GET"}` in JSON.

use std::fmt;
use std::future::Future;

use actix_web::http::Method;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::{FormatFields, Writer};
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// What every log line of a request says about it.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// Also sent to the client as `x-request-id`.
    pub id: u64,
    pub method: Method,
}

tokio::task_local! {
    static REQUEST: RequestContext;
}

/// Runs `fut` as request `ctx`: log lines it emits (and blocking work it hands on through
/// `telemetry::blocking`) name the request.
pub async fn scope<F: Future>(ctx: RequestContext, fut: F) -> F::Output {
    REQUEST.scope(ctx, fut).await
}

/// Runs `f` as request `ctx`, for synchronous code.
pub fn sync_scope<R>(ctx: RequestContext, f: impl FnOnce() -> R) -> R {
    REQUEST.sync_scope(ctx, f)
}

/// The request being served on this task, if any.
pub fn current() -> Option<RequestContext> {
    REQUEST.try_with(Clone::clone).ok()
}

/// Text or JSON lines with the request context (and any tracing spans) of the event.
pub struct LineFormat {
    pub json: bool,
}

impl<S, N> FormatEvent<S, N> for LineFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let request = REQUEST.try_with(|r| (r.id, r.method.clone())).ok();
        if self.json {
            json_line(ctx, &mut writer, event, request)
        } else {
            text_line(ctx, &mut writer, event, request)
        }
    }
}

fn text_line<S, N>(
    ctx: &FmtContext<'_, S, N>,
    writer: &mut Writer<'_>,
    event: &Event<'_>,
    request: Option<(u64, Method)>,
) -> fmt::Result
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    let meta = event.metadata();
    let ansi = writer.has_ansi_escapes();
    if ansi {
        writer.write_str("\x1b[2m")?;
    }
    SystemTime.format_time(writer)?;
    if ansi {
        writer.write_str("\x1b[0m")?;
    }
    let level = *meta.level();
    if ansi {
        write!(writer, " {}{level:>5}\x1b[0m ", level_colour(level))?;
    } else {
        write!(writer, " {level:>5} ")?;
    }
    if let Some((id, method)) = request {
        write!(writer, "request{{id={id} method={method}}}: ")?;
    }
    if let Some(scope) = ctx.event_scope() {
        for span in scope.from_root() {
            write!(writer, "{}", span.name())?;
            let ext = span.extensions();
            match ext.get::<FormattedFields<N>>() {
                Some(fields) if !fields.is_empty() => write!(writer, "{{{fields}}}: ")?,
                _ => writer.write_str(": ")?,
            }
        }
    }
    write!(writer, "{}: ", meta.target())?;
    ctx.format_fields(writer.by_ref(), event)?;
    writeln!(writer)
}

fn level_colour(level: Level) -> &'static str {
    match level {
        Level::ERROR => "\x1b[31m",
        Level::WARN => "\x1b[33m",
        Level::INFO => "\x1b[32m",
        Level::DEBUG => "\x1b[34m",
        Level::TRACE => "\x1b[35m",
    }
}

/// `{"timestamp":…,"level":…,"fields":{…},"target":…,"span":{…},"spans":[…]}`, the shape of
/// tracing-subscriber's JSON lines. Span fields are the JSON the layer's `JsonFields` wrote.
fn json_line<S, N>(
    ctx: &FmtContext<'_, S, N>,
    writer: &mut Writer<'_>,
    event: &Event<'_>,
    request: Option<(u64, Method)>,
) -> fmt::Result
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    let meta = event.metadata();
    let mut timestamp = String::new();
    SystemTime.format_time(&mut Writer::new(&mut timestamp))?;
    write!(
        writer,
        "{{\"timestamp\":{},\"level\":\"{}\",\"fields\":",
        json_string(&timestamp),
        meta.level()
    )?;
    ctx.format_fields(writer.by_ref(), event)?;
    write!(writer, ",\"target\":{}", json_string(meta.target()))?;
    let mut spans: Vec<String> = Vec::new();
    if let Some((id, method)) = &request {
        spans.push(format!(
            "{{\"name\":\"request\",\"id\":{id},\"method\":{}}}",
            json_string(method.as_str())
        ));
    }
    if let Some(scope) = ctx.event_scope() {
        for span in scope.from_root() {
            let ext = span.extensions();
            let fields = ext
                .get::<FormattedFields<N>>()
                .map(|f| f.fields.trim())
                .filter(|f| f.starts_with('{') && f.len() > 2)
                .map(|f| format!(",{}", &f[1..f.len() - 1]))
                .unwrap_or_default();
            spans.push(format!("{{\"name\":{}{fields}}}", json_string(span.name())));
        }
    }
    if let Some(innermost) = spans.last() {
        write!(
            writer,
            ",\"span\":{innermost},\"spans\":[{}]",
            spans.join(",")
        )?;
    }
    writeln!(writer, "}}")
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what the log layer writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged(json: bool, emit: impl FnOnce()) -> String {
        let out = Captured::default();
        let sink = out.clone();
        let builder = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || sink.clone());
        if json {
            let subscriber = builder
                .json()
                .event_format(LineFormat { json: true })
                .finish();
            tracing::subscriber::with_default(subscriber, emit);
        } else {
            let subscriber = builder.event_format(LineFormat { json: false }).finish();
            tracing::subscriber::with_default(subscriber, emit);
        }
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        text
    }

    fn request() -> RequestContext {
        RequestContext {
            id: 7,
            method: Method::PUT,
        }
    }

    #[test]
    fn a_text_line_inside_a_request_names_it_and_one_outside_does_not() {
        let text = logged(false, || {
            sync_scope(request(), || tracing::warn!(status = 409, "conflict"));
            tracing::info!(url = "http://x", "serving");
        });
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].ends_with(
                " WARN request{id=7 method=PUT}: registry::telemetry::request::tests: conflict status=409"
            ),
            "{text}"
        );
        assert!(
            lines[1]
                .ends_with("  INFO registry::telemetry::request::tests: serving url=\"http://x\""),
            "{text}"
        );
    }

    #[test]
    fn a_json_line_is_one_object_with_the_request_as_its_span() {
        let text = logged(true, || {
            sync_scope(request(), || tracing::info!(status = 200u16, "request"));
            let span = tracing::info_span!("job", source = "scan");
            span.in_scope(|| tracing::info!("inside a span"));
        });
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(lines[0]["level"], "INFO");
        assert_eq!(lines[0]["fields"]["message"], "request");
        assert_eq!(lines[0]["fields"]["status"], 200);
        assert_eq!(
            lines[0]["span"],
            serde_json::json!({"name": "request", "id": 7, "method": "PUT"})
        );
        assert_eq!(lines[0]["spans"].as_array().unwrap().len(), 1);
        assert!(lines[0]["timestamp"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            lines[1]["span"],
            serde_json::json!({"name": "job", "source": "scan"})
        );
    }

    #[tokio::test]
    async fn the_context_follows_the_request_across_awaits_and_ends_with_it() {
        let seen = scope(request(), async {
            tokio::task::yield_now().await;
            current().map(|c| c.id)
        })
        .await;
        assert_eq!(seen, Some(7));
        assert!(current().is_none());
    }
}
