//! The Getty client: Getty's API with the cached bearer token (`auth`), retried after a 401 or
//! a 429, over the picker's one way to the network (`transport`).

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use js_sys::futures::JsFuture;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::auth::TokenCache;
use crate::config::Config;
use crate::getty::history::{history_url, HistoryAnswer, PastDownload};
use crate::getty::query::DisplaySizes;
use crate::getty::url::{is_http_url, same_origin};
use crate::getty::{
    download_url, image_url, ApiError, DownloadAnswer, DownloadForm, Image, ImagesAnswer,
    Neighbours, Offer, Product, ProductsAnswer, SearchPage, SearchQuery, Service,
};
use crate::retry::{backoff_ms, MAX_RETRIES};
use crate::transport::{decode, send};

/// Getty's `ErrorCode` for a search asking for display sizes the API key may not use.
const UNAUTHORIZED_DISPLAY_SIZE: &str = "UnauthorizedDisplaySize";

/// A Getty client for one picker: its configuration, its token cache, and what Getty told it
/// about its key.
#[derive(Clone)]
pub struct GettyClient {
    config: Rc<Config>,
    tokens: Rc<TokenCache>,
    /// The display sizes searches ask for; `ThumbOnly` for the rest of the picker's life once
    /// Getty refused the larger ones.
    display_sizes: Rc<Cell<DisplaySizes>>,
}

