//! Test fault injection: queued per-endpoint faults and the answers they produce.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::SandboxError;
use super::Endpoint;

/// A truncated search answer: starts like JSON, never parses.
const MALFORMED_BODY: &str = r#"{"result_count": 1, "images": [{"id": "12345", "title": "#;

/// What an injected fault does to one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status and Getty's error body for it (an invalid status answers 500).
    Status(u16),
    /// Answer with this exact status (an invalid one answers 500), body and content type.
    Raw {
        /// HTTP status.
        status: u16,
        /// Body text, sent as is.
        body: String,
        /// `Content-Type` of the body.
        content_type: &'static str,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer 200 with a body that is not JSON.
    MalformedJson,
    /// Close the connection without an HTTP answer.
    DropConnection,
    /// Answer 200 with this JSON body instead of the generated one.
    Json(Value),
    /// The gateway's throttling answer: 429 `{"message": "Account Over Queries Per Second
    /// Limit"}`, no `Retry-After` (what `Status(429)` answers too).
    Throttled,
    /// The gateway's answer to a key it does not accept: 403 `{"message": "Forbidden"}`.
    GatewayForbidden,
    /// 403 `UnauthorizedDisplaySize` for `comp` and `preview`, as to a key without them.
    UnauthorizedDisplaySize,
    /// 403 `OverageLimitReached`: the product's downloads are used up.
    OverageLimitReached,
    /// 403 `UserTokenRequired`: the token has no user.
    UserTokenRequired,
}

/// Pending faults, consumed in request arrival order per endpoint.
#[derive(Debug, Default)]
pub struct FaultQueue {
    pending: Mutex<HashMap<Endpoint, VecDeque<Fault>>>,
}

impl FaultQueue {
    /// Queues `fault` for the next `times` requests to `endpoint`, after earlier injections.
    pub fn push(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        let mut pending = self.lock();
        let queue = pending.entry(endpoint).or_default();
        queue.extend(std::iter::repeat_n(fault, times as usize));
    }

    /// Takes the fault for the request to `endpoint` that just arrived, if one is pending.
    pub fn pop(&self, endpoint: Endpoint) -> Option<Fault> {
        self.lock().get_mut(&endpoint)?.pop_front()
    }

    /// Drops every pending fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The queues; a panic elsewhere cannot leave them inconsistent, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, HashMap<Endpoint, VecDeque<Fault>>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Answers `request` as `fault` dictates; only `Delay` lets the real handler (`next`) run.
pub async fn apply(fault: Fault, endpoint: Endpoint, request: Request, next: Next) -> Response {
    match fault {
        Fault::Status(status) => getty_error(status_code(status), endpoint),
        Fault::Raw {
            status,
            body,
            content_type,
        } => (status_code(status), [(CONTENT_TYPE, content_type)], body).into_response(),
        Fault::Delay(delay) => {
            // If the client hangs up, hyper drops this future mid-sleep; nothing is held.
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Fault::MalformedJson => {
            ([(CONTENT_TYPE, "application/json")], MALFORMED_BODY).into_response()
        }
        Fault::DropConnection => dropped(),
        Fault::Json(body) => Json(body).into_response(),
        Fault::Throttled => SandboxError::Throttled.into_response(),
        Fault::GatewayForbidden => SandboxError::UnknownApiKey.into_response(),
        Fault::UnauthorizedDisplaySize => {
            SandboxError::UnauthorizedDisplaySize("comp, preview".into()).into_response()
        }
        Fault::OverageLimitReached => (
            StatusCode::FORBIDDEN,
            Json(json!({
                "ErrorCode": "OverageLimitReached",
                "ErrorMessage": "You have reached the download limit of this product.",
            })),
        )
            .into_response(),
        Fault::UserTokenRequired => SandboxError::UserTokenRequired.into_response(),
    }
}

fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A 200 whose body fails before its first byte: hyper then aborts the connection without
/// flushing the head, so the client sees a network error rather than a response.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Vec<u8>, _>(io::Error::other("fault injection: connection dropped"))
    });
    Body::from_stream(failing).into_response()
}

/// The body (and headers) Getty's API answers `status` with.
fn getty_error(status: StatusCode, endpoint: Endpoint) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    match status {
        StatusCode::UNAUTHORIZED => (
            status,
            [(WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)],
            Json(json!({"message": "Unauthorized"})),
        )
            .into_response(),
        StatusCode::FORBIDDEN => {
            let (code, message) = match endpoint {
                Endpoint::Download => (
                    "NotEntitled",
                    "You are not entitled to download this image.",
                ),
                _ => (
                    "OverageLimitReached",
                    "You have reached the limit of your subscription.",
                ),
            };
            (
                status,
                Json(json!({"ErrorCode": code, "ErrorMessage": message})),
            )
                .into_response()
        }
        StatusCode::NOT_FOUND => (
            status,
            Json(json!({"code": "ImageNotFound", "message": "Image not found."})),
        )
            .into_response(),
        StatusCode::TOO_MANY_REQUESTS => SandboxError::Throttled.into_response(),
        _ => (status, Json(json!({"message": reason}))).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_consumed_in_order_per_endpoint() {
        let queue = FaultQueue::default();
        queue.push(Endpoint::Search, Fault::Status(500), 2);
        queue.push(Endpoint::Search, Fault::MalformedJson, 1);
        queue.push(Endpoint::Download, Fault::DropConnection, 0);
        assert_eq!(queue.pop(Endpoint::Download), None);
        assert_eq!(queue.pop(Endpoint::Search), Some(Fault::Status(500)));
        assert_eq!(queue.pop(Endpoint::Search), Some(Fault::Status(500)));
        assert_eq!(queue.pop(Endpoint::Search), Some(Fault::MalformedJson));
        assert_eq!(queue.pop(Endpoint::Search), None);
    }

    #[test]
    fn clear_drops_everything() {
        let queue = FaultQueue::default();
        queue.push(Endpoint::Token, Fault::Status(401), 3);
        queue.clear();
        assert_eq!(queue.pop(Endpoint::Token), None);
    }

    #[test]
    fn malformed_body_is_not_json() {
        assert!(serde_json::from_str::<Value>(MALFORMED_BODY).is_err());
    }

    #[test]
    fn invalid_status_answers_500() {
        assert_eq!(status_code(42), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(status_code(429), StatusCode::TOO_MANY_REQUESTS);
    }
}
