//! `getty-picker-live-check`: runs the backend against the real Getty API (or the sandbox) on
//! loopback and checks token → products → search per family → the shape of the answers, and
//! with `--download ID` one real download. For operators with credentials; not part of CI.

mod shape;

use std::fmt::Display;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use getty_picker_server::config::{redact_url, Secret, DEFAULT_TOKEN_URL};
use getty_picker_server::settings::{Mode, Settings};
use getty_picker_server::ticket::{hex, sign, unix_now};
use getty_picker_server::{start, Config};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tracing_subscriber::EnvFilter;

/// The fields the widget asks for on every search (`src/getty/query.rs`'s search fields).
const WIDGET_FIELDS: &str = "id,title,caption,artist,collection_name,copyright,asset_family,\
allowed_use,max_dimensions,largest_downloads,thumb,preview,comp";

/// The same without the display sizes a key may be refused (`UnauthorizedDisplaySize`).
const THUMB_ONLY_FIELDS: &str = "id,title,caption,artist,collection_name,copyright,asset_family,\
allowed_use,max_dimensions,largest_downloads,thumb";

/// Images per search: enough to see varied shapes; the cost is per request, not per image.
const PAGE_SIZE: &str = "10";

/// The sandbox's public `Api-Key`, for `--against-sandbox`.
#[cfg(feature = "sandbox")]
const SANDBOX_API_KEY: &str = getty_sandbox::SANDBOX_API_KEY;

/// Never sent: a build without the `sandbox` feature refuses `--against-sandbox` at start.
#[cfg(not(feature = "sandbox"))]
const SANDBOX_API_KEY: &str = "";

/// Longest piece of Getty's error text printed.
const MAX_ERROR_TEXT: usize = 200;

/// What it says when credentials are missing.
const NEEDS_CREDENTIALS: &str = "GETTY_API_KEY and GETTY_API_SECRET must be set: this check \
calls the real Getty API (or pass --against-sandbox). GETTY_USERNAME and GETTY_PASSWORD are \
needed too for the products check and --download (a user token).";

/// Command line; credentials come from the same variables as the backend's.
#[derive(Parser, Debug)]
#[command(
    name = "getty-picker-live-check",
    about = "Checks the backend against the real Getty API: token, products, search per family, answer shapes; --download spends one download"
)]
struct Args {
    /// Getty API key.
    #[arg(long, env = "GETTY_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Getty API secret.
    #[arg(long, env = "GETTY_API_SECRET", hide_env_values = true)]
    api_secret: Option<Secret>,
    /// Getty username (products and downloads need a user token).
    #[arg(long, env = "GETTY_USERNAME", hide_env_values = true)]
    username: Option<String>,
    /// Getty password.
    #[arg(long, env = "GETTY_PASSWORD", hide_env_values = true)]
    password: Option<Secret>,
    /// Getty's OAuth token endpoint.
    #[arg(long, env = "GETTY_TOKEN_URL", default_value = DEFAULT_TOKEN_URL, hide_env_values = true)]
    token_url: String,
    /// Getty's API origin.
    #[arg(
        long,
        env = "GETTY_API_BASE",
        default_value = "https://api.gettyimages.com"
    )]
    api_base: String,
    /// The phrase searched in each family.
    #[arg(long, default_value = "city")]
    phrase: String,
    /// Also download this image id (spends one download of the account's allowance).
    #[arg(long, value_name = "ID")]
    download: Option<String>,
    /// Check against the backend's own sandbox instead of Getty (no credentials, no cost).
    #[arg(long)]
    against_sandbox: bool,
    /// Timeout in seconds of each request.
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
}

/// Counts of each verdict, printed as they come.
#[derive(Debug, Default)]
struct Report {
    passed: u32,
    failed: u32,
    warned: u32,
    skipped: u32,
}

impl Report {
    fn line(verdict: &str, check: &str, detail: impl Display) {
        println!("{verdict:<4}  {check}: {detail}");
    }

