//! One image's metadata and its neighbours over HTTP: `GET /v3/images/{id}`,
//! `GET /v3/images?ids=`, `GET /v3/images/{id}/similar` and `/same-series`, as Getty shapes
//! them (field sets, `images_not_found`, search-shaped neighbours), with its refusals; an image
//! keeps the title of the search that showed it.

use crate::common;
use crate::openapi;
use crate::sandbox_tokens;

use getty_picker_server::RunningServer;
use getty_sandbox::data::{self, AssetFamily, Series};
use getty_sandbox::Sandbox;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use common::{authed, base};
use openapi::Spec;
use sandbox_tokens::{client_token, user_token};

struct Fixture {
    server: RunningServer,
    client: Client,
    token: String,
}

impl Fixture {
    async fn start() -> Self {
        let server = common::sandbox().await;
        let client = Client::new();
        let token = client_token(&client, &server).await;
        Self {
            server,
            client,
            token,
        }
    }

    fn sandbox(&self) -> &Sandbox {
        self.server.sandbox().expect("sandbox mode")
    }

    /// `GET path` with `query` and `headers`; the status and the body (null if not JSON).
    async fn get_with(
        &self,
        path: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut request = authed(
            self.client
                .get(format!("{}{path}", base(self.server.addr()))),
            &self.token,
        )
        .query(query);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, query: &[(&str, &str)]) -> (StatusCode, Value) {
        self.get_with(path, query, &[]).await
    }

