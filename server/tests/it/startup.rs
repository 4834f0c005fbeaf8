//! The real binary at start: secure by default (exit code 2 without a way to authenticate),
//! a warning for the anonymous opt-out, and no identifying setting in `--help` or the log.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{FakeAuth, FakeUpstream, SECRET};

const API_KEY: &str = "key0which0is0private";
const USERNAME: &str = "editor0login0name";
const TICKET_SECRET: &str = "ticket0secret0which0is0long0enough0";

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_getty-picker-server"));
    command
        .env_clear()
        .env("GETTY_API_KEY", API_KEY)
        .env("GETTY_API_SECRET", SECRET)
        .args(["--listen", "127.0.0.1:0"])
        .stdin(Stdio::null());
    command
}

/// Runs `command` until it logs "listening" (returns the log so far), then stops it with SIGTERM.
fn log_until_listening(mut command: Command) -> String {
    let mut child = command
        .env("PICKER_LOG_JSON", "1")
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
    while let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(20)) {
        let listening = line.contains("\"message\":\"listening\"");
        log.push(line);
        if listening {
            break;
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let exit = child.wait().expect("wait");
    reader.join().expect("reader");
    log.extend(lines_rx.try_iter());
    let log = log.join("\n");
    assert!(exit.success(), "{exit:?}\n{log}");
    assert!(log.contains("listening"), "{log}");
    log
}

#[test]
fn without_authentication_it_refuses_to_start_with_exit_code_2() {
    let output = server().output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for way in [
        "PICKER_AUTH_URL",
        "PICKER_TICKET_SECRET",
        "--allow-anonymous-tokens",
        "PICKER_ALLOW_ANONYMOUS_TOKENS",
    ] {
        assert!(stderr.contains(way), "{way} missing from: {stderr}");
    }
    // A weak ticket secret is no way forward either.
    let output = server()
        .env("PICKER_TICKET_SECRET", "short")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 32"));
}

#[tokio::test]
async fn each_way_forward_starts_and_anonymous_tokens_are_warned_about() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let mut anonymous = server();
    anonymous
        .env("GETTY_TOKEN_URL", &upstream.url)
        .env("PICKER_ALLOW_ANONYMOUS_TOKENS", "true");
    let log = tokio::task::spawn_blocking(move || log_until_listening(anonymous))
        .await
        .expect("task");
    assert!(
        log.contains("\"level\":\"WARN\"") && log.contains("anyone who can reach /token"),
        "{log}"
    );
    let mut flag = server();
    flag.env("GETTY_TOKEN_URL", &upstream.url)
        .arg("--allow-anonymous-tokens");
    let log = tokio::task::spawn_blocking(move || log_until_listening(flag))
        .await
        .expect("task");
    assert!(log.contains("anyone who can reach /token"), "{log}");
    for (name, value) in [
        ("PICKER_AUTH_URL", auth.url.clone()),
        ("PICKER_TICKET_SECRET", TICKET_SECRET.to_owned()),
    ] {
        let mut command = server();
        command
            .env("GETTY_TOKEN_URL", &upstream.url)
            .env(name, value);
        let log = tokio::task::spawn_blocking(move || log_until_listening(command))
            .await
            .expect("task");
        assert!(
            !log.contains("anyone who can reach /token"),
            "{name}: {log}"
        );
    }
    assert_eq!(upstream.calls(), 0, "starting asks upstream nothing");
}

#[tokio::test]
async fn help_and_the_start_up_log_show_no_credentials() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let token_url = upstream
        .url
        .replacen("http://", "http://tokenuser:tokenpa55@", 1);
    let auth_url = auth.url.replacen("http://", "http://authuser:authpa55@", 1);
    let private = [
        API_KEY,
        SECRET,
        USERNAME,
        "hunter2pa55word",
        "tokenuser",
        "tokenpa55",
        "authuser",
        "authpa55",
        TICKET_SECRET,
    ];
    let configure = |command: &mut Command| {
        command
            .env("GETTY_USERNAME", USERNAME)
            .env("GETTY_PASSWORD", "hunter2pa55word")
            .env("GETTY_TOKEN_URL", &token_url)
            .env("PICKER_AUTH_URL", &auth_url)
            .env("PICKER_TICKET_SECRET", TICKET_SECRET)
            .env("RUST_LOG", "trace");
    };
    let mut help = server();
    configure(&mut help);
    let output = help.arg("--help").output().expect("help");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(text.contains("GETTY_TOKEN_URL") && text.contains("PICKER_TICKET_SECRET"));
    for value in private {
        assert!(!text.contains(value), "--help shows {value:?}:\n{text}");
    }
    let mut run = server();
    configure(&mut run);
    let log = tokio::task::spawn_blocking(move || log_until_listening(run))
        .await
        .expect("task");
    assert!(log.contains("token source configured"), "{log}");
    // A Getty user is configured: downloads work, nothing to warn about.
    assert!(!log.contains("search only"), "{log}");
    for value in private {
        assert!(!log.contains(value), "the log shows {value:?}:\n{log}");
    }
}

