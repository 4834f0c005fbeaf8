//! The sandbox account over HTTP: products, limits, project codes, product ids, user tokens.

use crate::common;
use crate::sandbox_tokens;

use getty_picker_server::ticket::unix_now;
use getty_picker_server::RunningServer;
use getty_sandbox::clock::next_monthly_reset;
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::{default_products, DownloadRecord, Product};
use getty_sandbox::{Sandbox, SANDBOX_API_KEY};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

use common::{authed, base};
use sandbox_tokens::{client_token, user_token};

struct Fixture {
    server: RunningServer,
    client: Client,
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

    fn products_request(&self, token: &str) -> RequestBuilder {
        authed(self.client.get(self.url("/v3/products")), token)
    }

    /// `POST` a download of `id` with the user token and `query` (plus `auto_download=false`).
    fn download(&self, id: &str, query: &[(&str, &str)]) -> RequestBuilder {
        authed(
            self.client
                .post(self.url(&format!("/v3/downloads/images/{id}"))),
            &self.user,
        )
        .query(&[("auto_download", "false")])
        .query(query)
    }

    async fn search(&self, family: &str, fields: &str) -> Value {
        let response = authed(
            self.client
                .get(self.url(&format!("/v3/search/images/{family}"))),
            &self.user,
        )
        .query(&[
            ("phrase", "kitties"),
            ("page_size", "100"),
            ("fields", fields),
        ])
        .send()
        .await
        .expect("search");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("json")
    }
}

async fn error_code(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.expect("json error");
    assert!(body["ErrorMessage"].is_string(), "{body}");
    (
        status,
        body["ErrorCode"].as_str().unwrap_or_default().to_owned(),
    )
}

fn image_of(family: AssetFamily) -> String {
    data::search_family("kitties", Some(family), 1, 1).images[0]
        .asset
        .id
        .clone()
}

/// A product of `product_type` licensing both families, without requirements.
fn product(id: u32, product_type: &str, remaining: Option<u32>) -> Product {
    Product {
        id,
        name: format!("Product {id}"),
        product_type: product_type.into(),
        agreement_name: format!("Agreement {id}"),
        families: vec![AssetFamily::Creative, AssetFamily::Editorial],
        download_limit: remaining.map(|r| r + 5),
        downloads_remaining: remaining,
        reset_utc_date: remaining.map(|_| "2027-01-01T00:00:00Z".into()),
        note_required: false,
        project_code_required: false,
        project_codes: Vec::new(),
    }
}

#[tokio::test]
async fn products_list_the_account_for_user_tokens_only() {
    let f = Fixture::start().await;
    let plain: Value = f
        .products_request(&f.user)
        .send()
        .await
        .expect("products")
        .json()
        .await
        .expect("json");
    let products = plain["products"].as_array().expect("products");
    assert_eq!(products.len(), 3);
    assert_eq!(
        products[0],
        json!({"id": 1001, "name": "Editorial Subscription", "type": "editorialsubscription",
               "agreement_name": "Newsroom 2026", "status": "active", "download_limit": 50,
               "downloads_remaining": 12, "download_limit_duration": "Monthly",
               "download_limit_reset_utc_date": next_monthly_reset(unix_now()),
               "expiration_utc_date": null})
    );
    assert!(products[1]["downloads_remaining"].is_null());
    assert_eq!(products[2]["downloads_remaining"], 0);

    let detailed: Value = f
        .products_request(&f.user)
        .query(&[("fields", "download_requirements")])
        .send()
        .await
        .expect("products")
        .json()
        .await
        .expect("json");
    assert_eq!(
        detailed["products"][1]["download_requirements"],
        json!({"is_note_required": false, "is_project_code_required": true,
               "project_codes": ["SPRING-26", "WEB-HOME"]})
    );
    assert_eq!(
        detailed["products"][0]["download_requirements"]["is_project_code_required"],
        false
    );

    for query in [
        [("fields", "download_requirements,price")],
        [("field", "download_requirements")],
    ] {
        let response = f
            .products_request(&f.user)
            .query(&query)
            .send()
            .await
            .expect("products");
        assert_eq!(
            error_code(response).await,
            (StatusCode::BAD_REQUEST, "InvalidParameterValue".into()),
            "{query:?}"
        );
    }

    let client = client_token(&f.client, &f.server).await;
    let refused = f.products_request(&client).send().await.expect("products");
    assert_eq!(
        error_code(refused).await,
        (StatusCode::FORBIDDEN, "UserTokenRequired".into())
    );
    assert_eq!(f.sandbox().counts().products, 5);
}