impl GettyClient {
    /// A client for `config`, sharing its token cache with the page's other pickers that use
    /// the same token URL.
    pub fn new(config: Config) -> Self {
        let tokens = TokenCache::shared(&config.token_url, config.ticket.as_deref());
        Self {
            config: Rc::new(config),
            tokens,
            display_sizes: Rc::default(),
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
        let api_base = &self.config.api_base;
        let answer = self
            .sized(&|sizes| query.url(api_base, sizes), abort)
            .await?;
        decode(answer, Service::Getty)
    }

    /// One image's details (`GET /v3/images/{id}`), with Getty's credit line; an id Getty does
    /// not know is a 404, whether Getty answered one or listed it as not found.
    pub async fn image(&self, id: &str) -> Result<Image, ApiError> {
        let api_base = &self.config.api_base;
        let answer = self
            .sized(&|sizes| image_url(api_base, id, sizes), None)
            .await?;
        let answer: ImagesAnswer = decode(answer, Service::Getty)?;
        answer
            .images
            .items
            .into_iter()
            .find(|image| image.id == id)
            .ok_or_else(|| ApiError::from_status(404, "", None))
    }

    /// The first `page_size` of image `id`'s neighbours of `kind`, shaped as a search answer;
    /// `abort` cancels it when the details panel moves on.
    pub async fn neighbours(
        &self,
        id: &str,
        kind: Neighbours,
        page_size: u32,
        abort: Option<&AbortSignal>,
    ) -> Result<SearchPage, ApiError> {
        let api_base = &self.config.api_base;
        let url = |sizes| kind.url(api_base, id, sizes, page_size);
        decode(self.sized(&url, abort).await?, Service::Getty)
    }

    /// GETs the URL `url` builds for the display sizes the key may use. A key that may not use
    /// the larger ones gets a 403 `UnauthorizedDisplaySize` for the whole answer: then it asks
    /// once more for the thumb only, and so do all later requests of this picker. (`url` is a
    /// trait object so that this future is compiled once, not once per caller.)
    async fn sized(
        &self,
        url: &dyn Fn(DisplaySizes) -> String,
        abort: Option<&AbortSignal>,
    ) -> Result<JsValue, ApiError> {
        loop {
            let sizes = self.display_sizes.get();
            match self.authorized(Method::GET, &url(sizes), None, abort).await {
                // Asked once more, for the thumb only: a second refusal is the answer.
                Err(ApiError::Status {
                    status: 403,
                    code: Some(code),
                    ..
                }) if code == UNAUTHORIZED_DISPLAY_SIZE && sizes != DisplaySizes::ThumbOnly => {
                    self.display_sizes.set(DisplaySizes::ThumbOnly);
                }
                answer => return answer,
            }
        }
    }

    /// The account's products with their limits and download requirements. Only a user's token
    /// may ask, so a search-only backend gets [`ApiError::SearchOnly`] without a request.
    pub async fn products(&self) -> Result<Vec<Product>, ApiError> {
        self.user_token().await?;
        let url = format!(
            "{}/v3/products?fields=download_requirements",
            self.config.api_base.trim_end_matches('/')
        );
        let answer: ProductsAnswer = decode(
            self.authorized(Method::GET, &url, None, None).await?,
            Service::Getty,
        )?;
        Ok(answer.products.items)
    }

    /// Who downloaded image `id` before in the customer's company, when, under which product.
    /// Only a user's token may ask, so a search-only backend gets [`ApiError::SearchOnly`]
    /// without a request.
    pub async fn history(&self, id: &str) -> Result<Vec<PastDownload>, ApiError> {
        self.user_token().await?;
        let url = history_url(&self.config.api_base, id);
        let answer: HistoryAnswer = decode(
            self.authorized(Method::GET, &url, None, None).await?,
            Service::Getty,
        )?;
        Ok(answer.downloads.items)
    }

    /// Whether the backend said this editor may choose images but not license them (their
    /// role); known once a token was fetched.
    pub fn role_only(&self) -> bool {
        self.tokens.role_only()
    }

    /// Asks for a delivery URI for `offer`, sending what its product requires in `form`; every
    /// success spends one of the account's downloads.
    pub async fn download(&self, offer: &Offer, form: &DownloadForm) -> Result<String, ApiError> {
        self.user_token().await?;
        let download = &offer.download;
        let url = download_url(&download.uri, &download.product_type, offer.product_id());
        let body = (!form.is_empty()).then(|| download_body(form));
        let answer: DownloadAnswer = decode(
            self.authorized(Method::POST, &url, body.as_ref(), None)
                .await?,
            Service::Getty,
        )?;
        let uri = answer.uri.ok_or_else(|| ApiError::Malformed {
            service: Service::Getty,
            detail: "no delivery uri".into(),
        })?;
        if !is_http_url(&uri) {
            return Err(ApiError::UnsafeUrl(uri));
        }
        Ok(uri)
    }

    /// Fails with [`ApiError::SearchOnly`] when the backend's tokens cannot download, which its
    /// token answer says (fetching a token if none is cached yet).
    async fn user_token(&self) -> Result<(), ApiError> {
        self.tokens.token().await?;
        if self.tokens.search_only() {
            return Err(ApiError::SearchOnly);
        }
        Ok(())
    }

    /// Calls Getty with the bearer token and, if given, a JSON `body`. After a 401 it gets a fresh token and tries once more;
    /// after a 429 it backs off and tries up to [`MAX_RETRIES`] more times. Neither answer spends
    /// a download, so retrying a download POST is safe. (Returns the parsed answer undecoded, so
    /// that this future is compiled once rather than once per answer type.)
    async fn authorized(
        &self,
        method: Method,
        url: &str,
        body: Option<&JsValue>,
        abort: Option<&AbortSignal>,
    ) -> Result<JsValue, ApiError> {
        // URIs come from API answers: a token sent elsewhere would let that host spend downloads.
        if !same_origin(url, &self.config.api_base) {
            return Err(ApiError::UnsafeUrl(url.to_owned()));
        }
        let mut refreshed = false;
        let mut throttled = 0;
        loop {
            let token = self.tokens.token().await?;
            let mut request = RequestBuilder::new(url)
                .method(method.clone())
                .header("Api-Key", &self.config.api_key)
                .header("Authorization", &format!("Bearer {token}"))
                .abort_signal(abort);
            // Getty localises titles and captions by it, in the picker's language where it can.
            if let Some(language) = self.config.language.accept_language {
                request = request.header("Accept-Language", language);
            }
            let request = match body {
                Some(body) => request
                    .header("Content-Type", "application/json")
                    .body(body.clone()),
                None => request.build(),
            };
            match send(request, Service::Getty).await {
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
}

/// A download POST's JSON body, `{"project_code", "download_notes"}` with only what is given.
/// (Built by hand: serializing two strings does not justify a JSON serializer in the bundle.)
fn download_body(form: &DownloadForm) -> JsValue {
    let body = Object::new();
    let fields = [
        ("project_code", &form.project_code),
        ("download_notes", &form.download_notes),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            // Setting a plain string on a fresh object cannot fail.
            let _ = Reflect::set(&body, &JsValue::from_str(key), &JsValue::from_str(value));
        }
    }
    js_sys::JSON::stringify(&body).map_or(JsValue::NULL, JsValue::from)
}

/// Waits `ms` milliseconds without blocking the page.
pub(crate) async fn sleep(ms: f64) {
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
