//! The Getty-compatible sandbox API over HTTP.

use crate::common;

use crate::sandbox_tokens;

use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::SANDBOX_API_KEY;
use reqwest::{redirect, Client, StatusCode};
use serde_json::{json, Value};

use common::{authed, base, token};
use sandbox_tokens::user_token;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

async fn json(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

#[tokio::test]
async fn search_is_deterministic_and_matches_the_generator() {
    let server = common::sandbox().await;
    let client = Client::new();
    let token = token(&client, server.addr()).await;
    let url = format!("{}/v3/search/images", base(server.addr()));
    let query = [
        ("phrase", "Kitties"),
        ("page", "2"),
        ("page_size", "5"),
        ("fields", "id,title"),
    ];
    let first = json(
        authed(client.get(&url), &token)
            .query(&query)
            .send()
            .await
            .expect("search"),
    )
    .await;
    let second = json(
        authed(client.get(&url), &token)
            .query(&query)
            .send()
            .await
            .expect("search"),
    )
    .await;
    assert_eq!(first, second);
    let expected = data::search("Kitties", 2, 5);
    assert_eq!(first["result_count"].as_u64(), Some(expected.result_count));
    let titles: Vec<&str> = first["images"]
        .as_array()
        .expect("images")
        .iter()
        .map(|i| i["title"].as_str().expect("title"))
        .collect();
    let expected_titles: Vec<&str> = expected.images.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, expected_titles);
    assert!(first["images"][0]["id"].is_string());
    assert_eq!(server.sandbox().expect("sandbox").counts().search, 2);
}

#[tokio::test]
async fn page_size_limits() {
    let server = common::sandbox().await;
    let client = Client::new();
    let token = token(&client, server.addr()).await;
    let url = format!("{}/v3/search/images/creative", base(server.addr()));
    for (size, ok) in [
        ("1", true),
        ("100", true),
        ("0", false),
        ("101", false),
        ("x", false),
    ] {
        let response = authed(client.get(&url), &token)
            .query(&[("phrase", "storm"), ("page_size", size)])
            .send()
            .await
            .expect("search");
        if ok {
            assert_eq!(response.status(), StatusCode::OK, "{size}");
            let body = json(response).await;
            assert_eq!(body["images"].as_array().map(Vec::len), size.parse().ok());
        } else {
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{size}");
            let body = json(response).await;
            assert_eq!(body["ErrorCode"], "InvalidParameterValue");
            assert!(body["ErrorMessage"].is_string());
        }
    }
    let default = authed(client.get(&url), &token)
        .send()
        .await
        .expect("search");
    assert_eq!(
        json(default).await["images"].as_array().map(Vec::len),
        Some(30)
    );
}

#[tokio::test]
async fn fields_are_honoured_and_families_respected() {
    let server = common::sandbox().await;
    let client = Client::new();
    let token = token(&client, server.addr()).await;
    let root = base(server.addr());
    let body = json(
        authed(
            client.get(format!("{root}/v3/search/images/editorial")),
            &token,
        )
        .query(&[
            ("phrase", "storm"),
            ("fields", "largest_downloads,thumb,asset_family"),
            ("page_size", "100"),
        ])
        .send()
        .await
        .expect("search"),
    )
    .await;
    let images = body["images"].as_array().expect("images");
    let mut two_downloads = 0;
    for image in images {
        let keys: Vec<&String> = image.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            ["asset_family", "display_sizes", "id", "largest_downloads"]
        );
        assert_eq!(image["asset_family"], "editorial");
        let thumb = &image["display_sizes"][0];
        assert_eq!(thumb["name"], "thumb");
        assert_eq!(thumb["is_watermarked"], true);
        assert!(thumb["uri"]
            .as_str()
            .expect("uri")
            .starts_with(&format!("{root}/sandbox/media/thumb/")));
        let downloads = image["largest_downloads"].as_array().expect("downloads");
        two_downloads += usize::from(downloads.len() == 2);
        let id = image["id"].as_str().expect("id");
        assert_eq!(
            downloads[0]["uri"],
            format!("{root}/v3/downloads/images/{id}")
        );
    }
    assert!(two_downloads > 5, "{two_downloads}");

    let thumb_uri = images[0]["display_sizes"][0]["uri"].as_str().expect("uri");
    let thumb = client.get(thumb_uri).send().await.expect("thumb");
    assert_eq!(thumb.status(), StatusCode::OK);
    assert_eq!(thumb.headers()["content-type"], "image/png");
    assert!(thumb.bytes().await.expect("bytes").starts_with(PNG_MAGIC));
    let unsigned = thumb_uri.split('?').next().expect("path");
    assert_eq!(
        client.get(unsigned).send().await.expect("thumb").status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(server.sandbox().expect("sandbox").counts().thumbnail, 2);

    let summary = json(
        authed(client.get(format!("{root}/v3/search/images")), &token)
            .query(&[("phrase", "storm")])
            .send()
            .await
            .expect("search"),
    )
    .await;
    let first = &summary["images"][0];
    assert!(first["title"].is_string());
    assert!(first.get("largest_downloads").is_none());
}

