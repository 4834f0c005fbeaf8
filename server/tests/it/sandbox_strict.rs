//! The sandbox refuses what Getty refuses: parameters an endpoint does not take, values it does
//! not know, display sizes the key may not use, unknown keys and paths.

use crate::common;

use getty_picker_server::RunningServer;
use getty_sandbox::{Sandbox, SANDBOX_API_KEY};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

use common::{authed, base, token};
use sandbox_tokens::user_token;

use crate::sandbox_tokens;

/// The fields the widget asks for in its searches.
const WIDGET_FIELDS: &str = "id,title,caption,artist,collection_name,copyright,asset_family,\
                             allowed_use,max_dimensions,largest_downloads,thumb,preview,comp";

const ENDPOINTS: [&str; 3] = [
    "/v3/search/images",
    "/v3/search/images/creative",
    "/v3/search/images/editorial",
];

struct Fixture {
    server: RunningServer,
    client: Client,
    token: String,
}

impl Fixture {
    async fn start() -> Self {
        let server = common::sandbox().await;
        let client = Client::new();
        let token = token(&client, server.addr()).await;
        Self {
            server,
            client,
            token,
        }
    }

    fn sandbox(&self) -> &Sandbox {
        self.server.sandbox().expect("sandbox mode")
    }

    async fn search(&self, path: &str, query: &[(&str, &str)]) -> Response {
        authed(
            self.client
                .get(format!("{}{path}", base(self.server.addr()))),
            &self.token,
        )
        .header("Origin", "http://localhost:5173")
        .query(&[("phrase", "kitties")])
        .query(query)
        .send()
        .await
        .expect("search answered")
    }
}

/// Asserts a 400 `InvalidParameterValue` whose message names `name`.
async fn assert_refused(response: Response, name: &str) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
    assert!(response
        .headers()
        .contains_key("access-control-allow-origin"));
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["ErrorCode"], "InvalidParameterValue", "{name}");
    let message = body["ErrorMessage"].as_str().unwrap_or_default();
    assert!(message.contains(name), "{name}: {message}");
}