    /// Searches `family`'s endpoint for `phrase` (so the sandbox shows its images).
    async fn search(&self, family: &str, phrase: &str) -> Vec<Value> {
        let (status, body) = self
            .get(
                &format!("/v3/search/images/{family}"),
                &[("phrase", phrase), ("fields", "id,title,caption")],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        body["images"].as_array().cloned().expect("images")
    }
}

/// Asserts a 400 `InvalidParameterValue` naming `name`.
fn assert_refused(answer: &(StatusCode, Value), name: &str) {
    let (status, body) = answer;
    assert_eq!(*status, StatusCode::BAD_REQUEST, "{name}: {body}");
    assert_eq!(body["ErrorCode"], "InvalidParameterValue", "{name}: {body}");
    let message = body["ErrorMessage"].as_str().unwrap_or_default();
    assert!(message.contains(name), "{name}: {message}");
}

fn keys(image: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = image
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn an_image_answers_getty_s_detail_fields_with_the_title_it_was_shown_with() {
    let f = Fixture::start().await;
    let shown = f.search("editorial", "harbour").await;
    let id = shown[0]["id"].as_str().expect("id").to_owned();
    let asset = data::lookup(&id).expect("a sandbox image");
    let path = format!("/v3/images/{id}");

    let fields = "id,title,caption,credit_line,artist,collection_name,asset_family,allowed_use,\
                  max_dimensions,download_sizes,largest_downloads,copyright";
    let (status, body) = f.get(&path, &[("fields", fields)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["images_not_found"], json!([]));
    let images = body["images"].as_array().expect("images");
    assert_eq!(images.len(), 1);
    let image = &images[0];
    assert_eq!(image["id"], id.as_str());
    assert_eq!(image["title"], shown[0]["title"]);
    assert_eq!(image["caption"], shown[0]["caption"]);
    assert_eq!(image["credit_line"], asset.credit_line.as_str());
    assert_eq!(image["artist"], json!(asset.artist));
    assert_eq!(image["collection_name"], asset.collection_name.as_str());
    assert_eq!(image["asset_family"], "editorial");
    assert_eq!(image["copyright"], json!(asset.copyright));
    assert_eq!(
        image["max_dimensions"],
        json!({"height": asset.max_dimensions.height, "width": asset.max_dimensions.width})
    );
    match &asset.allowed_use {
        Some(allowed) => {
            assert_eq!(
                image["allowed_use"]["usage_restrictions"],
                json!(allowed.usage_restrictions)
            );
        }
        None => assert!(image.get("allowed_use").is_none()),
    }
    let sizes = image["download_sizes"].as_array().expect("download_sizes");
    let largest = sizes.last().expect("a size");
    assert_eq!(largest["width"], asset.max_dimensions.width);
    assert_eq!(largest["height"], asset.max_dimensions.height);
    for size in sizes {
        assert_eq!(
            keys(size),
            ["bytes", "height", "media_type", "name", "width"]
        );
    }
    // The ways the account may download it, as a search shows them.
    let downloads = image["largest_downloads"].as_array().expect("downloads");
    let products: Vec<&str> = downloads
        .iter()
        .filter_map(|d| d["product_id"].as_str())
        .collect();
    assert_eq!(products, ["1001", "1002"]);
    assert!(downloads.iter().all(|d| d["uri"]
        .as_str()
        .is_some_and(|uri| uri.ends_with(&format!("/v3/downloads/images/{id}")))));

    // Without fields: Getty's summary set of one image (the artist, no thumbnail).
    let (_, summary) = f.get(&path, &[]).await;
    assert_eq!(
        keys(&summary["images"][0]),
        [
            "artist",
            "asset_family",
            "caption",
            "collection_name",
            "id",
            "max_dimensions",
            "title"
        ]
    );
    // The detail set has the credit line and download sizes, no display sizes; the display set
    // has the signed renditions a search has.
    let (_, detail) = f.get(&path, &[("fields", "detail_set")]).await;
    let detail = &detail["images"][0];
    assert!(detail["credit_line"].is_string() && detail["download_sizes"].is_array());
    assert!(detail.get("display_sizes").is_none());
    let (_, display) = f.get(&path, &[("fields", "display_set")]).await;
    let names: Vec<&str> = display["images"][0]["display_sizes"]
        .as_array()
        .expect("display sizes")
        .iter()
        .filter_map(|size| size["name"].as_str())
        .collect();
    assert_eq!(names, ["thumb", "preview", "comp"]);
    let (_, searched) = f
        .get(
            "/v3/search/images/editorial",
            &[("phrase", "harbour"), ("fields", "id,thumb")],
        )
        .await;
    assert_eq!(
        display["images"][0]["display_sizes"][0],
        searched["images"][0]["display_sizes"][0]
    );
    // Localised as searches are.
    let (_, french) = f
        .get_with(
            &path,
            &[("fields", "title")],
            &[("Accept-Language", "fr-FR")],
        )
        .await;
    assert_eq!(
        french["images"][0]["title"],
        format!("[fr] {}", shown[0]["title"].as_str().expect("title"))
    );
    assert_eq!(f.sandbox().counts().image, 5);
}

#[tokio::test]
async fn an_images_keywords_are_gettys_keywords_for_the_subject_it_was_shown_with() {
    let f = Fixture::start().await;
    let spec = Spec::load();
    let keyword = json!({"$ref": "#/components/schemas/Keyword"});
    let shown = f.search("creative", "red harbour").await;
    for image in &shown[..3] {
        let id = image["id"].as_str().expect("id");
        let (status, body) = f
            .get(&format!("/v3/images/{id}"), &[("fields", "id,keywords")])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let keywords = body["images"][0]["keywords"].as_array().expect("keywords");
        for entry in keywords {
            let errors = spec.validate(&keyword, entry);
            assert!(errors.is_empty(), "{entry}:\n{}", errors.join("\n"));
            assert!(entry["keyword_id"].as_str().is_some_and(|k| !k.is_empty()));
            assert_eq!(entry["type"], "Keyword");
        }
        let texts: Vec<&str> = keywords.iter().filter_map(|k| k["text"].as_str()).collect();
        // The subject's words first, most relevant, then the image's own; none twice.
        assert_eq!(texts[..2], ["Red", "Harbour"], "{texts:?}");
        assert!(texts.len() >= 4, "{texts:?}");
        let mut distinct: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), texts.len(), "{texts:?}");
        let relevance: Vec<i64> = keywords
            .iter()
            .filter_map(|k| k["relevance"].as_i64())
            .collect();
        assert!(
            relevance.windows(2).all(|pair| pair[0] > pair[1]),
            "{relevance:?}"
        );
        // Named only: no field set carries them.
        let (_, detail) = f
            .get(&format!("/v3/images/{id}"), &[("fields", "detail_set")])
            .await;
        assert!(detail["images"][0].get("keywords").is_none());
    }
}

#[tokio::test]
async fn unknown_images_fields_and_parameters_are_refused_as_getty_refuses_them() {
    let f = Fixture::start().await;
    let id = data::search("kitties", 1, 1).images[0].asset.id.clone();
    let path = format!("/v3/images/{id}");
    for unknown in ["1234567800", "83454804", "nope"] {
        let (status, body) = f.get(&format!("/v3/images/{unknown}"), &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");
        assert_eq!(body["code"], "ImageNotFound", "{unknown}");
        assert!(body["message"].is_string());
    }
    assert_refused(&f.get(&path, &[("fields", "id,made_up")]).await, "made_up");
    assert_refused(
        &f.get(&path, &[("fields", "display_sizes")]).await,
        "display_sizes",
    );
    assert_refused(&f.get(&path, &[("page", "1")]).await, "page");
    // A field Getty lists but the sandbox does not render is accepted and left out.
    let (status, body) = f.get(&path, &[("fields", "id,keywords,city")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(keys(&body["images"][0]), ["id", "keywords"]);
    // Display sizes the key may not use.
    f.sandbox().restrict_display_sizes(&["comp"]);
    let (status, body) = f.get(&path, &[("fields", "id,comp")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["ErrorCode"], "UnauthorizedDisplaySize");
    // A token is needed, of either kind.
    let response = f
        .client
        .get(format!("{}{path}", base(f.server.addr())))
        .header("Api-Key", getty_sandbox::SANDBOX_API_KEY)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let user = user_token(&f.client, &f.server).await;
    let response = authed(
        f.client.get(format!("{}{path}", base(f.server.addr()))),
        &user,
    )
    .send()
    .await
    .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn several_images_at_once_say_which_were_not_found() {
    let f = Fixture::start().await;
    let page = data::search("harbour", 1, 3).images;
    let (a, b) = (page[0].asset.id.as_str(), page[1].asset.id.as_str());
    let ids = format!("{b},1234567800,{a},{b}");
    let (status, body) = f
        .get(
            "/v3/images",
            &[("ids", ids.as_str()), ("fields", "id,credit_line")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let found: Vec<&str> = body["images"]
        .as_array()
        .expect("images")
        .iter()
        .filter_map(|image| image["id"].as_str())
        .collect();
    assert_eq!(found, [b, a]);
    assert_eq!(body["images_not_found"], json!(["1234567800"]));
    assert_eq!(
        body["images"][0]["credit_line"],
        page[1].asset.credit_line.as_str()
    );

    let (status, body) = f.get("/v3/images", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["ErrorCode"], "MissingRequiredQueryParameters");
    let many: Vec<String> = data::search("harbour", 1, 100)
        .images
        .iter()
        .map(|image| image.asset.id.clone())
        .chain(["1234567800".to_owned()])
        .collect();
    assert_refused(
        &f.get("/v3/images", &[("ids", many.join(",").as_str())])
            .await,
        "ids",
    );
    assert_refused(
        &f.get("/v3/images", &[("ids", a), ("fields", "made_up")])
            .await,
        "made_up",
    );
}

#[tokio::test]
async fn similar_images_are_a_search_answer_paged_within_getty_s_limits() {
    let f = Fixture::start().await;
    let shown = f.search("creative", "lighthouse").await;
    let id = shown[0]["id"].as_str().expect("id").to_owned();
    let path = format!("/v3/images/{id}/similar");
    let (status, first) = f
        .get(
            &path,
            &[
                ("fields", "id,title,asset_family,thumb"),
                ("page_size", "10"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let total = first["result_count"].as_u64().expect("result_count");
    assert!((20..=200).contains(&total), "{total}");
    let images = first["images"].as_array().expect("images");
    assert_eq!(images.len(), 10);
    for image in images {
        assert_ne!(image["id"], id.as_str());
        assert_eq!(image["asset_family"], "creative");
        // Neighbours share the subject of the image they neighbour.
        assert!(image["title"]
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("lighthouse")));
        assert_eq!(image["display_sizes"][0]["name"], "thumb");
    }
    // Deterministic, and paged like a search.
    let (_, again) = f
        .get(
            &path,
            &[
                ("fields", "id,title,asset_family,thumb"),
                ("page_size", "10"),
            ],
        )
        .await;
    assert_eq!(again, first);
    let (_, second) = f
        .get(
            &path,
            &[("fields", "id"), ("page", "2"), ("page_size", "5")],
        )
        .await;
    assert_eq!(second["images"][0]["id"], images[5]["id"]);
    let (_, past) = f
        .get(&path, &[("page", "1000"), ("page_size", "100")])
        .await;
    assert_eq!(past["images"], json!([]));
    assert_eq!(past["result_count"], total);
    // A neighbour's own metadata keeps the title it was shown with.
    let neighbour = images[3]["id"].as_str().expect("id");
    let (_, detail) = f
        .get(&format!("/v3/images/{neighbour}"), &[("fields", "title")])
        .await;
    assert_eq!(detail["images"][0]["title"], images[3]["title"]);
    // Without fields: the summary set of a search, thumbnail included.
    let (_, summary) = f.get(&path, &[("page_size", "1")]).await;
    assert_eq!(summary["images"][0]["display_sizes"][0]["name"], "thumb");
    // Localised as searches are.
    let (_, german) = f
        .get_with(&path, &[("fields", "title")], &[("Accept-Language", "de")])
        .await;
    assert!(german["images"][0]["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("[de] ")));

    for (name, value) in [
        ("page_size", "101"),
        ("page_size", "0"),
        ("page", "0"),
        ("page", "2147483648"),
        ("fields", "credit_line"),
        ("phrase", "lighthouse"),
    ] {
        assert_refused(&f.get(&path, &[(name, value)]).await, name);
    }
    let (status, _) = f.get(&path, &[("page", "2147483647")]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = f.get("/v3/images/1234567800/similar", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "ImageNotFound");
    // Editorial images have similar images too.
    let editorial = data::search_family("lighthouse", Some(AssetFamily::Editorial), 1, 1).images[0]
        .asset
        .id
        .clone();
    let (status, body) = f
        .get(
            &format!("/v3/images/{editorial}/similar"),
            &[("fields", "asset_family")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["images"][0]["asset_family"], "editorial");
}

#[tokio::test]
async fn the_same_series_is_creative_only_and_shared_by_its_members() {
    let f = Fixture::start().await;
    let shown = f.search("creative", "studio").await;
    // A creative image shot in a series, and one shot alone.
    let in_series = |image: &&Value| {
        let id = image["id"].as_str().unwrap_or_default();
        matches!(
            data::same_series(id, "studio", 1, 100),
            Some(Series::Creative(page)) if !page.images.is_empty()
        )
    };
    let member = shown.iter().find(in_series).expect("an image in a series");
    let alone = shown
        .iter()
        .find(|image| !in_series(image))
        .expect("an image shot alone");
    let id = member["id"].as_str().expect("id");
    let (status, series) = f
        .get(
            &format!("/v3/images/{id}/same-series"),
            &[("fields", "id,title,asset_family,artist")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{series}");
    let images = series["images"].as_array().expect("images");
    assert_eq!(series["result_count"].as_u64(), Some(images.len() as u64));
    assert!(!images.is_empty());
    assert!(images
        .iter()
        .all(|image| image["asset_family"] == "creative" && image["id"] != id));
    assert!(images.iter().all(|image| image["title"]
        .as_str()
        .is_some_and(|t| t.to_lowercase().contains("studio"))));
    // Another member's series holds the first one.
    let other = images[0]["id"].as_str().expect("id");
    let (_, theirs) = f
        .get(
            &format!("/v3/images/{other}/same-series"),
            &[("fields", "id")],
        )
        .await;
    assert!(theirs["images"]
        .as_array()
        .expect("images")
        .iter()
        .any(|image| image["id"] == id));
    let alone = alone["id"].as_str().expect("id");
    let (status, body) = f.get(&format!("/v3/images/{alone}/same-series"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"result_count": 0, "images": []}));

    // Getty keeps series of creative images only.
    let editorial = f.search("editorial", "studio").await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, body) = f
        .get(&format!("/v3/images/{editorial}/same-series"), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "ImageNotFound");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("creative")));
    let path = format!("/v3/images/{id}/same-series");
    for (name, value) in [
        ("page_size", "101"),
        ("page", "2147483648"),
        ("fields", "download_sizes,nope"),
        ("sort_order", "newest"),
    ] {
        let answer = f.get(&path, &[(name, value)]).await;
        let named = if name == "fields" { "nope" } else { name };
        assert_refused(&answer, named);
    }
    assert_eq!(f.sandbox().counts().same_series, 8);
}