/// The id of the first `family` image for "kitties".
fn image_of(family: AssetFamily) -> String {
    data::search_family("kitties", Some(family), 1, 1).images[0]
        .asset
        .id
        .clone()
}

fn no_redirects() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn download_flow_and_errors() {
    let server = common::sandbox().await;
    let client = no_redirects();
    let token = user_token(&client, &server).await;
    let root = base(server.addr());
    let id = image_of(AssetFamily::Editorial);
    let url = format!("{root}/v3/downloads/images/{id}");

    let ok = authed(client.post(&url), &token)
        .query(&[
            ("auto_download", "false"),
            ("product_type", "editorialsubscription"),
        ])
        .send()
        .await
        .expect("download");
    assert_eq!(ok.status(), StatusCode::OK);
    let uri = json(ok).await["uri"].as_str().expect("uri").to_owned();
    // Getty's form: the last path segment of the link names the image.
    assert!(
        uri.starts_with(&format!("{root}/sandbox/delivery/downloads/{id}?k=")),
        "{uri}"
    );
    let file = client.get(&uri).send().await.expect("delivery");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(
        file.headers()["content-disposition"],
        format!("attachment; filename=\"GettyImages-{id}.png\"").as_str()
    );
    assert!(file.bytes().await.expect("bytes").starts_with(PNG_MAGIC));

    // Getty's default is auto_download=true: a 303 to the file.
    for auto in [None, Some("true"), Some("TRUE")] {
        let mut request =
            authed(client.post(&url), &token).query(&[("product_type", "editorialsubscription")]);
        if let Some(auto) = auto {
            request = request.query(&[("auto_download", auto)]);
        }
        let redirect = request.send().await.expect("download");
        assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
        let location = redirect.headers()["location"].to_str().expect("location");
        assert!(location.starts_with(&format!("{root}/sandbox/delivery/downloads/{id}?")));
    }

    let no_token = client
        .post(&url)
        .header("Api-Key", SANDBOX_API_KEY)
        .query(&[
            ("auto_download", "false"),
            ("product_type", "editorialsubscription"),
        ])
        .send()
        .await
        .expect("download");
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(no_token.headers()["www-authenticate"], "Bearer");
    assert_eq!(json(no_token).await["message"], "Unauthorized");

    let bad_token = authed(client.post(&url), "not-a-token")
        .query(&[
            ("auto_download", "false"),
            ("product_type", "editorialsubscription"),
        ])
        .send()
        .await
        .expect("download");
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        bad_token.headers()["www-authenticate"],
        r#"Bearer error="invalid_token""#
    );

    let refused = |query: Vec<(&'static str, &'static str)>| {
        authed(client.post(&url), &token).query(&query).send()
    };
    for (query, status, code) in [
        (
            vec![("auto_download", "false")],
            StatusCode::BAD_REQUEST,
            "MissingRequiredQueryParameters",
        ),
        (
            vec![("auto_download", "false"), ("product_type", "bogus")],
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
        ),
        (
            vec![
                ("auto_download", "maybe"),
                ("product_type", "editorialsubscription"),
            ],
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
        ),
        (
            vec![
                ("product_type", "editorialsubscription"),
                ("sort_order", "newest"),
            ],
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
        ),
        (
            vec![
                ("product_type", "editorialsubscription"),
                ("file_type", "gif"),
            ],
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
        ),
        (
            vec![
                ("product_type", "editorialsubscription"),
                ("product_id", "x"),
            ],
            StatusCode::BAD_REQUEST,
            "InvalidParameterValue",
        ),
        // An editorial image, and no royalty-free product licenses editorial images.
        (
            vec![
                ("auto_download", "false"),
                ("product_type", "royaltyfreesubscription"),
            ],
            StatusCode::FORBIDDEN,
            "InvalidProduct",
        ),
        // A valid type the account has no product of.
        (
            vec![("auto_download", "false"), ("product_type", "easyaccess")],
            StatusCode::FORBIDDEN,
            "InvalidProduct",
        ),
    ] {
        let response = refused(query.clone()).await.expect("download");
        assert_eq!(response.status(), status, "{query:?}");
        let body = json(response).await;
        assert_eq!(body["ErrorCode"], code, "{query:?}");
        assert!(body["ErrorMessage"].is_string(), "{query:?}");
    }

    for unknown in ["83454804", "1234567890", "abc"] {
        let response = authed(
            client.post(format!("{root}/v3/downloads/images/{unknown}")),
            &token,
        )
        .query(&[
            ("auto_download", "false"),
            ("product_type", "editorialsubscription"),
        ])
        .send()
        .await
        .expect("download");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{unknown}");
        assert_eq!(json(response).await["code"], "ImageNotFound");
    }

    let sandbox = server.sandbox().expect("sandbox");
    let counts = sandbox.counts();
    assert_eq!((counts.download, counts.delivery, counts.token), (17, 1, 1));
    // One answered link and three redirects spent four of the editorial subscription's twelve.
    assert_eq!(sandbox.downloads_log().len(), 4);
    assert_eq!(sandbox.products()[0].downloads_remaining, Some(8));
}

