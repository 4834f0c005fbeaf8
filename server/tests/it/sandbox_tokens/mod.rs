//! Tokens straight from the sandbox's own `/oauth2/token`, of either kind, whatever grant the
//! backend itself uses.
#![allow(dead_code)]

use getty_picker_server::RunningServer;
use getty_sandbox::SANDBOX_API_KEY;
use reqwest::Client;
use serde_json::Value;

/// An access token from the sandbox for `grant` (`password` or `client_credentials`).
pub async fn sandbox_token(client: &Client, server: &RunningServer, grant: &str) -> String {
    let sandbox = server.sandbox().expect("sandbox mode");
    let mut form = vec![
        ("grant_type", grant),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", sandbox.client_secret()),
    ];
    if grant == "password" {
        form.extend([("username", "editor"), ("password", "sandbox")]);
    }
    let answer: Value = client
        .post(format!("http://{}/oauth2/token", server.addr()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&form).expect("form"))
        .send()
        .await
        .expect("token answered")
        .json()
        .await
        .expect("token json");
    answer["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// A user (password grant) token: downloads and products need one.
pub async fn user_token(client: &Client, server: &RunningServer) -> String {
    sandbox_token(client, server, "password").await
}

/// A client-credentials token: searches, but Getty refuses its downloads.
pub async fn client_token(client: &Client, server: &RunningServer) -> String {
    sandbox_token(client, server, "client_credentials").await
}
