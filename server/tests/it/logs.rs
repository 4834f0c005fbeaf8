//! A full run of the real binary at `RUST_LOG=trace`: no secret, password, token, refresh token
//! or cookie may appear in what it logs.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{
    field, Answer, FakeAuth, FakeUpstream, ACCESS_PREFIX, GOOD_SESSION, PASSWORD, REFRESH_PREFIX,
    SECRET,
};
use reqwest::StatusCode;
use serde_json::Value;

/// The ticket secret the binary is started with.
const TICKET_SECRET: &str = "logs0ticket0secret0which0is0long0enough";

/// The `addr` field of the binary's JSON "listening" line.
fn listening_addr(line: &str) -> Option<String> {
    let line: Value = serde_json::from_str(line).ok()?;
    (line["fields"]["message"] == "listening")
        .then(|| line["fields"]["addr"].as_str().map(str::to_owned))
        .flatten()
}

#[tokio::test]
async fn secrets_never_reach_the_logs() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_getty-picker-server"))
        .env_clear()
        .env("RUST_LOG", "trace")
        .env("PICKER_LOG_JSON", "1")
        .env("GETTY_API_KEY", "my-key")
        .env("GETTY_API_SECRET", SECRET)
        .env("GETTY_USERNAME", "editor@example.com")
        .env("GETTY_PASSWORD", PASSWORD)
        .env("GETTY_TOKEN_URL", &upstream.url)
        .env("GETTY_API_BASE", &upstream.api_base)
        .env("PICKER_AUTH_URL", &auth.url)
        .env("PICKER_ALLOWED_ORIGINS", "https://cms.example.com")
        .env("PICKER_REFRESH_MIN_AGE_SECS", "1")
        .env("PICKER_TICKET_SECRET", TICKET_SECRET)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the server binary");
    let stderr = child.stderr.take().expect("stderr");
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let mut log = Vec::new();
    let addr = loop {
        let line = lines_rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server logs that it listens");
        let addr = listening_addr(&line);
        log.push(line);
        if let Some(addr) = addr {
            break addr;
        }
    };

    let client = reqwest::Client::new();
    let cookie = format!("session={GOOD_SESSION}");
    let post = |query: &'static str| {
        client
            .post(format!("http://{addr}/token{query}"))
            .header("Origin", "https://cms.example.com")
            .header("Cookie", &cookie)
            .header("X-Forwarded-For", "203.0.113.5")
            .send()
    };
    // Issued by the password grant, then replaced by the refresh token.
    assert_eq!(post("").await.expect("token").status(), StatusCode::OK);
    // A ticket's signature is as secret as a cookie.
    let ticket = getty_picker_server::ticket::sign(
        TICKET_SECRET,
        "editor",
        getty_picker_server::ticket::unix_now() + 60,
    );
    let signature = ticket.rsplit('.').next().unwrap_or_default().to_owned();
    let by_ticket = client
        .post(format!("http://{addr}/token"))
        .header("Authorization", format!("GettyPicker-Ticket {ticket}"))
        .send()
        .await
        .expect("ticket");
    assert_eq!(by_ticket.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // Getty refuses the token (the check says so): replaced by the refresh token.
    upstream.revoke(&format!("{ACCESS_PREFIX}1"));
    assert_eq!(
        post("?refresh=1").await.expect("refresh").status(),
        StatusCode::OK
    );
    // Refresh token and password grant both fail: a 502.
    upstream.reject_refresh(true);
    upstream.set_answer(Answer::Status(500));
    upstream.revoke(&format!("{ACCESS_PREFIX}2"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let failed = post("?refresh=1").await.expect("failure");
    assert_eq!(failed.status(), StatusCode::BAD_GATEWAY);
    // Forward-auth refusal.
    let refused = client
        .post(format!("http://{addr}/token"))
        .header("Cookie", "session=intruder0cookie")
        .send()
        .await
        .expect("refused");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        upstream.grant_types(),
        ["password", "refresh_token", "refresh_token", "password"]
    );
    assert_eq!(
        field(&upstream.forms()[1], "refresh_token"),
        Some(format!("{REFRESH_PREFIX}1"))
    );

    // SIGTERM: a graceful stop, and the end of the log.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    reader.join().expect("reader");
    log.extend(lines_rx.try_iter());
    assert!(exit.success(), "{exit:?}");

    let log = log.join("\n");
    assert!(
        log.contains("\"level\":\"TRACE\""),
        "trace output was not captured"
    );
    for needle in [
        "obtained a new upstream token",
        "refresh token refused",
        "forward-auth refused",
        "shutting down",
    ] {
        assert!(log.contains(needle), "log lacks {needle:?}:\n{log}");
    }
    for secret in [
        SECRET,
        PASSWORD,
        ACCESS_PREFIX,
        REFRESH_PREFIX,
        GOOD_SESSION,
        "intruder0cookie",
        TICKET_SECRET,
        &signature,
    ] {
        assert!(
            !log.contains(secret),
            "{secret:?} leaked into the log:\n{log}"
        );
    }
}
