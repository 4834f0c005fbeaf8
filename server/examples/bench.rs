//! Load benchmark of `POST /token`: starts the backend in sandbox mode on loopback, warms the
//! token, then sends REQUESTS requests over CONCURRENCY connections and prints the figures.
//!
//! `cargo run --release -p getty-picker-server --example bench [-- REQUESTS CONCURRENCY]`

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use getty_picker_server::{start, Config};
use tokio::sync::Semaphore;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let requests = match args.next() {
        Some(Ok(n)) if n > 0 => n,
        None => 5000,
        _ => return usage(),
    };
    let concurrency = match args.next() {
        Some(Ok(n)) if n > 0 => n,
        None => 50,
        _ => return usage(),
    };
    let mut config = Config::sandbox();
    // The benchmark measures token serving; a per-client limit would turn it into a 429 benchmark.
    config.rate_limit = 0;
    let server = match start(config).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("bench: cannot start the backend: {error}");
            return ExitCode::FAILURE;
        }
    };
    let url = format!("http://{}/token", server.addr());
    let origin = format!("http://127.0.0.1:{}", server.addr().port());
    let client = match reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            eprintln!("bench: cannot build the HTTP client: {error}");
            return ExitCode::FAILURE;
        }
    };
    if !matches!(send(&client, &url, &origin).await, Ok(true)) {
        eprintln!("bench: warm-up token request failed");
        return ExitCode::FAILURE;
    }

    let permits = Arc::new(Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for _ in 0..requests {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let (client, url, origin) = (client.clone(), url.clone(), origin.clone());
        tasks.spawn(async move {
            let sent = Instant::now();
            let ok = matches!(send(&client, &url, &origin).await, Ok(true));
            drop(permit);
            (sent.elapsed(), ok)
        });
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut errors = 0usize;
    while let Some(result) = tasks.join_next().await {
        match result {
            Ok((latency, true)) => latencies.push(latency),
            _ => errors += 1,
        }
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let upstream_calls = server.sandbox().map_or(0, |s| s.counts().token);
    server.shutdown().await;

    println!("requests:             {requests} ({concurrency} concurrent connections)");
    println!("duration:             {:.3} s", elapsed.as_secs_f64());
    println!(
        "requests/s:           {:.0}",
        requests as f64 / elapsed.as_secs_f64()
    );
    println!(
        "p50 latency:          {}",
        millis(percentile(&latencies, 50))
    );
    println!(
        "p99 latency:          {}",
        millis(percentile(&latencies, 99))
    );
    println!("errors:               {errors}");
    println!("upstream token calls: {upstream_calls}");
    ExitCode::SUCCESS
}

fn usage() -> ExitCode {
    eprintln!("usage: bench [REQUESTS [CONCURRENCY]]  (defaults 5000 50)");
    ExitCode::from(2)
}

/// One `POST /token` as the widget sends it; `Ok(true)` for a 200 with a body read to the end.
async fn send(client: &reqwest::Client, url: &str, origin: &str) -> reqwest::Result<bool> {
    let response = client.post(url).header("Origin", origin).send().await?;
    let ok = response.status().is_success();
    response.bytes().await?;
    Ok(ok)
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: usize) -> Option<Duration> {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn millis(latency: Option<Duration>) -> String {
    latency.map_or_else(
        || "n/a".to_owned(),
        |d| format!("{:.2} ms", d.as_secs_f64() * 1000.0),
    )
}