#[tokio::test]
async fn search_only_is_warned_about_at_start() {
    let upstream = FakeUpstream::ok().await;
    let mut keys_only = server();
    keys_only
        .env("GETTY_TOKEN_URL", &upstream.url)
        .env("PICKER_TICKET_SECRET", TICKET_SECRET);
    let log = tokio::task::spawn_blocking(move || log_until_listening(keys_only))
        .await
        .expect("task");
    let warning = log
        .lines()
        .find(|line| line.contains("search only: downloads need GETTY_USERNAME and GETTY_PASSWORD"))
        .unwrap_or_else(|| panic!("no search-only warning in:\n{log}"));
    assert!(warning.contains("\"level\":\"WARN\""), "{warning}");

    let mut sandbox = Command::new(env!("CARGO_BIN_EXE_getty-picker-server"));
    sandbox
        .env_clear()
        .args([
            "--sandbox",
            "--sandbox-search-only",
            "--listen",
            "127.0.0.1:0",
        ])
        .stdin(Stdio::null());
    let log = tokio::task::spawn_blocking(move || log_until_listening(sandbox))
        .await
        .expect("task");
    assert!(log.contains("search only: downloads need"), "{log}");

    let mut sandbox = Command::new(env!("CARGO_BIN_EXE_getty-picker-server"));
    sandbox
        .env_clear()
        .args(["--sandbox", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null());
    let log = tokio::task::spawn_blocking(move || log_until_listening(sandbox))
        .await
        .expect("task");
    assert!(!log.contains("search only"), "{log}");
    assert_eq!(upstream.calls(), 0, "starting asks upstream nothing");
}

#[test]
fn a_predictable_ticket_secret_is_refused_with_exit_code_2() {
    for weak in ["x".repeat(32), "password".repeat(4)] {
        let output = server()
            .env("PICKER_TICKET_SECRET", &weak)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{weak}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("too little entropy"), "{stderr}");
        assert!(
            !stderr.contains(&weak),
            "the secret is not repeated: {stderr}"
        );
    }
}

#[tokio::test]
async fn a_plain_http_auth_url_to_another_host_needs_the_flag_and_is_warned_about() {
    let upstream = FakeUpstream::ok().await;
    // Never contacted: a name that is not loopback is enough to be refused.
    let insecure = "http://cms.internal.example:8000/auth";
    let output = server()
        .env("GETTY_TOKEN_URL", &upstream.url)
        .env("PICKER_AUTH_URL", insecure)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unencrypted") && stderr.contains("--allow-insecure-auth-url"),
        "{stderr}"
    );
    let mut allowed = server();
    allowed
        .env("GETTY_TOKEN_URL", &upstream.url)
        .env("PICKER_AUTH_URL", insecure)
        .env("PICKER_ALLOW_INSECURE_AUTH_URL", "true");
    let log = tokio::task::spawn_blocking(move || log_until_listening(allowed))
        .await
        .expect("task");
    let warning = log
        .lines()
        .find(|line| line.contains("unencrypted"))
        .unwrap_or_else(|| panic!("no warning in:\n{log}"));
    assert!(warning.contains("\"level\":\"WARN\""), "{warning}");
    // Loopback needs no flag.
    let mut loopback = server();
    loopback
        .env("GETTY_TOKEN_URL", &upstream.url)
        .env("PICKER_AUTH_URL", "http://127.0.0.1:9/auth");
    let log = tokio::task::spawn_blocking(move || log_until_listening(loopback))
        .await
        .expect("task");
    assert!(!log.contains("unencrypted"), "{log}");
}

#[test]
fn sandbox_search_only_without_sandbox_is_refused() {
    let output = server()
        .env("PICKER_TICKET_SECRET", TICKET_SECRET)
        .env("PICKER_SANDBOX_SEARCH_ONLY", "true")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("only applies with --sandbox"));
}

/// Runs `command` and returns its exit code and stderr, or `None` (the process killed) if it
/// is still running after 20 s: a server that should have refused to start has started.
fn refusal(mut command: Command) -> Option<(Option<i32>, String)> {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the server binary");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                std::io::Read::read_to_string(&mut pipe, &mut stderr).expect("stderr");
            }
            return Some((status.code(), stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn the_sandbox_refuses_to_start_beside_real_credentials_with_exit_code_2() {
    let sandbox = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_getty-picker-server"));
        command
            .env_clear()
            .env("PICKER_SANDBOX", "true")
            .args(["--listen", "127.0.0.1:0"])
            .stdin(Stdio::null());
        command
    };
    let real_token_url = "https://authentication.gettyimages.com/oauth2/token";
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("GETTY_API_SECRET", SECRET)], "GETTY_API_SECRET"),
        (
            &[("GETTY_API_KEY", API_KEY), ("GETTY_API_SECRET", SECRET)],
            "GETTY_API_KEY, GETTY_API_SECRET",
        ),
        (
            &[("GETTY_USERNAME", USERNAME), ("GETTY_PASSWORD", SECRET)],
            "GETTY_USERNAME, GETTY_PASSWORD",
        ),
        (&[("GETTY_PASSWORD", SECRET)], "GETTY_PASSWORD"),
        (&[("GETTY_TOKEN_URL", real_token_url)], "GETTY_TOKEN_URL"),
    ];
    for (settings, named) in cases {
        let mut command = sandbox();
        command.envs(settings.iter().copied());
        let (code, stderr) =
            refusal(command).unwrap_or_else(|| panic!("{settings:?}: the sandbox started"));
        assert_eq!(code, Some(2), "{settings:?}: {stderr}");
        assert!(
            stderr.contains("PICKER_SANDBOX") && stderr.contains(&format!("({named})")),
            "{settings:?}: {stderr}"
        );
        for (_, value) in *settings {
            assert!(!stderr.contains(value), "a value is repeated: {stderr}");
        }
    }
    // The flag too.
    let mut flag = Command::new(env!("CARGO_BIN_EXE_getty-picker-server"));
    flag.env_clear()
        .env("GETTY_API_SECRET", SECRET)
        .args(["--sandbox", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null());
    let refused = refusal(flag).expect("the sandbox did not start");
    assert_eq!(refused.0, Some(2), "{}", refused.1);
    // Empty values count as unset.
    let mut empty = sandbox();
    empty.env("GETTY_API_SECRET", "").env("GETTY_USERNAME", "");
    let log = log_until_listening(empty);
    assert!(log.contains("\"sandbox\":true"), "{log}");
}