#[tokio::test]
async fn every_product_licensing_an_image_downloads_it() {
    let server = common::sandbox().await;
    let client = Client::new();
    let token = user_token(&client, &server).await;
    let id = image_of(AssetFamily::Editorial);
    let asset = data::lookup(&id).expect("asset");
    let types: Vec<&str> = asset
        .downloads
        .iter()
        .map(|d| d.product_type.as_str())
        .collect();
    assert_eq!(types, ["editorialsubscription", "premiumaccess"]);
    for download in &asset.downloads {
        let response = authed(
            client.post(format!("{}/v3/downloads/images/{id}", base(server.addr()))),
            &token,
        )
        .query(&[
            ("auto_download", "false"),
            ("product_type", download.product_type.as_str()),
            ("product_id", download.product_id.as_str()),
        ])
        .json(&json!({"project_code": "SPRING-26"}))
        .send()
        .await
        .expect("download");
        assert_eq!(response.status(), StatusCode::OK);
    }
    let log = server.sandbox().expect("sandbox").downloads_log();
    let products: Vec<u32> = log.iter().map(|r| r.product_id).collect();
    assert_eq!(products, [1001, 1002]);
}

#[tokio::test]
async fn sandbox_oauth_grants() {
    let server = common::sandbox().await;
    let sandbox = server.sandbox().expect("sandbox");
    let client = Client::new();
    let url = format!("{}/oauth2/token", base(server.addr()));
    let form = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).expect("form");
    let post = |body: String| {
        client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let secret = sandbox.client_secret();
    let password = post(form(&[
        ("grant_type", "password"),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", secret),
        ("username", "u"),
        ("password", "p"),
    ]))
    .await
    .expect("token");
    assert_eq!(password.status(), StatusCode::OK);
    let body = json(password).await;
    assert_eq!(body["expires_in"], "1800");
    let refresh = body["refresh_token"]
        .as_str()
        .expect("refresh_token")
        .to_owned();

    let refreshed = post(form(&[
        ("grant_type", "refresh_token"),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", secret),
        ("refresh_token", &refresh),
    ]))
    .await
    .expect("token");
    assert_eq!(refreshed.status(), StatusCode::OK);

    let wrong = post(form(&[
        ("grant_type", "client_credentials"),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", "guess"),
    ]))
    .await
    .expect("token");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(wrong).await["error"], "invalid_client");
    assert!(client
        .get(format!("{}/healthz", base(server.addr())))
        .send()
        .await
        .expect("health")
        .status()
        .is_success());
}

#[tokio::test]
async fn delivery_files_need_the_signed_link_the_download_returned() {
    let server = common::sandbox().await;
    let sandbox = server.sandbox().expect("sandbox").clone();
    let client = Client::new();
    let token = user_token(&client, &server).await;
    let root = base(server.addr());
    let id = image_of(AssetFamily::Editorial);
    let ok = authed(
        client.post(format!("{root}/v3/downloads/images/{id}")),
        &token,
    )
    .query(&[
        ("auto_download", "false"),
        ("product_type", "editorialsubscription"),
    ])
    .send()
    .await
    .expect("download");
    let uri = json(ok).await["uri"].as_str().expect("uri").to_owned();
    // Opened as a top-level navigation: no Api-Key, no Authorization, only the URI.
    let file = client.get(&uri).send().await.expect("delivery");
    assert_eq!(file.status(), StatusCode::OK);

    let (path, query) = uri.split_once('?').expect("a query");
    let sig = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("k="))
        .expect("k");
    let expires: u64 = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("e="))
        .and_then(|e| e.parse().ok())
        .expect("e");
    let now = getty_picker_server::ticket::unix_now();
    assert!(
        expires > now + 23 * 3600 && expires <= now + 24 * 3600 + 5,
        "{expires}"
    );
    let flipped = if sig.starts_with('0') { "1" } else { "0" };
    let other_id = image_of(AssetFamily::Creative);
    let cases = [
        path.to_owned(),
        format!("{path}?token=anything"),
        format!("{path}?e={expires}"),
        format!("{path}?k={sig}"),
        format!("{path}?e={expires}&k={flipped}{}", &sig[1..]),
        format!("{path}?e={}&k={sig}", expires + 3600),
        format!("{root}/sandbox/delivery/downloads/{other_id}?{query}"),
    ];
    // Sent with a valid bearer token, to show it is the signature, not the token, that counts.
    for bad in cases {
        let response = authed(client.get(&bad), &token)
            .send()
            .await
            .expect("delivery");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{bad}");
        assert_eq!(
            json(response).await["message"],
            "Invalid signature",
            "{bad}"
        );
    }
    let expired = format!("{path}?{}", sandbox.delivery_query(&id, now - 1));
    let response = client.get(&expired).send().await.expect("delivery");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(json(response).await["message"], "Request has expired");
    assert_eq!(sandbox.counts().delivery, 9);
}