#[tokio::test]
async fn client_credentials_tokens_search_but_never_download() {
    let f = Fixture::start().await;
    let client = client_token(&f.client, &f.server).await;
    let id = image_of(AssetFamily::Editorial);
    let search = authed(f.client.get(f.url("/v3/search/images")), &client)
        .query(&[("phrase", "kitties")])
        .send()
        .await
        .expect("search");
    assert_eq!(search.status(), StatusCode::OK);
    let refused = authed(
        f.client.post(f.url(&format!("/v3/downloads/images/{id}"))),
        &client,
    )
    .query(&[
        ("auto_download", "false"),
        ("product_type", "editorialsubscription"),
    ])
    .send()
    .await
    .expect("download");
    assert_eq!(
        error_code(refused).await,
        (StatusCode::FORBIDDEN, "UserTokenRequired".into())
    );
    assert!(f.sandbox().downloads_log().is_empty());
    assert_eq!(f.sandbox().products()[0].downloads_remaining, Some(12));

    // A refresh-grant token speaks for the same user as the password grant's.
    let form = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).expect("form");
    let secret = f.sandbox().client_secret().to_owned();
    let token_call = |body: String| {
        f.client
            .post(f.url("/oauth2/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let password: Value = token_call(form(&[
        ("grant_type", "password"),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", &secret),
        ("username", "u"),
        ("password", "p"),
    ]))
    .await
    .expect("token")
    .json()
    .await
    .expect("json");
    let refresh = password["refresh_token"].as_str().expect("refresh_token");
    let refreshed: Value = token_call(form(&[
        ("grant_type", "refresh_token"),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", &secret),
        ("refresh_token", refresh),
    ]))
    .await
    .expect("token")
    .json()
    .await
    .expect("json");
    let user = refreshed["access_token"].as_str().expect("access_token");
    let ok = authed(
        f.client.post(f.url(&format!("/v3/downloads/images/{id}"))),
        user,
    )
    .query(&[
        ("auto_download", "false"),
        ("product_type", "editorialsubscription"),
    ])
    .send()
    .await
    .expect("download");
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn limited_products_count_down_to_overage() {
    let f = Fixture::start().await;
    let id = image_of(AssetFamily::Creative);
    f.sandbox()
        .set_products(vec![product(77, "easyaccess", Some(2))]);
    for left in [1, 0] {
        let ok = f
            .download(&id, &[("product_type", "easyaccess")])
            .send()
            .await
            .expect("download");
        assert_eq!(ok.status(), StatusCode::OK);
        let listed: Value = f
            .products_request(&f.user)
            .send()
            .await
            .expect("products")
            .json()
            .await
            .expect("json");
        assert_eq!(listed["products"][0]["downloads_remaining"], left);
    }
    let refused = f
        .download(&id, &[("product_type", "easyaccess"), ("product_id", "77")])
        .send()
        .await
        .expect("download");
    assert_eq!(
        error_code(refused).await,
        (StatusCode::FORBIDDEN, "OverageLimitReached".into())
    );
    assert_eq!(f.sandbox().downloads_log().len(), 2);

    // The default account's royalty-free subscription starts with none left.
    f.sandbox().set_products(default_products());
    let refused = f
        .download(&id, &[("product_type", "royaltyfreesubscription")])
        .send()
        .await
        .expect("download");
    assert_eq!(
        error_code(refused).await,
        (StatusCode::FORBIDDEN, "OverageLimitReached".into())
    );
}