#[tokio::test]
async fn what_each_endpoint_takes_is_answered() {
    let f = Fixture::start().await;
    for path in ENDPOINTS {
        let response = f
            .search(
                path,
                &[
                    ("fields", WIDGET_FIELDS),
                    ("page", "2"),
                    ("page_size", "100"),
                    ("sort_order", "most_popular"),
                    ("orientations", "horizontal,square"),
                    ("number_of_people", "none"),
                    ("graphical_styles", "photography"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["images"].as_array().map(Vec::len), Some(100));
    }
    let creative_only = [
        ("safe_search", "true"),
        ("exclude_nudity", "true"),
        ("exclude_editorial_use_only", "false"),
        ("graphical_styles", "fine_art"),
    ];
    let response = f.search("/v3/search/images/creative", &creative_only).await;
    assert_eq!(response.status(), StatusCode::OK);
    let editorial_only = [("sort_order", "oldest"), ("editorial_segments", "news")];
    let response = f
        .search("/v3/search/images/editorial", &editorial_only)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn parameters_and_values_an_endpoint_does_not_know_are_400s_naming_them() {
    let f = Fixture::start().await;
    let cases: &[(&str, (&str, &str))] = &[
        ("/v3/search/images", ("safe_search", "true")),
        ("/v3/search/images/editorial", ("safe_search", "true")),
        ("/v3/search/images/editorial", ("exclude_nudity", "true")),
        ("/v3/search/images", ("exclude_editorial_use_only", "true")),
        (
            "/v3/search/images/editorial",
            ("graphical_styles", "fine_art"),
        ),
        ("/v3/search/images/creative", ("sort_order", "oldest")),
        ("/v3/search/images", ("sort_order", "oldest")),
        ("/v3/search/images/creative", ("safe_search", "yes")),
        ("/v3/search/images", ("orientations", "horizontal,diagonal")),
        ("/v3/search/images", ("number_of_people", "three")),
        ("/v3/search/images", ("fields", "id,title,display_sizes")),
        ("/v3/search/images/creative", ("fields", "id,people")),
        ("/v3/search/images", ("page", "0")),
        ("/v3/search/images", ("page_size", "101")),
        ("/v3/search/images", ("made_up", "1")),
    ];
    for (path, (name, value)) in cases {
        let response = f.search(path, &[(name, value)]).await;
        assert_refused(response, name).await;
    }
    assert_eq!(f.sandbox().counts().search, cases.len() as u64);
}

#[tokio::test]
async fn display_sizes_the_key_may_not_use_are_403s() {
    let f = Fixture::start().await;
    f.sandbox().restrict_display_sizes(&["comp", "preview"]);
    for path in ENDPOINTS {
        for fields in [WIDGET_FIELDS, "id,comp", "display_set"] {
            let response = f.search(path, &[("fields", fields)]).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path} {fields}");
            assert_eq!(response.headers()["access-control-allow-origin"], "*");
            let body: Value = response.json().await.expect("json");
            assert_eq!(body["ErrorCode"], "UnauthorizedDisplaySize");
            assert!(body["ErrorMessage"].is_string());
        }
        let thumbs = f
            .search(path, &[("fields", "id,title,thumb,largest_downloads")])
            .await;
        assert_eq!(thumbs.status(), StatusCode::OK, "{path}");
        let body: Value = thumbs.json().await.expect("json");
        assert_eq!(body["images"][0]["display_sizes"][0]["name"], "thumb");
    }
    // Without `fields` Getty answers its summary set, thumb only: allowed.
    assert_eq!(
        f.search("/v3/search/images", &[]).await.status(),
        StatusCode::OK
    );
    f.sandbox().restrict_display_sizes(&[]);
    let response = f
        .search("/v3/search/images", &[("fields", WIDGET_FIELDS)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_gateway_answers_unknown_keys_and_paths() {
    let f = Fixture::start().await;
    let root = base(f.server.addr());
    let wrong_key = f
        .client
        .get(format!("{root}/v3/search/images"))
        .header("Api-Key", "someone-elses-key")
        .bearer_auth(&f.token)
        .send()
        .await
        .expect("search");
    assert_eq!(wrong_key.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        wrong_key.json::<Value>().await.expect("json"),
        json!({"message": "Forbidden"})
    );
    for path in [
        "/v3/nothing",
        "/v3/search/videos/everything",
        "/v3/search/images/creative/by-image",
    ] {
        for request in [
            f.client.get(format!("{root}{path}")),
            f.client.post(format!("{root}{path}")),
        ] {
            let response = request
                .header("Api-Key", SANDBOX_API_KEY)
                .send()
                .await
                .expect("answered");
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
            assert_eq!(
                response.json::<Value>().await.expect("json"),
                json!({"message": "Missing Authentication Token"}),
                "{path}"
            );
        }
    }
    // Paths outside the API are not the gateway's.
    let outside = f
        .client
        .get(format!("{root}/v4/nothing"))
        .send()
        .await
        .expect("answered");
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
}

/// `GET path` with `query` and `token`: the status and the body (null if not JSON).
async fn get(f: &Fixture, token: &str, path: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = authed(
        f.client.get(format!("{}{path}", base(f.server.addr()))),
        token,
    )
    .query(query)
    .send()
    .await
    .expect("answered");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Asserts a 400 `InvalidParameterValue` naming `name` in a `get` answer.
fn assert_400_naming(answer: &(StatusCode, Value), name: &str, what: &str) {
    let (status, body) = answer;
    assert_eq!(*status, StatusCode::BAD_REQUEST, "{what}: {body}");
    assert_eq!(body["ErrorCode"], "InvalidParameterValue", "{what}: {body}");
    let message = body["ErrorMessage"].as_str().unwrap_or_default();
    assert!(message.contains(name), "{what}: {message}");
}

#[tokio::test]
async fn products_refuse_an_empty_fields_value() {
    let f = Fixture::start().await;
    let user = user_token(&f.client, &f.server).await;
    // `fields` is a list of `ProductFieldValues`: an empty value, or an empty item, names none.
    for fields in ["", " ", "download_requirements,", ",download_requirements"] {
        let answer = get(&f, &user, "/v3/products", &[("fields", fields)]).await;
        assert_400_naming(&answer, "fields", &format!("fields={fields:?}"));
    }
    let (status, body) = get(
        &f,
        &user,
        "/v3/products",
        &[("fields", "download_requirements")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["products"][0]["download_requirements"].is_object());
    let (status, _) = get(&f, &user, "/v3/products", &[]).await;
    assert_eq!(status, StatusCode::OK);
}

/// One more than the largest `int32`, which Getty's file makes every page and id number.
const BEYOND_INT32: &str = "2147483648";

#[tokio::test]
async fn pages_and_int32_numbers_beyond_the_schemas_maximum_are_refused() {
    let f = Fixture::start().await;
    let user = user_token(&f.client, &f.server).await;
    for path in ENDPOINTS {
        let answer = get(&f, &f.token, path, &[("page", BEYOND_INT32)]).await;
        assert_400_naming(&answer, "page", path);
        // The largest page is a page past the end: no images.
        let (status, body) = get(&f, &f.token, path, &[("page", "2147483647")]).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(body["images"], json!([]));
    }
    let answer = get(&f, &user, "/v3/downloads", &[("page", BEYOND_INT32)]).await;
    assert_400_naming(&answer, "page", "/v3/downloads");
    let (status, _) = get(&f, &user, "/v3/downloads", &[("page", "2147483647")]).await;
    assert_eq!(status, StatusCode::OK);
    // Lists of int32 ids and int32 numbers.
    let cases: &[(&str, &str, &str)] = &[
        ("/v3/search/images", "keyword_ids", "1,2147483648"),
        ("/v3/search/images", "event_ids", BEYOND_INT32),
        ("/v3/search/images/editorial", "event_ids", "-2147483649"),
        (
            "/v3/search/images/creative",
            "exclude_keyword_ids",
            BEYOND_INT32,
        ),
        (
            "/v3/search/images/creative",
            "facet_max_count",
            BEYOND_INT32,
        ),
        (
            "/v3/search/images/editorial",
            "minimum_quality_rank",
            BEYOND_INT32,
        ),
    ];
    for (path, name, value) in cases {
        let answer = get(&f, &f.token, path, &[(name, value)]).await;
        assert_400_naming(&answer, name, &format!("{path} {name}={value}"));
    }
    let (status, _) = get(
        &f,
        &f.token,
        "/v3/search/images",
        &[("keyword_ids", "1,2147483647"), ("event_ids", "-5")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn editorial_dates_must_be_real_dates() {
    let f = Fixture::start().await;
    let path = "/v3/search/images/editorial";
    for (name, value) in [
        ("date_from", "2024-13-01"),
        ("date_from", "2024-02-30"),
        ("date_to", "2024-01-01junk"),
        ("date_to", "2024-01-01T25:00:00"),
    ] {
        let answer = get(&f, &f.token, path, &[(name, value)]).await;
        assert_400_naming(&answer, name, &format!("{name}={value}"));
    }
    let (status, _) = get(
        &f,
        &f.token,
        path,
        &[
            ("date_from", "2024-02-29"),
            ("date_to", "2024-03-01T10:30:00Z"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
