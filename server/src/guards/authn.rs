//! Who may get a token, and of which scope: a ticket signed by the CMS, the forward-auth
//! service, or (sandbox, or when the operator opted in) anyone who passes the Origin check and
//! the rate limit. The rate limit is applied here too, once the outcome is known: requests
//! that fail authentication count in a bucket of their own, and once that bucket is used up
//! only tickets and credentials that passed lately are still heard.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::forward_auth::{AuthError, ForwardAuth};
use super::known_credentials::KnownCredentials;
use super::rate_limit::{Bucket, RateLimiter};
use super::scope::Scope;
use crate::error::{ApiError, HttpError};
use crate::settings::Callers;
use crate::ticket::{unix_now, TicketError, TicketVerifier};
use crate::token::ClientKey;

/// The configured ways of authenticating a token request.
#[derive(Debug, Default)]
pub struct TokenAuth {
    /// Forward-auth service, if `PICKER_AUTH_URL` is set.
    pub forward: Option<ForwardAuth>,
    /// Ticket verifier, if `PICKER_TICKET_SECRET` is set.
    pub tickets: Option<TicketVerifier>,
}

/// Why authentication refused a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthRefusal {
    /// The ticket was missing or not valid.
    #[error(transparent)]
    Ticket(TicketError),
    /// The forward-auth service refused (or could not be asked).
    #[error(transparent)]
    Forward(AuthError),
}

impl HttpError for AuthRefusal {
    fn status(&self) -> StatusCode {
        match self {
            Self::Ticket(error) => error.status(),
            Self::Forward(error) => error.status(),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Ticket(error) => HttpError::code(error),
            Self::Forward(error) => error.code(),
        }
    }
}

impl TokenAuth {
    /// The checks `callers` asks for; forward-auth goes through the shared upstream client.
    pub fn new(callers: &Callers, http: &reqwest::Client) -> Self {
        Self {
            forward: callers
                .forward_auth()
                .map(|auth| ForwardAuth::new(http.clone(), auth.url.clone())),
            tickets: callers.tickets().cloned(),
        }
    }

    /// The scope the caller sending `headers` may have: a request carrying a ticket is decided
    /// by the ticket; any other by forward-auth if configured, else refused if tickets are
    /// configured; with neither, everyone gets the full scope (sandbox or the explicit
    /// anonymous opt-out, both checked at start).
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Scope, AuthRefusal> {
        let ticket = headers
            .get_all(AUTHORIZATION)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(TicketVerifier::ticket_of);
        match (&self.tickets, ticket, &self.forward) {
            (Some(verifier), Some(ticket), _) => match verifier.verify(ticket, unix_now()) {
                Ok(ticket) => {
                    tracing::debug!(user = %ticket.user, scope = ticket.scope.as_str(), "ticket accepted");
                    Ok(ticket.scope)
                }
                Err(refused) => Err(AuthRefusal::Ticket(refused)),
            },
            (_, _, Some(forward)) => forward.check(headers).await.map_err(AuthRefusal::Forward),
            (Some(_), None, None) => Err(AuthRefusal::Ticket(TicketError::Missing)),
            (None, _, None) => Ok(Scope::License),
        }
    }
}

/// What the `/token` middleware needs: who decides, the rate limiter, and the credentials
/// that passed lately.
#[derive(Clone)]
pub struct Authn {
    /// The configured ways of authenticating.
    pub auth: Arc<TokenAuth>,
    /// The per-client limit.
    pub limiter: Arc<RateLimiter>,
    /// Credentials that passed forward-auth lately, per client.
    pub known: Arc<KnownCredentials>,
}

impl TokenAuth {
    /// Whether `headers` carry a ticket that the ticket verifier decides alone (no remote call).
    fn ticket_decides(&self, headers: &HeaderMap) -> bool {
        self.tickets.is_some()
            && headers
                .get_all(AUTHORIZATION)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .any(|value| TicketVerifier::ticket_of(value).is_some())
    }
}

/// Middleware for `/token`: authenticates, counts the request in the bucket its outcome
/// belongs to, and hands the granted [`Scope`] and the [`ClientKey`] to the handler.
///
/// A client that has used up its allowance of refusals is refused before authentication
/// (sparing the auth service), unless its request carries a ticket (checked here, without any
/// remote call) or a credential that passed forward-auth from this client lately
/// ([`KnownCredentials`]), and its authenticated allowance is not used up too: an editor behind
/// the same address as a stream of refusals goes on getting tokens, while the stream's made-up
/// cookies no longer reach the auth service.
pub async fn require(
    State(authn): State<Authn>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let Authn {
        auth,
        limiter,
        known,
    } = authn;
    let client = limiter.client_of(&request);
    let now = Instant::now();
    let limited = |limited, refusal| ApiError::RateLimited {
        client,
        limited,
        refusal,
    };
    let by_ticket = auth.ticket_decides(request.headers());
    if let Some(refused) = limiter.exhausted(client, Bucket::Refused, now) {
        let heard = by_ticket || known.recognises(client, request.headers(), now);
        if !heard
            || limiter
                .exhausted(client, Bucket::Authenticated, now)
                .is_some()
        {
            return Err(limited(refused, None));
        }
    }
    match auth.authenticate(request.headers()).await {
        Ok(scope) => {
            if !by_ticket && auth.forward.is_some() {
                known.learn(client, request.headers(), now);
            }
            limiter
                .check(client, Bucket::Authenticated, now)
                .map_err(|over| limited(over, None))?;
            request.extensions_mut().insert(scope);
            request.extensions_mut().insert(ClientKey(client));
            Ok(next.run(request).await)
        }
        Err(refusal) => {
            // Whatever a refused request carried vouches for nobody any more. An auth service
            // that could not be asked refused nobody.
            if matches!(
                refusal,
                AuthRefusal::Forward(AuthError::NotAuthenticated | AuthError::Forbidden)
            ) {
                known.forget(client, request.headers());
            }
            Err(match limiter.check(client, Bucket::Refused, now) {
                Ok(()) => refusal.into(),
                Err(over) => limited(over, Some(refusal)),
            })
        }
    }
}
