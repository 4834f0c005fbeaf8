//! The connection loop: HTTP/1.1 with a header-read timeout, a cap on open connections and a
//! deadline for graceful shutdown, so slow or half-open clients cannot pin the server.
//!
//! `axum::serve` offers none of the three: a client that opens a connection and never finishes
//! its request head holds a file descriptor forever, and shutdown waits for it forever.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// Bounds on how clients may hold the server.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// Time a client has to send a complete request head, also between keep-alive requests.
    pub header_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// Time in-flight requests get after a stop before their connections are closed.
    pub shutdown_timeout: Duration,
}

/// Serves `app` on `listener` until `stop` resolves, then shuts down within the deadline.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServeLimits,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    // Past the deadline, every connection task drops its connection (closing the socket).
    let (deadline_tx, deadline_rx) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    tokio::pin!(stop);
    loop {
        // Waiting for a free slot before accepting leaves extra clients in the kernel's
        // backlog rather than holding a descriptor each.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // EMFILE and friends: back off instead of spinning; the loop goes on.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Small JSON answers: no reason to wait for Nagle.
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                // What `into_make_service_with_connect_info` would add; the rate limit reads it.
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        let mut deadline = deadline_rx.clone();
        tokio::spawn(async move {
            tokio::select! {
                result = connection => {
                    if let Err(error) = result {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                }
                _ = deadline.wait_for(|passed| *passed) => {}
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_timeout) => {
            tracing::warn!("shutdown deadline passed; closing the connections still open");
            let _ = deadline_tx.send(true);
            // Every task gives its slot back once its connection is dropped.
            let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
            let _ = tokio::time::timeout(Duration::from_secs(1), permits.acquire_many(all)).await;
        }
    }
    Ok(())
}
