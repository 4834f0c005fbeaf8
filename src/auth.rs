//! The widget's token cache: one token per picker, reused until shortly before it expires.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures::future::{FutureExt, LocalBoxFuture, Shared};

use crate::getty::{ApiError, Service, TokenAnswer};
use wasm_bindgen::JsCast;

use crate::transport::{decode, post_to_token_service, read};

/// Stop using a token this long before the backend says it expires, to allow for clock and
/// network delays.
const MARGIN_MS: f64 = 60_000.0;

/// Lifetime assumed when the backend does not say; short, so a wrong guess costs little.
const ASSUMED_LIFETIME_SECS: u64 = 300;

/// A bearer token, the backend's id for it, and the instant (ms since the epoch) after which
/// it is no longer used.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    value: String,
    id: Option<String>,
    reuse_until_ms: f64,
    search_only: bool,
    role_only: bool,
}

/// Why the next token request is made.
#[derive(Debug, Clone, PartialEq)]
enum Need {
    /// No token yet, or the last one expired.
    First,
    /// Getty refused the token with this backend id (if the backend gave one): the backend is
    /// asked to replace exactly that one.
    Replace(Option<String>),
}

type PendingToken = Shared<LocalBoxFuture<'static, Result<Token, ApiError>>>;

enum State {
    /// No usable token; the next request says why.
    Empty(Need),
    Ready(Token),
    /// A request is under way; everyone who needs a token awaits this one.
    Fetching(PendingToken),
}

/// Caches the token from the backend and shares one request among concurrent callers.
pub struct TokenCache {
    token_url: String,
    /// The CMS's ticket for the editor, sent with every token request.
    ticket: Option<String>,
    state: RefCell<State>,
    /// What the last token answer said: its tokens search but cannot download.
    search_only: Cell<bool>,
    /// What the last token answer said: the editor's role lets them choose, not license.
    role_only: Cell<bool>,
}

