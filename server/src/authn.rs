//! Who may get a token: a ticket signed by the CMS, the forward-auth service, or (when the
//! operator opted in) anyone who passes the Origin check and the rate limit.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::forward_auth::ForwardAuth;
use crate::ticket::{unix_now, TicketError, TicketVerifier};

/// The configured ways of authenticating a token request.
#[derive(Debug, Default)]
pub struct TokenAuth {
    /// Forward-auth service, if `PICKER_AUTH_URL` is set.
    pub forward: Option<ForwardAuth>,
    /// Ticket verifier, if `PICKER_TICKET_SECRET` is set.
    pub tickets: Option<TicketVerifier>,
}

/// Middleware: a request carrying a ticket is decided by the ticket; any other by forward-auth
/// if configured, else refused if tickets are configured; with neither it passes (sandbox or
/// the explicit anonymous opt-out, both checked at start).
pub async fn require(State(auth): State<Arc<TokenAuth>>, request: Request, next: Next) -> Response {
    let ticket = request
        .headers()
        .get_all(AUTHORIZATION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(TicketVerifier::ticket_of);
    match (&auth.tickets, ticket, &auth.forward) {
        (Some(verifier), Some(ticket), _) => match verifier.verify(ticket, unix_now()) {
            Ok(user) => tracing::debug!(%user, "ticket accepted"),
            Err(refused) => {
                tracing::info!(reason = ?refused, "refused a token request's ticket");
                return refused.into_response();
            }
        },
        (_, _, Some(forward)) => {
            if let Err(refused) = forward.check(request.headers()).await {
                tracing::info!(reason = ?refused, "forward-auth refused a token request");
                return refused.into_response();
            }
        }
        (Some(_), None, None) => {
            tracing::info!("refused a token request without a ticket");
            return TicketError::Missing.into_response();
        }
        (None, _, None) => {}
    }
    next.run(request).await
}
