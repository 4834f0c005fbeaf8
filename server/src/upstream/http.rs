//! The one HTTP client for every upstream call (token endpoint, token check, forward-auth).

use std::time::Duration;

use crate::error::StartError;

/// The HTTP client for every upstream call, bounded by `timeout`.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, StartError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        // A forward-auth service redirecting to its login page means "not logged in", never 2xx.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(StartError::HttpClient)
}
