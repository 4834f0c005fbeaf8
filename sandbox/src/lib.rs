//! A Getty-compatible fake API on loopback (`getty-picker-server --sandbox`): router, shared
//! state, request counters, fault injection and the hooks tests drive it with.
//!
//! The sandbox is an independent oracle of Getty's contract (`getty-api.md`, Getty's OpenAPI
//! file): it refuses what Getty refuses. It therefore shares no types with the backend or the
//! widget on purpose: its tokens, secrets, products, errors and answers are written here from
//! Getty's documentation, so a misreading of the contract in the backend cannot hide itself by
//! being reused by the sandbox. The backend mounts [`Sandbox::router`] only in a process started
//! with `--sandbox`, and only in a build with its `sandbox` feature.

pub mod auth;
pub mod clock;
pub mod data;
pub mod downloads;
pub mod error;
pub mod faults;
pub mod fields;
pub mod handlers;
pub mod history;
pub mod images;
pub mod metadata;
pub mod params;
pub mod products;
pub mod secret;
pub mod subjects;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{Request, State};
use axum::http::{HeaderName, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post, MethodRouter};
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use auth::{random_hex, TokenStore};
use downloads::Account;
pub use error::SandboxError;
use faults::FaultQueue;
use fields::Fields;
use images::DisplaySize;
use subjects::Subjects;

pub use downloads::{DownloadRecord, PastDownload};
pub use faults::Fault;
pub use products::{default_products, Product};
use secret::Secret;

/// The `Api-Key` the sandbox accepts; public, like a real Getty API key.
pub const SANDBOX_API_KEY: &str = "sandbox-api-key";

/// The Getty user a backend logs in as against the sandbox (which accepts any user); public.
pub const SANDBOX_USERNAME: &str = "sandbox-editor";

/// The password of [`SANDBOX_USERNAME`]; public, the sandbox accepts any non-empty password.
pub const SANDBOX_PASSWORD: &str = "sandbox-password";

/// Snapshot of how many requests each sandbox endpoint received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SandboxCounts {
    /// `POST /oauth2/token`
    pub token: u64,
    /// `GET /v3/search/images[/creative|/editorial]`
    pub search: u64,
    /// `POST /v3/downloads/images/{id}`
    pub download: u64,
    /// `GET /v3/products`
    pub products: u64,
    /// `GET /sandbox/delivery/downloads/{id}`
    pub delivery: u64,
    /// `GET /sandbox/media/{size}/{id}.png`
    pub thumbnail: u64,
    /// `GET /v3/images/{id}/downloadhistory`
    pub history: u64,
    /// `GET /v3/downloads`
    pub downloads: u64,
    /// `GET /v3/countries` (the backend asks it whether a token is still accepted)
    pub countries: u64,
    /// `GET /v3/images/{id}` and `GET /v3/images?ids=`
    pub image: u64,
    /// `GET /v3/images/{id}/similar`
    pub similar: u64,
    /// `GET /v3/images/{id}/same-series`
    pub same_series: u64,
}

/// The endpoint a request is counted (and faults are injected) under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// OAuth token endpoint.
    Token,
    /// Any search endpoint.
    Search,
    /// Download endpoint.
    Download,
    /// The account's products.
    Products,
    /// Delivery file.
    Delivery,
    /// Rendition (thumb, preview, comp).
    Thumbnail,
    /// One image's download history.
    History,
    /// The account's past downloads.
    Downloads,
    /// The countries list.
    Countries,
    /// One image's metadata (or several images', `GET /v3/images?ids=`).
    Image,
    /// Images similar to one.
    Similar,
    /// Images of the same series as one.
    SameSeries,
}

#[derive(Debug, Default)]
struct Counters {
    token: AtomicU64,
    search: AtomicU64,
    download: AtomicU64,
    products: AtomicU64,
    delivery: AtomicU64,
    thumbnail: AtomicU64,
    history: AtomicU64,
    downloads: AtomicU64,
    countries: AtomicU64,
    image: AtomicU64,
    similar: AtomicU64,
    same_series: AtomicU64,
}

#[derive(Debug)]
struct Shared {
    client_secret: Secret,
    delivery_key: Secret,
    counters: Counters,
    tokens: Mutex<TokenStore>,
    account: Mutex<Account>,
    restricted_sizes: Mutex<Vec<DisplaySize>>,
    subjects: Mutex<Subjects>,
    faults: FaultQueue,
}

/// Handle on the sandbox's state; cheap to clone.
#[derive(Debug, Clone)]
pub struct Sandbox {
    shared: Arc<Shared>,
}

