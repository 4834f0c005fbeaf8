//! The sandbox's download history over HTTP: `GET /v3/images/{id}/downloadhistory` and
//! `GET /v3/downloads` answer from the downloads it counted and those a test seeded, with
//! Getty's parameters, user-token rule and refusals.

use crate::common;
use crate::sandbox_tokens;

use getty_picker_server::ticket::unix_now;
use getty_picker_server::RunningServer;
use getty_sandbox::clock::{rfc3339, DAY};
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::Sandbox;
use getty_sandbox::{Endpoint, Fault, PastDownload, SandboxError};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use common::{authed, base};
use sandbox_tokens::{client_token, sandbox_token, user_token};

struct Fixture {
    server: RunningServer,
    client: Client,
    /// A token of the user "editor" (the password grant's username in `sandbox_tokens`).
    user: String,
}

impl Fixture {
    async fn start() -> Self {
        let server = common::sandbox().await;
        let client = Client::new();
        let user = user_token(&client, &server).await;
        Self {
            server,
            client,
            user,
        }
    }

    fn sandbox(&self) -> &Sandbox {
        self.server.sandbox().expect("sandbox mode")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", base(self.server.addr()))
    }

    /// `GET path?query` with `token`; the status and the body as JSON (null if not JSON).
    async fn get(&self, path: &str, query: &[(&str, &str)], token: &str) -> (StatusCode, Value) {
        let response = authed(self.client.get(self.url(path)), token)
            .query(query)
            .send()
            .await
            .expect("an answer");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn history(&self, id: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        self.get(
            &format!("/v3/images/{id}/downloadhistory"),
            query,
            &self.user,
        )
        .await
    }

    /// Downloads `id` with the editorial subscription (product 1001) as the fixture's user.
    async fn download(&self, id: &str) {
        let response = authed(
            self.client
                .post(self.url(&format!("/v3/downloads/images/{id}"))),
            &self.user,
        )
        .query(&[
            ("auto_download", "false"),
            ("product_type", "editorialsubscription"),
        ])
        .send()
        .await
        .expect("download");
        assert_eq!(response.status(), StatusCode::OK);
    }

    fn seed(&self, id: &str, product_id: u32, user: &str, at: u64) {
        self.sandbox()
            .seed_download(PastDownload {
                id: id.to_owned(),
                product_id,
                user: user.to_owned(),
                at,
                project_code: None,
                notes: Some("Front page".into()),
            })
            .expect("a past download is seeded");
    }
}

fn editorial_image(n: usize) -> String {
    data::search_family("history", Some(AssetFamily::Editorial), 1, 10).images[n]
        .asset
        .id
        .clone()
}

/// The dates of a history or downloads answer's entries, in order.
fn dates(answer: &Value) -> Vec<String> {
    answer["downloads"]
        .as_array()
        .map(|downloads| {
            downloads
                .iter()
                .map(|d| d["date_downloaded"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn image_history_lists_the_downloads_counted_newest_first() {
    let f = Fixture::start().await;
    let id = editorial_image(0);
    let (status, empty) = f.history(&id, &[("company_downloads", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty, json!({"id": id, "downloads": []}));

    let long_ago = unix_now() - 40 * DAY;
    f.seed(&id, 1001, "ann", long_ago);
    f.download(&id).await;
    f.download(&editorial_image(1)).await;
    let (status, company) = f.history(&id, &[("company_downloads", "true")]).await;
    assert_eq!(status, StatusCode::OK);
    let downloads = company["downloads"].as_array().cloned().unwrap_or_default();
    assert_eq!(downloads.len(), 2, "{company}");
    let newest = &downloads[0];
    assert_eq!(newest["user"]["username"], "editor");
    assert_eq!(newest["product_id"], 1001);
    assert_eq!(newest["product_type"], "editorialsubscription");
    assert_eq!(newest["agreement_name"], "Newsroom 2026");
    let when = newest["date_downloaded"].as_str().unwrap_or_default();
    let now = rfc3339(unix_now());
    assert_eq!(when[..10], now[..10], "downloaded today: {when}");
    assert_eq!(
        downloads[1],
        json!({"date_downloaded": rfc3339(long_ago), "user": {"username": "ann"},
               "product_type": "editorialsubscription", "product_id": 1001,
               "agreement_name": "Newsroom 2026", "download_notes": "Front page",
               "project_code": null, "download_source": "API"})
    );

    // Without company_downloads, only the token's own user's downloads.
    let (_, own) = f.history(&id, &[]).await;
    assert_eq!(dates(&own), [when.to_owned()]);
    let (_, own) = f.history(&id, &[("company_downloads", "false")]).await;
    assert_eq!(own["downloads"].as_array().map(Vec::len), Some(1));
    // Another user of the company sees the same company history.
    let other = sandbox_token(&f.client, &f.server, "password").await;
    let (_, theirs) = f
        .get(
            &format!("/v3/images/{id}/downloadhistory"),
            &[("company_downloads", "true")],
            &other,
        )
        .await;
    assert_eq!(dates(&theirs), dates(&company));
    assert_eq!(f.sandbox().counts().history, 5);
}

#[tokio::test]
async fn image_history_refuses_what_getty_refuses() {
    let f = Fixture::start().await;
    let id = editorial_image(0);
    let client = client_token(&f.client, &f.server).await;
    let (status, body) = f
        .get(&format!("/v3/images/{id}/downloadhistory"), &[], &client)
        .await;
    assert_eq!(
        (status, body["ErrorCode"].as_str()),
        (StatusCode::FORBIDDEN, Some("UserTokenRequired")),
        "a client-credentials token has no user whose downloads to list"
    );
    let (status, _) = f
        .get(&format!("/v3/images/{id}/downloadhistory"), &[], "made-up")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let missing_key = f
        .client
        .get(f.url(&format!("/v3/images/{id}/downloadhistory")))
        .bearer_auth(&f.user)
        .send()
        .await
        .expect("an answer");
    assert_eq!(missing_key.status(), StatusCode::UNAUTHORIZED);
    let (status, body) = f.history(&id, &[("company_downloads", "yes")]).await;
    assert_eq!(
        (status, body["ErrorCode"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidParameterValue"))
    );
    let (status, _) = f.history(&id, &[("page", "1")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = f.history("999", &[]).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("ImageNotFound"))
    );
    // Faults are injected per endpoint, like every other endpoint's.
    f.sandbox().inject(Endpoint::History, Fault::Status(403), 1);
    let (status, _) = f.history(&id, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = f.history(&id, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        f.sandbox().seed_download(PastDownload {
            id: "999".into(),
            product_id: 1001,
            user: "ann".into(),
            at: 0,
            project_code: None,
            notes: None,
        }),
        Err(SandboxError::ImageNotFound("999".into()))
    );
}

#[tokio::test]
async fn downloads_lists_the_last_thirty_days_a_page_at_a_time() {
    let f = Fixture::start().await;
    let now = unix_now();
    let old = now - 45 * DAY;
    f.seed(&editorial_image(0), 1001, "ann", old);
    f.seed(&editorial_image(1), 1002, "editor", now - 2 * DAY);
    f.seed(&editorial_image(2), 1001, "editor", now - DAY);
    f.download(&editorial_image(3)).await;

    let (status, recent) = f.get("/v3/downloads", &[], &f.user).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(recent["result_count"], 3, "{recent}");
    let ids: Vec<&str> = recent["downloads"]
        .as_array()
        .map(|d| d.iter().filter_map(|e| e["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [editorial_image(3), editorial_image(2), editorial_image(1)],
        "newest first, the user's own"
    );
    let entry = &recent["downloads"][2];
    assert_eq!(entry["product_id"], 1002);
    assert_eq!(entry["product_type"], "premiumaccess");
    assert_eq!(entry["asset_type"], "image");
    assert_eq!(entry["download_details"]["download_notes"], "Front page");
    assert_eq!(entry["user"]["username"], "editor");
    let thumb = entry["thumb_uri"].as_str().unwrap_or_default().to_owned();
    let image = f
        .client
        .get(&thumb)
        .send()
        .await
        .expect("the thumb answers");
    assert_eq!(image.status(), StatusCode::OK, "{thumb}");

    let from = rfc3339(old);
    let (_, company) = f
        .get(
            "/v3/downloads",
            &[("company_downloads", "true"), ("date_from", &from[..10])],
            &f.user,
        )
        .await;
    // From a start date, 30 days on: only ann's.
    assert_eq!(company["result_count"], 1, "{company}");
    assert_eq!(company["downloads"][0]["user"]["username"], "ann");
    let to = rfc3339(now);
    let (_, all) = f
        .get(
            "/v3/downloads",
            &[
                ("company_downloads", "true"),
                ("date_from", &from[..10]),
                ("date_to", &to[..10]),
                ("page_size", "2"),
                ("page", "2"),
            ],
            &f.user,
        )
        .await;
    assert_eq!(all["result_count"], 4);
    assert_eq!(dates(&all), [rfc3339(now - 2 * DAY), rfc3339(old)]);
    let (_, premium) = f
        .get(
            "/v3/downloads",
            &[("product_type", "premiumaccess")],
            &f.user,
        )
        .await;
    assert_eq!(premium["result_count"], 1);

    for bad in [
        ("page_size", "101"),
        ("page", "0"),
        ("product_type", "stockphoto"),
        ("date_from", "last week"),
        ("use_time", "maybe"),
        ("fields", "id"),
    ] {
        let (status, body) = f.get("/v3/downloads", &[bad], &f.user).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {body}");
    }
    let client = client_token(&f.client, &f.server).await;
    let (status, _) = f.get("/v3/downloads", &[], &client).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(f.sandbox().counts().downloads, 11);
}
