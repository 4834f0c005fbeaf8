//! The only module that touches the network: the token backend and Getty's API.
//!
//! Answers are parsed by the browser's own `JSON.parse` and read with serde-wasm-bindgen, so
//! the bundle ships no JSON parser.

use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::auth::TokenCache;
use crate::config::Config;
use crate::getty::url::{is_http_url, same_origin};
use crate::getty::{
    download_url, ApiError, DownloadAnswer, ErrorBody, LargestDownload, SearchPage, SearchQuery,
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
        self.authorized(Method::GET, &query.url(&self.config.api_base), abort)
            .await
    }

    /// Asks for a delivery URI for `download`; every success spends one of the account's downloads.
    pub async fn download(&self, download: &LargestDownload) -> Result<String, ApiError> {
        let url = download_url(&download.uri, &download.product_type);
        let answer: DownloadAnswer = self.authorized(Method::POST, &url, None).await?;
        if !is_http_url(&answer.uri) {
            return Err(ApiError::UnsafeUrl(answer.uri));
        }
        Ok(answer.uri)
    }

    /// Calls Getty with the bearer token. After a 401 it gets a fresh token and tries once more;
    /// after a 429 it backs off and tries up to [`MAX_RETRIES`] more times. Neither answer spends
    /// a download, so retrying a download POST is safe.
    async fn authorized<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        abort: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        // URIs come from API answers: a token sent elsewhere would let that host spend downloads.
        if !same_origin(url, &self.config.api_base) {
            return Err(ApiError::UnsafeUrl(url.to_owned()));
        }
        let mut refreshed = false;
        let mut throttled = 0;
        loop {
            let token = self.tokens.token().await?;
            match self.send_getty(method.clone(), url, &token, abort).await {
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

    async fn send_getty<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        token: &str,
        abort: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        let request = RequestBuilder::new(url)
            .method(method)
            .header("Api-Key", &self.config.api_key)
            .header("Authorization", &format!("Bearer {token}"))
            .abort_signal(abort);
        // Getty localises titles and captions by it.
        let request = match &self.config.locale {
            Some(locale) => request.header("Accept-Language", locale),
            None => request,
        };
        send_json(request, GETTY).await
    }
}

/// Sends `request` and reads its JSON answer, turning every kind of failure into an [`ApiError`].
pub(crate) async fn send_json<T: DeserializeOwned>(
    request: RequestBuilder,
    service: &'static str,
) -> Result<T, ApiError> {
    let network = |error: gloo_net::Error| ApiError::Network {
        service,
        detail: error.to_string(),
    };
    let response = request.send().await.map_err(network)?;
    let text = response.text().await.map_err(network)?;
    let json = js_sys::JSON::parse(&text);
    if !response.ok() {
        let body = json
            .ok()
            .and_then(|value| serde_wasm_bindgen::from_value::<ErrorBody>(value).ok());
        return Err(ApiError::from_status(
            response.status(),
            &response.status_text(),
            body,
        ));
    }
    let value = json.map_err(|_| ApiError::Malformed {
        service,
        detail: "not JSON".into(),
    })?;
    read(value, service)
}

fn read<T: DeserializeOwned>(value: JsValue, service: &'static str) -> Result<T, ApiError> {
    serde_wasm_bindgen::from_value(value).map_err(|error| ApiError::Malformed {
        service,
        detail: error.to_string(),
    })
}

/// Waits `ms` milliseconds without blocking the page.
async fn sleep(ms: f64) {
    let (done, wait) = oneshot::channel::<()>();
    let delay = Duration::from_millis(ms as u64);
    // If the timer cannot be set, waiting is pointless: carry on at once.
    if leptos::prelude::set_timeout_with_handle(
        move || {
            let _ = done.send(());
        },
        delay,
    )
    .is_ok()
    {
        let _ = wait.await;
    }
}