#[tokio::test]
async fn project_codes_and_notes_travel_in_a_json_body() {
    let f = Fixture::start().await;
    let id = image_of(AssetFamily::Creative);
    let premium = [("product_type", "premiumaccess"), ("product_id", "1002")];
    let cases: [(Option<Value>, StatusCode, &str); 4] = [
        (None, StatusCode::BAD_REQUEST, "ProjectCodeRequired"),
        (
            Some(json!({"project_code": "  "})),
            StatusCode::BAD_REQUEST,
            "ProjectCodeRequired",
        ),
        (
            Some(json!({"project_code": "AUTUMN-26"})),
            StatusCode::BAD_REQUEST,
            "InvalidProjectCode",
        ),
        (
            Some(json!({"project_code": "WEB-HOME", "notes": "x"})),
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
        ),
    ];
    for (body, status, code) in cases {
        let mut request = f.download(&id, &premium);
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.expect("download");
        assert_eq!(
            error_code(response).await,
            (status, code.into()),
            "{body:?}"
        );
    }
    let not_json = f
        .download(&id, &premium)
        .header("Content-Type", "text/plain")
        .body(r#"{"project_code": "WEB-HOME"}"#)
        .send()
        .await
        .expect("download");
    assert_eq!(
        error_code(not_json).await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType".into()
        )
    );
    assert!(f.sandbox().downloads_log().is_empty());

    let ok = f
        .download(&id, &premium)
        .json(&json!({"project_code": "WEB-HOME", "download_notes": "Homepage hero"}))
        .send()
        .await
        .expect("download");
    assert_eq!(ok.status(), StatusCode::OK);
    let mut products = f.sandbox().products();
    products[0].note_required = true;
    f.sandbox().set_products(products);
    let editorial = image_of(AssetFamily::Editorial);
    let no_note = f
        .download(&editorial, &[("product_type", "editorialsubscription")])
        .send()
        .await
        .expect("download");
    assert_eq!(
        error_code(no_note).await,
        (StatusCode::BAD_REQUEST, "DownloadNotesRequired".into())
    );
    let log = f.sandbox().downloads_log();
    let at = log.first().map_or(0, |record| record.at);
    assert!(at.abs_diff(unix_now()) < 60, "recorded at {at}");
    assert_eq!(
        log,
        [DownloadRecord {
            id,
            product_id: 1002,
            product_type: "premiumaccess".into(),
            agreement_name: "Marketing 2026".into(),
            project_code: Some("WEB-HOME".into()),
            notes: Some("Homepage hero".into()),
            user: "editor".into(),
            at,
        }]
    );
}

