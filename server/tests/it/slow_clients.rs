//! Slow and half-open clients cannot pin the server: a header-read timeout closes them, a cap
//! bounds the connections held at once, and a stop waits for in-flight requests only so long.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{backend, post_token, FakeUpstream};
use getty_picker_server::{start, Config, RunningServer};

async fn sandbox_with(configure: impl FnOnce(&mut Config)) -> RunningServer {
    let mut config = Config::sandbox();
    configure(&mut config);
    start(config).await.expect("sandbox starts")
}

/// Opens a connection that sends half a request head and then nothing.
fn half_open(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
}

/// Opens `n` half-open connections off the runtime, which must stay free to accept them.
async fn open_many(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    tokio::task::spawn_blocking(move || (0..n).map(|_| half_open(addr)).collect())
        .await
        .expect("task")
}

/// Blocks until the server closes `stream` (EOF or reset), returning what it sent first.
fn until_closed(mut stream: TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_half_open_request_is_closed_after_the_header_timeout() {
    let server = sandbox_with(|c| c.header_timeout_secs = 1).await;
    let addr = server.addr();
    let (answer, waited) = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let answer = until_closed(half_open(addr));
        (answer, started.elapsed())
    })
    .await
    .expect("task");
    // hyper closes it (408 or no answer at all) after 1 s instead of waiting forever; the
    // socket's own read timeout of 10 s was not what ended it.
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    let health = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn connections_over_the_cap_wait_and_are_served_once_slots_free() {
    let server = sandbox_with(|c| {
        c.header_timeout_secs = 2;
        c.max_connections = 4;
    })
    .await;
    let addr = server.addr();
    let idle = open_many(addr, 4).await;
    // Let the server accept all four and fill its slots.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let health = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("healthz");
    let waited = started.elapsed();
    assert_eq!(health.status(), StatusCode::OK);
    // Served only once the header timeout freed a slot: the cap held.
    assert!(waited >= Duration::from_millis(1200), "{waited:?}");
    assert!(waited < Duration::from_secs(6), "{waited:?}");
    let closed = tokio::task::spawn_blocking(move || idle.into_iter().map(until_closed).count())
        .await
        .expect("task");
    assert_eq!(closed, 4);
    server.shutdown().await;
}

#[tokio::test]
async fn many_half_open_connections_do_not_stop_the_server() {
    let server = sandbox_with(|c| {
        c.header_timeout_secs = 1;
        c.max_connections = 64;
    })
    .await;
    let addr = server.addr();
    let idle = open_many(addr, 300).await;
    let started = Instant::now();
    let health = reqwest::Client::new()
        .get(format!("http://{addr}/healthz"))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .expect("healthz answers while 300 clients stall");
    assert_eq!(health.status(), StatusCode::OK);
    eprintln!(
        "healthz answered {:?} after 300 stalled connections",
        started.elapsed()
    );
    drop(idle);
    server.shutdown().await;
}

#[tokio::test]
async fn shutdown_waits_for_in_flight_requests_only_until_the_deadline() {
    let upstream = FakeUpstream::ok().await;
    upstream.set_delay(Duration::from_secs(30));
    let server = backend(&upstream, |c| {
        c.upstream_timeout_secs = 60;
        c.shutdown_timeout_secs = 1;
    })
    .await;
    let addr = server.addr();
    let stuck = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("http://{addr}/token"))
            .send()
            .await
    });
    let stalled = tokio::task::spawn_blocking(move || half_open(addr))
        .await
        .expect("task");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    server.shutdown().await;
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    // The stuck request's connection was closed rather than answered.
    assert!(stuck.await.expect("task").is_err());
    let _ = tokio::task::spawn_blocking(move || until_closed(stalled)).await;
    assert!(reqwest::get(format!("http://{addr}/healthz"))
        .await
        .is_err());
}

#[tokio::test]
async fn shutdown_is_immediate_when_nothing_is_in_flight() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| c.shutdown_timeout_secs = 30).await;
    let (status, _) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    let started = Instant::now();
    server.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(2));
}