impl Sandbox {
    /// A fresh sandbox with a random client secret, no tokens issued and the default account.
    pub fn new() -> Result<Self, getrandom::Error> {
        Ok(Self {
            shared: Arc::new(Shared {
                client_secret: Secret::new(random_hex(24)?),
                delivery_key: Secret::new(random_hex(32)?),
                counters: Counters::default(),
                tokens: Mutex::new(TokenStore::default()),
                account: Mutex::new(Account::default()),
                restricted_sizes: Mutex::new(Vec::new()),
                subjects: Mutex::new(Subjects::default()),
                faults: FaultQueue::default(),
            }),
        })
    }

    /// Snapshot of requests received per endpoint.
    pub fn counts(&self) -> SandboxCounts {
        let c = &self.shared.counters;
        SandboxCounts {
            token: c.token.load(Ordering::Relaxed),
            search: c.search.load(Ordering::Relaxed),
            download: c.download.load(Ordering::Relaxed),
            products: c.products.load(Ordering::Relaxed),
            delivery: c.delivery.load(Ordering::Relaxed),
            thumbnail: c.thumbnail.load(Ordering::Relaxed),
            history: c.history.load(Ordering::Relaxed),
            downloads: c.downloads.load(Ordering::Relaxed),
            countries: c.countries.load(Ordering::Relaxed),
            image: c.image.load(Ordering::Relaxed),
            similar: c.similar.load(Ordering::Relaxed),
            same_series: c.same_series.load(Ordering::Relaxed),
        }
    }

    /// The sandbox's OAuth client secret, generated per run (tests use it to call `/oauth2/token`).
    pub fn client_secret(&self) -> &str {
        self.shared.client_secret.expose()
    }

    /// Revokes every access token issued so far (a credential rotation at Getty); returns how many.
    pub fn revoke_access_tokens(&self) -> usize {
        self.tokens().revoke_all()
    }

    /// Revokes one access token; whether the sandbox had issued it and it was still known.
    pub fn revoke_access_token(&self, token: &str) -> bool {
        self.tokens().revoke(token)
    }

    /// The query of a delivery link for image `id` that expires at `expires` (Unix seconds):
    /// `k=<signature>&e=<expires>`, after Getty's delivery links.
    pub fn delivery_query(&self, id: &str, expires: u64) -> String {
        let key = auth::delivery_signature(&self.shared.delivery_key, id, expires);
        format!("k={key}&e={expires}")
    }

    /// Replaces the account's products (and so what searches offer and downloads may spend).
    pub fn set_products(&self, products: Vec<Product>) {
        self.account().products = products;
    }

    /// The account's products as they are now (remaining counts included).
    pub fn products(&self) -> Vec<Product> {
        self.account().products.clone()
    }

    /// Every successful download so far, oldest first (seeded past downloads included).
    pub fn downloads_log(&self) -> Vec<DownloadRecord> {
        self.account().log.clone()
    }

    /// Adds a download made before the sandbox started to the account's history, spending
    /// nothing: the download history endpoints list it as they list the downloads counted.
    /// Refused if the image is unknown or the product is not one of the account's.
    pub fn seed_download(&self, past: PastDownload) -> Result<DownloadRecord, SandboxError> {
        let asset =
            data::lookup(&past.id).ok_or_else(|| SandboxError::ImageNotFound(past.id.clone()))?;
        self.account().seed(PastDownload {
            id: asset.id,
            ..past
        })
    }

    /// From now on, refuses searches asking for any of `sizes` (`thumb`, `preview`, `comp`; other
    /// names are ignored) with 403 `UnauthorizedDisplaySize`, as Getty does for keys without
    /// them; an empty list lifts the restriction.
    pub fn restrict_display_sizes(&self, sizes: &[&str]) {
        let sizes = sizes.iter().filter_map(|s| DisplaySize::parse(s)).collect();
        *self
            .shared
            .restricted_sizes
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = sizes;
    }

    /// Remembers that `images` were shown for `phrase` (see [`subjects`]).
    fn remember_subjects(&self, images: &[data::Image], phrase: &str) {
        let mut subjects = self.subjects();
        for image in images {
            subjects.remember(&image.asset.id, phrase);
        }
    }

    /// The phrase image `id` was last shown for, or the empty phrase.
    fn subject_of(&self, id: &str) -> String {
        self.subjects().phrase_of(id).unwrap_or_default().to_owned()
    }