#[tokio::test]
async fn product_ids_choose_between_agreements_of_one_type() {
    let f = Fixture::start().await;
    let mut newsroom = product(7, "premiumaccess", Some(3));
    newsroom.families = vec![AssetFamily::Editorial];
    f.sandbox().set_products(vec![
        newsroom,
        product(8, "premiumaccess", Some(3)),
        product(9, "imagepack", None),
    ]);
    let editorial = f.search("editorial", "largest_downloads").await;
    let first = &editorial["images"][0];
    let id = first["id"].as_str().expect("id").to_owned();
    let entries: Vec<(&str, &str, &str)> = first["largest_downloads"]
        .as_array()
        .expect("largest_downloads")
        .iter()
        .map(|d| {
            (
                d["product_id"].as_str().expect("string product_id"),
                d["product_type"].as_str().expect("product_type"),
                d["agreement_name"].as_str().expect("agreement_name"),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("7", "premiumaccess", "Agreement 7"),
            ("8", "premiumaccess", "Agreement 8"),
            ("9", "imagepack", "Agreement 9"),
        ]
    );
    let creative = f.search("creative", "largest_downloads").await;
    let creative_products: Vec<&Value> = creative["images"][0]["largest_downloads"]
        .as_array()
        .expect("largest_downloads")
        .iter()
        .map(|d| &d["product_id"])
        .collect();
    assert_eq!(creative_products, [&json!("8"), &json!("9")]);

    let chosen = f
        .download(
            &id,
            &[("product_type", "premiumaccess"), ("product_id", "8")],
        )
        .send()
        .await
        .expect("download");
    assert_eq!(chosen.status(), StatusCode::OK);
    let first_of_type = f
        .download(&id, &[("product_type", "premiumaccess")])
        .send()
        .await
        .expect("download");
    assert_eq!(first_of_type.status(), StatusCode::OK);
    let remaining: Vec<Option<u32>> = f
        .sandbox()
        .products()
        .iter()
        .map(|p| p.downloads_remaining)
        .collect();
    assert_eq!(remaining, [Some(2), Some(2), None]);
    let charged: Vec<u32> = f
        .sandbox()
        .downloads_log()
        .iter()
        .map(|r| r.product_id)
        .collect();
    assert_eq!(charged, [8, 7]);

    let creative_id = creative["images"][0]["id"].as_str().expect("id");
    for (image, query, expected) in [
        (
            id.as_str(),
            [("product_type", "premiumaccess"), ("product_id", "10")],
            (StatusCode::BAD_REQUEST, "InvalidParameterValue"),
        ),
        (
            id.as_str(),
            [("product_type", "premiumaccess"), ("product_id", "9")],
            (StatusCode::BAD_REQUEST, "InvalidParameterValue"),
        ),
        (
            creative_id,
            [("product_type", "premiumaccess"), ("product_id", "7")],
            (StatusCode::FORBIDDEN, "InvalidProduct"),
        ),
    ] {
        let response = f.download(image, &query).send().await.expect("download");
        assert_eq!(
            error_code(response).await,
            (expected.0, expected.1.into()),
            "{query:?}"
        );
    }

    f.sandbox().set_products(Vec::new());
    let empty = f.search("creative", "largest_downloads").await;
    assert_eq!(empty["images"][0]["largest_downloads"], json!([]));
}

#[tokio::test]
async fn images_carry_licence_and_credit_fields_with_variety() {
    let f = Fixture::start().await;
    let body = f
        .search(
            "editorial",
            "id,artist,collection_name,copyright,caption,asset_family,allowed_use",
        )
        .await;
    let images = body["images"].as_array().expect("images");
    let expected = data::search_family("kitties", Some(AssetFamily::Editorial), 1, 100).images;
    assert_eq!(images.len(), expected.len());
    for (image, want) in images.iter().zip(&expected) {
        assert_eq!(image["artist"], json!(want.asset.artist));
        assert_eq!(image["copyright"], json!(want.asset.copyright));
        assert_eq!(image["allowed_use"], json!(want.asset.allowed_use));
        let keys: Vec<&String> = image.as_object().expect("object").keys().collect();
        // Getty's schema has no null `allowed_use`: an image without one leaves it out.
        let mut fields = vec!["artist", "asset_family", "caption", "collection_name"];
        fields.extend(["copyright", "id"]);
        if want.asset.allowed_use.is_some() {
            fields.insert(0, "allowed_use");
        }
        assert_eq!(keys, fields);
    }
    assert!(images.iter().any(|i| i["artist"].is_null()));
    assert!(images.iter().any(|i| i.get("allowed_use").is_none()));
    let restrictions = |i: &Value| {
        i["allowed_use"]["usage_restrictions"]
            .as_array()
            .map(Vec::len)
    };
    assert!(images.iter().any(|i| restrictions(i) == Some(0)));
    assert!(images.iter().any(|i| {
        i["allowed_use"]["usage_restrictions"][0] == "Editorial use only"
            && i["allowed_use"]["how_can_i_use_it"].is_string()
            && i["allowed_use"]["release_info"].is_string()
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_downloads_never_spend_the_last_one_twice() {
    let f = Fixture::start().await;
    let id = image_of(AssetFamily::Editorial);
    f.sandbox()
        .set_products(vec![product(5, "imagepack", Some(1))]);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let request = f.download(&id, &[("product_type", "imagepack")]);
        tasks.spawn(async move { request.send().await.expect("download").status() });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("task"));
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::FORBIDDEN)
        .count();
    assert_eq!((ok, refused), (1, 15), "{statuses:?}");
    assert_eq!(f.sandbox().downloads_log().len(), 1);
    assert_eq!(f.sandbox().products()[0].downloads_remaining, Some(0));
}
