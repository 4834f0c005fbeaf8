//! The network under every service the picker talks to (through gloo-net): sending a request,
//! reading its answer as JSON, and every failure as an [`ApiError`] naming its [`Service`].
//!
//! Answers are parsed by the browser's own `JSON.parse` and decoded into `crate::getty`'s serde
//! types with serde-wasm-bindgen, so the bundle ships no JSON parser. Both the Getty client
//! (`http`) and the token cache (`auth`) build on this module, which knows neither.

use gloo_net::http::{Method, Request, RequestBuilder};
use js_sys::futures::JsFuture;
use js_sys::Reflect;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, RequestCredentials};

use crate::getty::{ApiError, ErrorBody, Service};

/// Posts to the token backend with the page's cookies (a backend behind the CMS's login knows
/// the editor by them) and the CMS's `ticket`, if any, and returns its parsed answer.
pub(crate) async fn post_to_token_service(
    url: &str,
    ticket: Option<&str>,
) -> Result<JsValue, ApiError> {
    let mut request = RequestBuilder::new(url)
        .method(Method::POST)
        .credentials(RequestCredentials::Include);
    if let Some(ticket) = ticket {
        request = request.header("Authorization", &format!("GettyPicker-Ticket {ticket}"));
    }
    send(request.build(), Service::TokenService).await
}

/// Asks the host's library at `url` (its query already names the ids) which images it holds,
/// with the page's cookies and never a Getty credential; `abort` cancels it with its search.
pub(crate) async fn ask_library(
    url: &str,
    abort: Option<&AbortSignal>,
) -> Result<JsValue, ApiError> {
    let request = RequestBuilder::new(url)
        .method(Method::GET)
        .credentials(RequestCredentials::Include)
        .header("Accept", "application/json")
        .abort_signal(abort)
        .build();
    send(request, Service::HostLibrary).await
}

/// Gets a file of the release folder (a locale file) as the browser's JSON parser reads it;
/// `abort` cancels it.
pub(crate) async fn get_file(url: &str, abort: &AbortSignal) -> Result<JsValue, ApiError> {
    send(
        RequestBuilder::new(url).abort_signal(Some(abort)).build(),
        Service::LocaleFile,
    )
    .await
}

/// Sends `request` (as built: building fails only on a body the browser refuses) and returns
/// its answer as the browser's JSON parser read it, turning every kind of failure into an
/// [`ApiError`] that names `service`.
pub(crate) async fn send(
    request: Result<Request, gloo_net::Error>,
    service: Service,
) -> Result<JsValue, ApiError> {
    let network = |error: gloo_net::Error| ApiError::Network {
        service,
        detail: error.to_string(),
    };
    let response = request.map_err(network)?.send().await.map_err(network)?;
    read(web_sys::Response::from(response), service).await
}

/// Reads the answer `response` of `service` as the browser's JSON parser reads it, turning an
/// error status, a body that is not JSON or a broken connection into an [`ApiError`].
pub(crate) async fn read(
    response: web_sys::Response,
    service: Service,
) -> Result<JsValue, ApiError> {
    let (ok, status, status_text) = (response.ok(), response.status(), response.status_text());
    // The browser parses the body itself: no copy of its text passes through the wasm.
    let json = match response.json() {
        Ok(body) => match JsFuture::from(body).await {
            Ok(json) => Some(json),
            // Not JSON; any other failure is the connection's.
            Err(error) if is_syntax_error(&error) => None,
            Err(error) => {
                return Err(ApiError::Network {
                    service,
                    detail: describe(&error),
                })
            }
        },
        Err(_) => None,
    };
    if !ok {
        let body = json.and_then(|json| serde_wasm_bindgen::from_value::<ErrorBody>(json).ok());
        return Err(ApiError::from_status(status, &status_text, body));
    }
    json.ok_or_else(|| ApiError::Malformed {
        service,
        detail: "not JSON".into(),
    })
}

/// Whether `error` says a body was not JSON: a `SyntaxError` in Blink and Gecko, a
/// `DOMException` named "SyntaxError" in WebKit ("The string did not match the expected
/// pattern."), so the name decides.
fn is_syntax_error(error: &JsValue) -> bool {
    Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .is_some_and(|name| name == "SyntaxError")
}

/// What the browser said about a failed request, e.g. "network error".
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .unwrap_or_else(|| "the connection failed".into())
}

/// Decodes a parsed answer from `service` as `T`; what does not fit is a malformed answer.
pub(crate) fn decode<T: DeserializeOwned>(json: JsValue, service: Service) -> Result<T, ApiError> {
    decode_object(json).map_err(|error| ApiError::Malformed {
        service,
        detail: error.to_string(),
    })
}

/// Why JSON text or a parsed value is not the object the picker expects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// The text is not JSON at all.
    #[error("not JSON")]
    NotJson,
    /// It is JSON, but not an object (a list, a string, a number, null).
    #[error("not a JSON object")]
    NotAnObject,
    /// An object whose fields do not fit; serde says which.
    #[error("{0}")]
    Mismatch(String),
}

/// Decodes a JSON object as `T`. (Every answer the picker reads is an object; serde would also
/// read a struct from a list.)
fn decode_object<T: DeserializeOwned>(json: JsValue) -> Result<T, JsonError> {
    if !json.is_object() || js_sys::Array::is_array(&json) {
        return Err(JsonError::NotAnObject);
    }
    serde_wasm_bindgen::from_value(json).map_err(|error| JsonError::Mismatch(error.to_string()))
}

/// Parses JSON text (e.g. a host's `data-strings`) with the browser's parser and decodes the
/// object it holds as `T`.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    decode_object(js_sys::JSON::parse(text).map_err(|_| JsonError::NotJson)?)
}
