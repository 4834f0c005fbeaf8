//! The only module that touches the network: the token backend and Getty's API.
//!
//! Answers are parsed by the browser's own `JSON.parse` and converted into [`Json`] once, so
//! the bundle ships no JSON parser; `crate::getty` reads the picker's types from that.

use std::rc::Rc;

use js_sys::futures::JsFuture;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Headers, RequestCredentials, RequestInit, Response};

use crate::auth::TokenCache;
use crate::config::Config;
use crate::getty::url::{is_http_url, same_origin};
use crate::getty::{
    download_url, ApiError, DownloadAnswer, ErrorBody, FromJson, Json, LargestDownload, SearchPage,
    SearchQuery,
};
use crate::retry::{backoff_ms, MAX_RETRIES};

/// Name of Getty's API in error messages.
pub const GETTY: &str = "Getty Images";

/// Name of the token backend in error messages.
pub const TOKEN_SERVICE: &str = "the token service";

/// A Getty client for one picker: its configuration and its token cache.
#[derive(Clone)]
pub struct GettyClient {
    config: Rc<Config>,
    tokens: Rc<TokenCache>,
}

impl GettyClient {
    /// A client for `config`, sharing its token cache with the page's other pickers that use
    /// the same token URL.
    pub fn new(config: Config) -> Self {
        let tokens = TokenCache::shared(&config.token_url);
        Self {
            config: Rc::new(config),
            tokens,
        }
    }

    /// The configuration this client was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Runs one search; `abort` cancels it when a newer search supersedes it.
    pub async fn search(
        &self,
        query: &SearchQuery,
        abort: Option<&AbortSignal>,
    ) -> Result<SearchPage, ApiError> {
        let json = self
            .authorized("GET", &query.url(&self.config.api_base), abort)
            .await?;
        read(&json, GETTY)
    }

    /// Asks for a delivery URI for `download`; every success spends one of the account's downloads.
    pub async fn download(&self, download: &LargestDownload) -> Result<String, ApiError> {
        let url = download_url(&download.uri, &download.product_type);
        let answer: DownloadAnswer = read(&self.authorized("POST", &url, None).await?, GETTY)?;
        if !is_http_url(&answer.uri) {
            return Err(ApiError::UnsafeUrl(answer.uri));
        }
        Ok(answer.uri)
    }

    /// Calls Getty with the bearer token. After a 401 it gets a fresh token and tries once more;
    /// after a 429 it backs off and tries up to [`MAX_RETRIES`] more times. Neither answer spends
    /// a download, so retrying a download POST is safe.
    async fn authorized(
        &self,
        method: &'static str,
        url: &str,
        abort: Option<&AbortSignal>,
    ) -> Result<Json, ApiError> {
        // URIs come from API answers: a token sent elsewhere would let that host spend downloads.
        if !same_origin(url, &self.config.api_base) {
            return Err(ApiError::UnsafeUrl(url.to_owned()));
        }
        let mut refreshed = false;
        let mut throttled = 0;
        loop {
            let token = self.tokens.token().await?;
            match self.send_getty(method, url, &token, abort).await {
                Err(error) if error.status() == Some(401) && !refreshed => {
                    refreshed = true;
                    self.tokens.invalidate(&token);
                }
                Err(error) if error.status() == Some(429) && throttled < MAX_RETRIES => {
                    sleep(backoff_ms(throttled, js_sys::Math::random())).await;
                    throttled += 1;
                    if abort.is_some_and(AbortSignal::aborted) {
                        return Err(error);
                    }
                }
                other => return other,
            }
        }
    }

    async fn send_getty(
        &self,
        method: &'static str,
        url: &str,
        token: &str,
        abort: Option<&AbortSignal>,
    ) -> Result<Json, ApiError> {
        let mut headers = vec![
            ("Api-Key", self.config.api_key.clone()),
            ("Authorization", format!("Bearer {token}")),
        ];
        // Getty localises titles and captions by it.
        if let Some(locale) = &self.config.locale {
            headers.push(("Accept-Language", locale.clone()));
        }
        let request = Request {
            method,
            url,
            headers: &headers,
            with_cookies: false,
            abort,
        };
        request.send(GETTY).await
    }
}

