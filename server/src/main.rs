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
    shutdown_signal().await;
    tracing::info!("shutting down; waiting for in-flight requests");
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// Resolves on Ctrl-C, or SIGTERM on Unix (what container runtimes and systemd send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