    /// Refuses `fields` if they ask for a display size the key may not use.
    fn check_display_sizes(&self, fields: Fields) -> Result<(), SandboxError> {
        let restricted = self
            .shared
            .restricted_sizes
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let refused: Vec<&str> = restricted
            .iter()
            .filter(|size| fields.wants(**size))
            .map(|size| size.as_str())
            .collect();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(SandboxError::UnauthorizedDisplaySize(refused.join(", ")))
        }
    }

    /// Makes the next `times` answers of `endpoint` suffer `fault` (queued after earlier injections).
    pub fn inject(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        self.shared.faults.push(endpoint, fault, times);
    }

    /// Drops all pending injections.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Counts one request to `endpoint`.
    fn count(&self, endpoint: Endpoint) {
        let c = &self.shared.counters;
        let counter = match endpoint {
            Endpoint::Token => &c.token,
            Endpoint::Search => &c.search,
            Endpoint::Download => &c.download,
            Endpoint::Products => &c.products,
            Endpoint::Delivery => &c.delivery,
            Endpoint::Thumbnail => &c.thumbnail,
            Endpoint::History => &c.history,
            Endpoint::Downloads => &c.downloads,
            Endpoint::Countries => &c.countries,
            Endpoint::Image => &c.image,
            Endpoint::Similar => &c.similar,
            Endpoint::SameSeries => &c.same_series,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The subjects of the images shown so far; poisoning is ignored, as no code path panics
    /// while holding it.
    fn subjects(&self) -> MutexGuard<'_, Subjects> {
        self.shared
            .subjects
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The token store; a panic elsewhere cannot corrupt it, so poisoning is ignored.
    fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        self.shared
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The account; every check-and-spend holds this lock, so two clicks never spend the last
    /// download twice. Poisoning is ignored: no code path panics while holding it.
    fn account(&self) -> MutexGuard<'_, Account> {
        self.shared
            .account
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The sandbox routes, with Getty's CORS policy on the API routes (none on the token endpoint).
    pub fn router(&self) -> Router {
        let cors = CorsLayer::new()
            .allow_origin(Any)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                HeaderName::from_static("authorization"),
                HeaderName::from_static("api-key"),
                HeaderName::from_static("accept-language"),
                HeaderName::from_static("content-type"),
            ]);
        let search = Endpoint::Search;
        // The CORS layer sits outside the per-route gate, so it answers preflights uncounted
        // and still decorates faulted answers for the browser.
        let api = Router::new()
            .route(
                "/v3/search/images",
                self.gate(search, get(handlers::search_images)),
            )
            .route(
                "/v3/search/images/creative",
                self.gate(search, get(handlers::search_creative)),
            )
            .route(
                "/v3/search/images/editorial",
                self.gate(search, get(handlers::search_editorial)),
            )
            .route(
                "/v3/downloads/images/{id}",
                self.gate(Endpoint::Download, post(handlers::download)),
            )
            .route(
                "/v3/products",
                self.gate(Endpoint::Products, get(handlers::products)),
            )
            .route(
                "/v3/images/{id}/downloadhistory",
                self.gate(Endpoint::History, get(history::image_history)),
            )
            .route(
                "/v3/downloads",
                self.gate(Endpoint::Downloads, get(history::downloads)),
            )
            .route(
                "/v3/countries",
                self.gate(Endpoint::Countries, get(handlers::countries)),
            )
            .route(
                "/v3/images",
                self.gate(Endpoint::Image, get(metadata::images)),
            )
            .route(
                "/v3/images/{id}",
                self.gate(Endpoint::Image, get(metadata::image)),
            )
            .route(
                "/v3/images/{id}/similar",
                self.gate(Endpoint::Similar, get(metadata::similar)),
            )
            .route(
                "/v3/images/{id}/same-series",
                self.gate(Endpoint::SameSeries, get(metadata::same_series)),
            )
            .route("/v3/{*rest}", any(handlers::unknown_path))
            .route(
                "/sandbox/media/{size}/{file}",
                self.gate(Endpoint::Thumbnail, get(handlers::media)),
            )
            .route(
                "/sandbox/delivery/downloads/{id}",
                self.gate(Endpoint::Delivery, get(handlers::delivery)),
            )
            .layer(cors);
        Router::new()
            .route(
                "/oauth2/token",
                self.gate(Endpoint::Token, post(handlers::oauth_token)),
            )
            .merge(api)
            .with_state(self.clone())
    }

    /// Wraps `route`'s handlers (not its 405 fallback) so each request is counted under
    /// `endpoint` and may be faulted.
    fn gate(&self, endpoint: Endpoint, route: MethodRouter<Sandbox>) -> MethodRouter<Sandbox> {
        route.route_layer(middleware::from_fn_with_state(
            (self.clone(), endpoint),
            counted_and_faulted,
        ))
    }
}

/// Counts the request on arrival, then answers it as its endpoint's next pending fault says.
async fn counted_and_faulted(
    State((sandbox, endpoint)): State<(Sandbox, Endpoint)>,
    request: Request,
    next: Next,
) -> Response {
    sandbox.count(endpoint);
    // `pop` releases the queue's lock before any fault awaits (a delay, the handler).
    match sandbox.shared.faults.pop(endpoint) {
        Some(fault) => faults::apply(fault, endpoint, request, next).await,
        None => next.run(request).await,
    }
}