#[tokio::test]
async fn overlong_phrases_get_gettys_400_not_a_huge_answer() {
    let server = common::sandbox().await;
    let client = Client::new();
    let token = token(&client, server.addr()).await;
    let url = format!("{}/v3/search/images/creative", base(server.addr()));
    let search = |phrase: String| {
        authed(client.get(&url), &token)
            .query(&[("phrase", phrase.as_str()), ("page_size", "100")])
            .send()
    };
    let longest = "é".repeat(getty_sandbox::handlers::MAX_PHRASE_CHARS);
    let ok = search(longest).await.expect("search");
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(json(ok).await["images"].as_array().map(Vec::len), Some(100));
    for phrase in [
        "a".repeat(getty_sandbox::handlers::MAX_PHRASE_CHARS + 1),
        "kittens ".repeat(60 * 1024 / 8),
    ] {
        let refused = search(phrase).await.expect("search");
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let body = refused.text().await.expect("body");
        assert!(body.len() < 200, "{} bytes", body.len());
        let body: Value = serde_json::from_str(&body).expect("json");
        assert_eq!(body["ErrorCode"], "InvalidParameterValue");
        assert!(body["ErrorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("phrase")));
    }
}

/// The width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(PNG_MAGIC) && &bytes[12..16] == b"IHDR");
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (word(16), word(20))
}

#[tokio::test]
async fn a_delivered_file_is_named_after_its_image_and_has_its_aspect_ratio() {
    let server = common::sandbox().await;
    let client = Client::new();
    let token = user_token(&client, &server).await;
    let root = base(server.addr());
    // Landscape, portrait and square originals, of both families.
    let mut shapes = std::collections::HashSet::new();
    let candidates = data::search("shapes", 1, 60).images;
    for image in &candidates {
        let asset = &image.asset;
        let dims = asset.max_dimensions;
        let shape = dims.width.cmp(&dims.height);
        if !shapes.insert(shape) {
            continue;
        }
        let download = authed(
            client.post(format!("{root}/v3/downloads/images/{}", asset.id)),
            &token,
        )
        .query(&[
            ("auto_download", "false"),
            ("product_type", "premiumaccess"),
        ])
        .json(&json!({"project_code": "WEB-HOME"}))
        .send()
        .await
        .expect("download");
        assert_eq!(download.status(), StatusCode::OK);
        let uri = json(download).await["uri"]
            .as_str()
            .expect("uri")
            .to_owned();
        let last_segment = uri
            .split('?')
            .next()
            .and_then(|path| path.rsplit('/').next())
            .expect("a path");
        assert_eq!(last_segment, asset.id);
        let file = client.get(&uri).send().await.expect("delivery");
        assert_eq!(file.status(), StatusCode::OK);
        assert_eq!(
            file.headers()["content-disposition"],
            format!("attachment; filename=\"GettyImages-{}.png\"", asset.id).as_str()
        );
        let (width, height) = png_size(&file.bytes().await.expect("bytes"));
        // The same ratio, to the rounding of the shorter edge.
        let expected = f64::from(dims.width) / f64::from(dims.height);
        let ratio = f64::from(width) / f64::from(height);
        let tolerance = expected / f64::from(width.min(height));
        assert!(
            (ratio - expected).abs() <= tolerance,
            "{}: {width}x{height} against {}x{}",
            asset.id,
            dims.width,
            dims.height
        );
        assert_eq!(width.max(height), 1200);
    }
    assert_eq!(shapes.len(), 3, "landscape, portrait and square seen");
}