    fn pass(&mut self, check: &str, detail: impl Display) {
        self.passed += 1;
        Self::line("PASS", check, detail);
    }

    fn fail(&mut self, check: &str, detail: impl Display) {
        self.failed += 1;
        Self::line("FAIL", check, detail);
    }

    fn warn(&mut self, check: &str, detail: impl Display) {
        self.warned += 1;
        Self::line("WARN", check, detail);
    }

    fn skip(&mut self, check: &str, detail: impl Display) {
        self.skipped += 1;
        Self::line("SKIP", check, detail);
    }

    fn exit_code(&self) -> ExitCode {
        println!(
            "live-check: {} passed, {} failed, {} warnings, {} skipped",
            self.passed, self.failed, self.warned, self.skipped
        );
        if self.failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

/// Why the check could not run at all.
#[derive(Debug, thiserror::Error)]
enum Fatal {
    /// The backend did not start.
    #[error("the backend did not start: {0}")]
    Start(#[from] getty_picker_server::StartError),
    /// No HTTP client.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    /// No random ticket secret.
    #[error("cannot generate a ticket secret: {0}")]
    Random(getrandom::Error),
}

/// Where the API is and how to call it.
struct Api {
    http: Client,
    base: String,
    key: String,
    token: String,
}

impl Api {
    /// A GET with Getty's two headers.
    async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<(StatusCode, Value), String> {
        let request = self
            .http
            .get(format!("{}{path}", self.base))
            .query(query)
            .header("Api-Key", &self.key)
            .bearer_auth(&self.token);
        answer(request).await
    }
}

/// Sends `request` and reads its JSON answer (`Null` when the body is not JSON).
async fn answer(request: reqwest::RequestBuilder) -> Result<(StatusCode, Value), String> {
    let response = request
        .send()
        .await
        .map_err(|e| format!("request failed: {}", e.without_url()))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("answer unreadable: {}", e.without_url()))?;
    Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
}

/// Getty's error in one short printable line: `ErrorCode`, then whichever message it sent.
fn getty_error(status: StatusCode, body: &Value) -> String {
    let text = |name: &str| body.get(name).and_then(Value::as_str);
    let message = ["ErrorMessage", "message", "error_description", "error"]
        .into_iter()
        .find_map(text)
        .unwrap_or("");
    let code = text("ErrorCode").or_else(|| text("code")).unwrap_or("");
    let line: String = format!("HTTP {status} {code} {message}")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_ERROR_TEXT)
        .collect();
    line.trim().to_owned()
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .ok()
        .map(|u| u.origin().ascii_serialization())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let has_keys = args.api_key.as_deref().is_some_and(|k| !k.is_empty())
        && args
            .api_secret
            .as_ref()
            .is_some_and(|s| !s.expose().is_empty());
    if !args.against_sandbox && !has_keys {
        eprintln!("live-check: {NEEDS_CREDENTIALS}");
        return ExitCode::from(2);
    }
    match run(args).await {
        Ok(report) => report.exit_code(),
        Err(error) => {
            eprintln!("live-check: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The backend's configuration: the sandbox, or Getty with the given credentials; tickets only
/// (a random secret of this run), on a free loopback port.
fn backend_config(args: &Args, ticket_secret: &str) -> Config {
    let mut config = if args.against_sandbox {
        Config::sandbox()
    } else {
        let mut config = Config::upstream(
            &args.token_url,
            args.api_key.as_deref().unwrap_or_default(),
            args.api_secret.as_ref().map_or("", Secret::expose),
        );
        config.username = args.username.clone();
        config.password = args.password.clone();
        config.api_base = args.api_base.clone();
        config
    };
    config.ticket_secret = Some(Secret::new(ticket_secret));
    config.upstream_timeout_secs = args.timeout_secs.clamp(1, 300);
    config
}

async fn run(args: Args) -> Result<Report, Fatal> {
    let mut random = [0u8; 32];
    getrandom::getrandom(&mut random).map_err(Fatal::Random)?;
    let ticket_secret = hex(&random);
    let config = backend_config(&args, &ticket_secret);
    // An unusable configuration fails in start() below, with its own message.
    let expect_search_only =
        Settings::parse(&config).is_ok_and(|settings| settings.tokens.mode() == Mode::SearchOnly);
    let server = start(config).await?;
    let http = Client::builder()
        .timeout(Duration::from_secs(args.timeout_secs.max(1)))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let (base, key) = if args.against_sandbox {
        (
            format!("http://{}", server.addr()),
            SANDBOX_API_KEY.to_owned(),
        )
    } else {
        (
            args.api_base.trim_end_matches('/').to_owned(),
            args.api_key.clone().unwrap_or_default(),
        )
    };
    println!(
        "live-check: backend on http://{} against {} (token URL {})",
        server.addr(),
        base,
        if args.against_sandbox {
            "the sandbox's".to_owned()
        } else {
            redact_url(&args.token_url)
        }
    );
    let mut report = Report::default();
    let ticket = sign(&ticket_secret, "live-check", unix_now() + 600);
    let checks = Checks {
        args: &args,
        addr: server.addr(),
        expect_search_only,
    };
    checks.all(&http, base, key, &ticket, &mut report).await;
    server.shutdown().await;
    Ok(report)
}

/// The checks of one run.
struct Checks<'a> {
    args: &'a Args,
    addr: SocketAddr,
    expect_search_only: bool,
}

impl Checks<'_> {
    async fn all(
        &self,
        http: &Client,
        base: String,
        key: String,
        ticket: &str,
        report: &mut Report,
    ) {
        let Some((token, search_only)) = self.token(http, ticket, report).await else {
            report.skip("the rest", "no token, nothing else can be checked");
            return;
        };
        self.readiness(http, search_only, report).await;
        let api = Api {
            http: http.clone(),
            base,
            key,
            token,
        };
        let products = if search_only {
            report.skip(
                "products",
                "client-credentials token: GET /v3/products needs a Getty user (set GETTY_USERNAME and GETTY_PASSWORD)",
            );
            Vec::new()
        } else {
            self.products(&api, report).await
        };
        let mut images = Vec::new();
        for (family, path) in [
            (None, "/v3/search/images"),
            (Some("creative"), "/v3/search/images/creative"),
            (Some("editorial"), "/v3/search/images/editorial"),
        ] {
            images.extend(self.search(&api, family, path, search_only, report).await);
        }
        if let Some(id) = &self.args.download {
            if search_only {
                report.skip(
                    "download",
                    "client-credentials token: Getty refuses downloads without a user (set GETTY_USERNAME and GETTY_PASSWORD)",
                );
            } else {
                self.download(&api, id, &images, &products, report).await;
            }
        }
    }

    /// `POST /token` with a ticket: a bearer token, and whether it is search only.
    async fn token(
        &self,
        http: &Client,
        ticket: &str,
        report: &mut Report,
    ) -> Option<(String, bool)> {
        let request = http
            .post(format!("http://{}/token", self.addr))
            .header(AUTHORIZATION, format!("GettyPicker-Ticket {ticket}"));
        let (status, body) = match answer(request).await {
            Ok(answer) => answer,
            Err(error) => {
                report.fail("token", error);
                return None;
            }
        };
        if status != StatusCode::OK {
            // The backend's own error body: its code, the OAuth code, what to check; no secret.
            let field = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or("");
            let mut detail = format!("HTTP {status} {}", field("error"));
            if !field("oauth_error").is_empty() {
                detail.push_str(&format!(" ({})", field("oauth_error")));
            }
            report.fail("token", format!("{detail}: {}", field("message")));
            return None;
        }
        let token = body["access_token"].as_str().filter(|t| !t.is_empty());
        let search_only = body["search_only"].as_bool();
        let (Some(token), Some(search_only)) = (token, search_only) else {
            report.fail("token", "the answer lacks access_token or search_only");
            return None;
        };
        let expires_in = body["expires_in"].as_u64().unwrap_or(0);
        let mode = if search_only {
            "search only (no Getty user)"
        } else {
            "user token (downloads possible)"
        };
        if search_only == self.expect_search_only && expires_in > 0 {
            report.pass("token", format!("{mode}, expires in {expires_in} s"));
        } else {
            report.fail(
                "token",
                format!("{mode}, expires in {expires_in} s: not what the configuration says"),
            );
        }
        Some((token.to_owned(), search_only))
    }

    /// `GET /readyz`: ready, in the mode the token said.
    async fn readiness(&self, http: &Client, search_only: bool, report: &mut Report) {
        let (status, body) = match answer(http.get(format!("http://{}/readyz", self.addr))).await {
            Ok(answer) => answer,
            Err(error) => return report.fail("readyz", error),
        };
        let expected = if search_only {
            "search_only"
        } else {
            "downloads"
        };
        if status == StatusCode::OK && body["mode"] == expected {
            report.pass("readyz", format!("ready, mode {expected}"));
        } else {
            report.fail("readyz", format!("HTTP {status}, mode {}", body["mode"]));
        }
    }

    /// `GET /v3/products?fields=download_requirements`.
    async fn products(&self, api: &Api, report: &mut Report) -> Vec<shape::Product> {
        let query = [("fields", "download_requirements")];
        let (status, body) = match api.get("/v3/products", &query).await {
            Ok(answer) => answer,
            Err(error) => {
                report.fail("products", error);
                return Vec::new();
            }
        };
        if status != StatusCode::OK {
            report.fail("products", getty_error(status, &body));
            return Vec::new();
        }
        match shape::products(&body) {
            Ok(products) => {
                let list: Vec<String> = products.iter().map(describe_product).collect();
                report.pass(
                    "products",
                    format!("{} product(s): {}", products.len(), list.join("; ")),
                );
                products
            }
            Err(problems) => {
                report.fail("products", problems.join("; "));
                Vec::new()
            }
        }
    }

    /// One family's search with the widget's fields (retried with thumb only after
    /// `UnauthorizedDisplaySize`, as the widget does); returns its images.
    async fn search(
        &self,
        api: &Api,
        family: Option<&str>,
        path: &str,
        search_only: bool,
        report: &mut Report,
    ) -> Vec<Value> {
        let check = format!("search {}", family.unwrap_or("all"));
        let query = |fields| {
            [
                ("phrase", self.args.phrase.as_str()),
                ("page_size", PAGE_SIZE),
                ("fields", fields),
            ]
        };
        let mut result = api.get(path, &query(WIDGET_FIELDS)).await;
        if let Ok((StatusCode::FORBIDDEN, body)) = &result {
            if body["ErrorCode"] == "UnauthorizedDisplaySize" {
                report.warn(
                    &check,
                    "the key may not use the preview/comp display sizes (UnauthorizedDisplaySize); the widget retries with thumb only, so does this check",
                );
                result = api.get(path, &query(THUMB_ONLY_FIELDS)).await;
            }
        }
        let (status, body) = match result {
            Ok(answer) => answer,
            Err(error) => {
                report.fail(&check, error);
                return Vec::new();
            }
        };
        if status != StatusCode::OK {
            report.fail(&check, getty_error(status, &body));
            return Vec::new();
        }
        match shape::search(&body, family) {
            Ok(summary) if summary.images == 0 => report.warn(
                &check,
                format!(
                    "no images for {:?} (result_count {}): shapes unchecked, try --phrase",
                    self.args.phrase, summary.result_count
                ),
            ),
            Ok(summary) => {
                report.pass(
                    &check,
                    format!(
                        "{} images of {}, {} with largest_downloads",
                        summary.images, summary.result_count, summary.with_downloads
                    ),
                );
                if summary.with_downloads == 0 && !search_only {
                    report.warn(
                        &check,
                        "no image carries largest_downloads: no product of the account licenses these images",
                    );
                }
            }
            Err(problems) => report.fail(&check, problems.join("; ")),
        }
        body["images"].as_array().cloned().unwrap_or_default()
    }

    /// Spends one download of `id`: the first `largest_downloads` entry's product, with a
    /// project code and a note when that product requires them; prints the delivery URI.
    async fn download(
        &self,
        api: &Api,
        id: &str,
        images: &[Value],
        products: &[shape::Product],
        report: &mut Report,
    ) {
        let check = format!("download {id}");
        let found = images.iter().find(|image| image["id"] == id).cloned();
        let image = match found {
            Some(image) => image,
            // Not among the search results: Getty's image endpoint has the same entries.
            None => match api
                .get(
                    &format!("/v3/images/{id}"),
                    &[("fields", "id,largest_downloads")],
                )
                .await
            {
                Ok((StatusCode::OK, body)) => body["images"][0].clone(),
                Ok((status, body)) => return report.fail(&check, getty_error(status, &body)),
                Err(error) => return report.fail(&check, error),
            },
        };
        let Some(entry) = shape::first_download(&image) else {
            return report.fail(
                &check,
                "the image has no usable largest_downloads entry: no product of the account licenses it",
            );
        };
        // As the widget: the bearer token goes to Getty's API origin and nowhere else.
        if origin(&entry.uri) != origin(&api.base) {
            return report.fail(
                &check,
                format!(
                    "largest_downloads uri is not on {}: token not sent",
                    api.base
                ),
            );
        }
        let product = products.iter().find(|p| {
            entry
                .product_id
                .as_deref()
                .map_or(p.product_type == entry.product_type, |pid| {
                    pid == p.id.to_string()
                })
        });
        let mut body = serde_json::Map::new();
        if let Some(product) = product {
            if product.project_code_required {
                if let Some(code) = product.project_codes.first() {
                    body.insert("project_code".into(), json!(code));
                }
            }
            if product.note_required {
                body.insert("download_notes".into(), json!("getty-picker live check"));
            }
        }
        let mut query = vec![
            ("auto_download", "false"),
            ("product_type", entry.product_type.as_str()),
        ];
        if let Some(product_id) = &entry.product_id {
            query.push(("product_id", product_id));
        }
        let mut request = api
            .http
            .post(&entry.uri)
            .query(&query)
            .header("Api-Key", &api.key)
            .bearer_auth(&api.token);
        if !body.is_empty() {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(Value::Object(body.clone()).to_string());
        }
        let (status, answer) = match answer(request).await {
            Ok(answer) => answer,
            Err(error) => return report.fail(&check, error),
        };
        if status != StatusCode::OK {
            return report.fail(&check, getty_error(status, &answer));
        }
        let product_name = product.map_or_else(|| entry.product_type.clone(), describe_product);
        match shape::delivery(&answer) {
            Ok(uri) => {
                let sent: Vec<&String> = body.keys().collect();
                report.pass(
                    &check,
                    format!(
                        "one download spent from {product_name}{}",
                        if sent.is_empty() {
                            String::new()
                        } else {
                            format!(", sent {sent:?}")
                        }
                    ),
                );
                println!("delivery URI: {uri}");
            }
            Err(problems) => report.fail(&check, problems.join("; ")),
        }
    }
}

/// "1001 Editorial Subscription (editorialsubscription), 12 of 50 left"
fn describe_product(product: &shape::Product) -> String {
    let left = match (product.remaining, product.limit) {
        (Some(remaining), Some(limit)) => format!(", {remaining} of {limit} left"),
        (Some(remaining), None) => format!(", {remaining} left"),
        _ => ", no limit".to_owned(),
    };
    format!(
        "{} {} ({}){left}",
        product.id,
        product.name.as_deref().unwrap_or("(unnamed)"),
        product.product_type
    )
}