thread_local! {
    /// Caches by token URL (and ticket), so pickers on one page share their token and its
    /// requests. (A list: a page has one token URL or a few.)
    static SHARED: RefCell<Vec<Weak<TokenCache>>> = const { RefCell::new(Vec::new()) };
    /// The entry module's token requests made before the wasm was ready (see [`use_early`]).
    static EARLY: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Takes the token requests the entry module made before the wasm was ready: `take(url,
/// ticket)` returns the pending `fetch` (a promise of its `Response`) for that token URL and
/// ticket, once, or `undefined`. The editor typing into the early search box means a search is
/// coming, so its token is asked for while the wasm loads (`packaging/shell.js`), and the first
/// token request of that URL's cache adopts the answer instead of asking again.
pub fn use_early(take: js_sys::Function) {
    EARLY.with_borrow_mut(|early| *early = Some(take));
}

/// The entry module's pending token request for `url` and `ticket`, if it made one.
fn early_request(url: &str, ticket: Option<&str>) -> Option<js_sys::Promise> {
    let take = EARLY.with_borrow(Clone::clone)?;
    let ticket = ticket.map_or(wasm_bindgen::JsValue::NULL, wasm_bindgen::JsValue::from_str);
    take.call2(&wasm_bindgen::JsValue::NULL, &url.into(), &ticket)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}

impl TokenCache {
    /// An empty cache for the backend at `token_url`, asking with `ticket` if given.
    pub fn new(token_url: String, ticket: Option<String>) -> Self {
        Self {
            token_url,
            ticket,
            state: RefCell::new(State::Empty(Need::First)),
            search_only: Cell::new(false),
            role_only: Cell::new(false),
        }
    }

    /// Whether the backend said its tokens cannot download (it has no Getty user); known once
    /// a token was fetched.
    pub fn search_only(&self) -> bool {
        self.search_only.get()
    }

    /// Whether the backend said this editor may only search and choose, because of their role
    /// (someone else licenses); known once a token was fetched.
    pub fn role_only(&self) -> bool {
        self.role_only.get()
    }

    /// The page's cache for `token_url` and `ticket`, made on first use and freed with its
    /// last picker.
    pub fn shared(token_url: &str, ticket: Option<&str>) -> Rc<Self> {
        SHARED.with(|shared| {
            let mut shared = shared.borrow_mut();
            shared.retain(|cache| cache.strong_count() > 0);
            let known = shared
                .iter()
                .filter_map(Weak::upgrade)
                .find(|cache| cache.token_url == token_url && cache.ticket.as_deref() == ticket);
            known.unwrap_or_else(|| {
                let cache = Rc::new(Self::new(token_url.to_owned(), ticket.map(str::to_owned)));
                shared.push(Rc::downgrade(&cache));
                cache
            })
        })
    }

    /// A usable token: the cached one, the one being fetched, or a new one.
    pub async fn token(&self) -> Result<String, ApiError> {
        let pending = {
            let mut state = self.state.borrow_mut();
            match &*state {
                State::Ready(token) if js_sys::Date::now() < token.reuse_until_ms => {
                    return Ok(token.value.clone());
                }
                State::Fetching(pending) => pending.clone(),
                State::Ready(_) => self.start_fetch(&mut state, &Need::First),
                State::Empty(need) => {
                    let need = need.clone();
                    self.start_fetch(&mut state, &need)
                }
            }
        };
        let result = pending.clone().await;
        let mut state = self.state.borrow_mut();
        // Only the request still current may fill the cache; an older one lost the race.
        if matches!(&*state, State::Fetching(current) if current.ptr_eq(&pending)) {
            *state = match &result {
                Ok(token) => {
                    self.search_only.set(token.search_only);
                    self.role_only.set(token.role_only);
                    State::Ready(token.clone())
                }
                Err(_) => State::Empty(Need::First),
            };
        }
        result.map(|token| token.value)
    }

    /// Forgets `rejected` after Getty refused it, so the next call fetches a fresh token.
    pub fn invalidate(&self, rejected: &str) {
        let mut state = self.state.borrow_mut();
        let id = match &*state {
            State::Ready(token) if token.value == rejected => token.id.clone(),
            _ => return,
        };
        *state = State::Empty(Need::Replace(id));
    }

    fn start_fetch(&self, state: &mut State, need: &Need) -> PendingToken {
        let url = match need {
            Need::First => self.token_url.clone(),
            Need::Replace(Some(id)) => {
                crate::getty::url::with_query(&self.token_url, &[("refresh", "1"), ("refused", id)])
            }
            Need::Replace(None) => {
                crate::getty::url::with_query(&self.token_url, &[("refresh", "1")])
            }
        };
        let early = match need {
            Need::First => early_request(&self.token_url, self.ticket.as_deref()),
            Need::Replace(_) => None,
        };
        let pending = fetch_token(url, self.ticket.clone(), early)
            .boxed_local()
            .shared();
        *state = State::Fetching(pending.clone());
        pending
    }
}

/// Asks the backend at `url` for a token, or reads the answer to the entry module's `early`
/// request of the same.
async fn fetch_token(
    url: String,
    ticket: Option<String>,
    early: Option<js_sys::Promise>,
) -> Result<Token, ApiError> {
    let answer = match early {
        Some(early) => {
            let response = js_sys::futures::JsFuture::from(early)
                .await
                .ok()
                .and_then(|response| response.dyn_into::<web_sys::Response>().ok())
                .ok_or_else(|| ApiError::Network {
                    service: Service::TokenService,
                    detail: "the connection failed".into(),
                })?;
            read(response, Service::TokenService).await?
        }
        None => post_to_token_service(&url, ticket.as_deref()).await?,
    };
    let answer: TokenAnswer = decode(answer, Service::TokenService)?;
    let role_only = answer.role_only();
    let value = answer.access_token.ok_or_else(|| ApiError::Malformed {
        service: Service::TokenService,
        detail: "no access_token".into(),
    })?;
    Ok(Token {
        reuse_until_ms: reuse_until_ms(js_sys::Date::now(), answer.expires_in),
        role_only,
        id: answer.token_id,
        search_only: answer.search_only,
        value,
    })
}

/// When a token received at `now_ms` with `expires_in` seconds to live stops being reused.
fn reuse_until_ms(now_ms: f64, expires_in: Option<u64>) -> f64 {
    let lifetime_ms = expires_in.unwrap_or(ASSUMED_LIFETIME_SECS) as f64 * 1000.0;
    // A short-lived token keeps half its life as margin rather than being refetched at once.
    now_ms + (lifetime_ms - MARGIN_MS).max(lifetime_ms / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_until_a_minute_before_expiry() {
        assert_eq!(reuse_until_ms(1_000.0, Some(1800)), 1_000.0 + 1_740_000.0);
    }

    #[test]
    fn short_lived_tokens_keep_half_their_life() {
        assert_eq!(reuse_until_ms(0.0, Some(60)), 30_000.0);
        assert_eq!(reuse_until_ms(0.0, Some(0)), 0.0);
    }

    #[test]
    fn unknown_lifetime_is_assumed_short() {
        assert_eq!(reuse_until_ms(0.0, None), 240_000.0);
    }
}
