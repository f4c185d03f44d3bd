//! The one place where errors become HTTP responses: `{"errors":["…"]}` bodies.
//!
//! 4xx messages name the thing and say what to do. 5xx bodies say nothing internal: the cause
//! is logged once, here, with the request id the client also sees.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::archive::ArchiveError;
use crate::deprecation_log::DeprecationLogError;
use crate::index::IndexError;
use crate::publish::{DeprecationError, PublishError};
use crate::storage::StorageError;
use crate::telemetry::error_chain as chain_of;

/// The body of every `503` caused by the blob store.
pub const STORAGE_UNAVAILABLE: &str = "storage is unavailable: the registry cannot reach its blob store, so downloads and publishing fail until it answers again (versions, search and module details still work); retry in a few seconds";

/// Seconds a client should wait before retrying a `503`.
const RETRY_AFTER_SECS: &str = "5";

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Logged, never sent.
    pub cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            cause: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// The blob store does not answer: the client learns that and what still works, the
    /// cause is logged.
    pub fn storage_unavailable(cause: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: STORAGE_UNAVAILABLE.into(),
            cause: Some(cause.to_string()),
        }
    }

    /// A failure of ours: the client gets an opaque message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self {
            cause: Some(cause.to_string()),
            ..Self::panicked()
        }
    }

    /// A handler or blocking job panicked: opaque like every 5xx; the panic hook installed
    /// by `telemetry::init` has already logged the cause, so it is not logged again here.
    pub fn panicked() -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal error: the registry's operators can find the cause in its log"
                .into(),
            cause: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.cause {
            tracing::error!(status = self.status.as_u16(), cause = %cause, "request failed");
        }
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"modreg\""));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS));
        }
        response.json(crate::api_model::ErrorBody::new(self.message.clone()))
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        Self::internal(chain_of(&e))
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        Self::storage_unavailable(chain_of(&e))
    }
}

impl From<PublishError> for ApiError {
    fn from(e: PublishError) -> Self {
        match &e {
            PublishError::Conflict { .. } => Self::new(StatusCode::CONFLICT, e.to_string()),
            PublishError::Archive(
                ArchiveError::CompressedTooLarge { .. }
                | ArchiveError::UncompressedTooLarge { .. }
                | ArchiveError::FileTooLarge { .. },
            ) => Self::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
            PublishError::TooLarge { .. } => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())
            }
            PublishError::EmptyUpload => Self::bad_request(e.to_string()),
            PublishError::Archive(_) | PublishError::Interface(_) => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            PublishError::Semver(_) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            PublishError::Storage(_) => Self::storage_unavailable(chain_of(&e)),
            PublishError::Index(_)
            | PublishError::Manifest(_)
            | PublishError::StoredManifest { .. } => Self::internal(chain_of(&e)),
        }
    }
}

impl From<DeprecationError> for ApiError {
    fn from(e: DeprecationError) -> Self {
        match &e {
            DeprecationError::UnknownRelease { .. } => Self::not_found(e.to_string()),
            DeprecationError::UnknownReplacement { .. }
            | DeprecationError::SelfReplacement
            | DeprecationError::BadReason => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            DeprecationError::Storage(DeprecationLogError::Storage(_)) => {
                Self::storage_unavailable(chain_of(&e))
            }
            DeprecationError::Storage(DeprecationLogError::Contended { .. }) => {
                Self::new(StatusCode::CONFLICT, e.to_string())
            }
            DeprecationError::Storage(DeprecationLogError::BadRecord { .. })
            | DeprecationError::Index(_) => Self::internal(chain_of(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deprecation_the_store_could_not_take_is_503_and_a_contended_one_409() {
        let down = DeprecationError::Storage(DeprecationLogError::Storage(StorageError::Io {
            op: "write",
            key: "modules/platform/vpc/aws/1.0.0.deprecation".into(),
            source: std::io::Error::other("connection refused"),
        }));
        assert_eq!(ApiError::from(down).status, StatusCode::SERVICE_UNAVAILABLE);
        let contended = DeprecationError::Storage(DeprecationLogError::Contended {
            key: "modules/platform/vpc/aws/1.0.0.deprecation.3".into(),
        });
        assert_eq!(ApiError::from(contended).status, StatusCode::CONFLICT);
    }
}