/// One HTTP request to the token backend or Getty.
pub(crate) struct Request<'a> {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Where to send it.
    pub url: &'a str,
    /// Extra request headers.
    pub headers: &'a [(&'static str, String)],
    /// Whether the page's cookies for `url` go along (the token backend may need them).
    pub with_cookies: bool,
    /// Cancels the request.
    pub abort: Option<&'a AbortSignal>,
}

impl Request<'_> {
    /// Sends the request and returns its JSON answer, turning every kind of failure into an
    /// [`ApiError`] that names `service`. (Untyped, so that this future is compiled once rather
    /// than once per answer type; [`read`] reads the type.)
    pub(crate) async fn send(&self, service: &'static str) -> Result<Json, ApiError> {
        let network = |error: JsValue| ApiError::Network {
            service,
            detail: describe(&error),
        };
        let response = self.fetch().await.map_err(network)?;
        let text = JsFuture::from(response.text().map_err(network)?)
            .await
            .map_err(network)?
            .as_string()
            .unwrap_or_default();
        let json = parse_json(&text);
        if !response.ok() {
            let body = json.as_ref().map(ErrorBody::from_json);
            return Err(ApiError::from_status(
                response.status(),
                &response.status_text(),
                body,
            ));
        }
        json.ok_or_else(|| ApiError::Malformed {
            service,
            detail: "not JSON".into(),
        })
    }

    async fn fetch(&self) -> Result<Response, JsValue> {
        let headers = Headers::new()?;
        for (name, value) in self.headers {
            headers.set(name, value)?;
        }
        let init = RequestInit::new();
        init.set_method(self.method);
        init.set_headers(&headers);
        if self.with_cookies {
            init.set_credentials(RequestCredentials::Include);
        }
        init.set_signal(self.abort);
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let response = JsFuture::from(window.fetch_with_str_and_init(self.url, &init)).await?;
        response.dyn_into()
    }
}

/// Reads an answer from `service` as `T`; what cannot be read is a malformed answer.
pub(crate) fn read<T: FromJson>(json: &Json, service: &'static str) -> Result<T, ApiError> {
    T::from_json(json).map_err(|detail| ApiError::Malformed { service, detail })
}

/// What the browser said about a failed request, e.g. "Failed to fetch".
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "request failed".into())
}

/// Parses JSON text with the browser's parser; `None` if it is not JSON.
pub fn parse_json(text: &str) -> Option<Json> {
    js_sys::JSON::parse(text)
        .ok()
        .map(|value| to_json(&value, 0))
}

/// Nesting deeper than any Getty answer; deeper values read as `null` rather than risk
/// exhausting the wasm stack on hostile input.
const MAX_DEPTH: usize = 32;

fn to_json(value: &JsValue, depth: usize) -> Json {
    if let Some(text) = value.as_string() {
        Json::String(text)
    } else if let Some(number) = value.as_f64() {
        Json::Number(number)
    } else if let Some(flag) = value.as_bool() {
        Json::Bool(flag)
    } else if depth >= MAX_DEPTH || !value.is_object() {
        Json::Null
    } else if js_sys::Array::is_array(value) {
        let array: &js_sys::Array = value.unchecked_ref();
        Json::Array(array.iter().map(|item| to_json(&item, depth + 1)).collect())
    } else {
        let entries = js_sys::Object::entries(value.unchecked_ref());
        Json::Object(
            entries
                .iter()
                .filter_map(|entry| {
                    let entry: js_sys::Array = entry.unchecked_into();
                    let name = entry.get(0).as_string()?;
                    Some((name, to_json(&entry.get(1), depth + 1)))
                })
                .collect(),
        )
    }
}

/// Waits `ms` milliseconds without blocking the page.
async fn sleep(ms: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let timer = js_sys::Promise::new(&mut |done, _| {
        // If the timer cannot be set, waiting is pointless: `done` now carries on at once.
        if window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&done, ms as i32)
            .is_err()
        {
            let _ = done.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(timer).await;
}
