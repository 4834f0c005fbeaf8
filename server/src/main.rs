//! `getty-picker-server`: parses the configuration, starts the server, stops on SIGINT/SIGTERM.

use std::process::ExitCode;

use clap::Parser;
use getty_picker_server::{start, Config, StartError};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr, leaving stdout to --help and --version.
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_json {
        logs.json().init();
    } else {
        logs.init();
    }
    let stop = shutdown_signal();
    let server = match start(config).await {
        Ok(server) => server,
        Err(StartError::Config(error)) => {
            eprintln!("getty-picker-server: {error}");
            // Same exit code clap uses for usage errors.
            return ExitCode::from(2);
        }
        Err(error) => {
            tracing::error!(%error, "cannot start");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %server.addr(), sandbox = server.sandbox().is_some(), "listening");
    stop.await;
    tracing::info!("shutting down; waiting for in-flight requests");
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// Resolves on SIGINT or SIGTERM (what container runtimes and systemd send), Ctrl-C elsewhere.
///
/// The handlers are installed when this is called, not when it is first polled: a SIGTERM
/// that arrives just after "listening" is logged must stop the server gracefully, not kill it.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let install = |kind: SignalKind, name: &'static str| {
            signal(kind)
                .map_err(|error| tracing::error!(%error, "cannot listen for {name}"))
                .ok()
        };
        let terminate = install(SignalKind::terminate(), "SIGTERM");
        let interrupt = install(SignalKind::interrupt(), "SIGINT");
        async move {
            let wait = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut stream) => {
                        stream.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(terminate) => {}
                () = wait(interrupt) => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}
