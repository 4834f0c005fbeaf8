//! Every JSON answer of the sandbox that Getty's OpenAPI file gives a schema is valid against
//! it: searches of each family with every set of fields, products, an image's download
//! history, the account's downloads, one image's metadata (alone and several at once) and its
//! similar and same-series images (schemas read from `tests/it/data/getty-openapi.yml`).

use crate::common;
use crate::openapi;
use crate::sandbox_tokens;

use getty_picker_server::ticket::unix_now;
use getty_picker_server::RunningServer;
use getty_sandbox::clock::DAY;
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::PastDownload;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use common::{authed, base};
use openapi::Spec;
use sandbox_tokens::{client_token, user_token};

/// Every `fields` value the picker or a test uses, the sets, and none at all.
const FIELD_SETS: &[Option<&str>] = &[
    None,
    Some("summary_set"),
    Some("detail_set"),
    Some("display_set"),
    Some(
        "id,title,caption,artist,collection_name,copyright,asset_family,allowed_use,\
         max_dimensions,largest_downloads,thumb,preview,comp",
    ),
    Some("id,thumb,largest_downloads"),
];

struct Walk {
    spec: Spec,
    server: RunningServer,
    client: Client,
    user: String,
    checked: usize,
}

impl Walk {
    async fn start() -> Self {
        let server = common::sandbox().await;
        let client = Client::new();
        let user = user_token(&client, &server).await;
        Self {
            spec: Spec::load(),
            server,
            client,
            user,
            checked: 0,
        }
    }

    /// GETs `path` (a concrete URL path) with `query` and `token`, checks the 200 answer
    /// against the schema of `template` (the OpenAPI path), and returns it.
    async fn check(
        &mut self,
        template: &str,
        path: &str,
        query: &[(&str, &str)],
        token: &str,
    ) -> Value {
        let response = authed(
            self.client
                .get(format!("{}{path}", base(self.server.addr()))),
            token,
        )
        .query(query)
        .send()
        .await
        .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{path} {query:?}");
        let answer: Value = response.json().await.expect("a JSON answer");
        let schema = self
            .spec
            .response_schema("get", template)
            .unwrap_or_else(|| panic!("Getty's file gives GET {template} no schema"))
            .clone();
        let errors = self.spec.validate(&schema, &answer);
        assert!(
            errors.is_empty(),
            "GET {path} {query:?} does not match Getty's schema:\n{}",
            errors.join("\n")
        );
        self.checked += 1;
        answer
    }

    /// Checks one image of a metadata answer. Getty's file leaves `ImagesDetailResults.images`
    /// untyped, so each image is held to its search item schema (`ImageSearchItem`, every
    /// field of which an image's metadata shares), with the two fields only an image's
    /// metadata has checked here: `credit_line` a string, `download_sizes` Getty's entries.
    fn check_detail_image(&self, image: &Value) {
        let mut shared = image.clone();
        let object = shared.as_object_mut().expect("an image is an object");
        if let Some(credit) = object.remove("credit_line") {
            assert!(credit.is_string() || credit.is_null(), "{credit}");
        }
        if let Some(sizes) = object.remove("download_sizes") {
            for size in sizes.as_array().expect("download_sizes is an array") {
                let size = size.as_object().expect("a size is an object");
                let mut names: Vec<&str> = size.keys().map(String::as_str).collect();
                names.sort_unstable();
                assert_eq!(names, ["bytes", "height", "media_type", "name", "width"]);
                for number in ["bytes", "height", "width"] {
                    assert!(size[number].as_u64().is_some_and(|n| n > 0), "{number}");
                }
                assert!(size["name"].is_string() && size["media_type"].is_string());
            }
        }
        let schema = json!({"$ref": "#/components/schemas/ImageSearchItem"});
        let errors = self.spec.validate(&schema, &shared);
        assert!(errors.is_empty(), "{image}:\n{}", errors.join("\n"));
    }
}

/// Every `fields` value of one image's metadata: the picker's and the CMS's, the sets, none.
const DETAIL_FIELD_SETS: &[Option<&str>] = &[
    None,
    Some("summary_set"),
    Some("detail_set"),
    Some("display_set"),
    Some(
        "id,title,caption,credit_line,artist,collection_name,asset_family,allowed_use,\
         max_dimensions,download_sizes,largest_downloads,copyright,thumb,preview,comp,keywords",
    ),
];

#[tokio::test]
async fn every_sandbox_answer_matches_gettys_schemas() {
    let mut walk = Walk::start().await;
    let user = walk.user.clone();
    let client = client_token(&walk.client, &walk.server).await;

    // Searches: every family, field set and token kind; 100 images a page and several pages,
    // so that every variety of the sandbox's data (no artist, no allowed_use, ...) is seen.
    for path in [
        "/v3/search/images",
        "/v3/search/images/creative",
        "/v3/search/images/editorial",
    ] {
        for fields in FIELD_SETS {
            for page in ["1", "7"] {
                let mut query = vec![("phrase", "schema check"), ("page_size", "100")];
                query.push(("page", page));
                if let Some(fields) = fields {
                    query.push(("fields", fields));
                }
                walk.check(path, path, &query, &user).await;
            }
        }
        walk.check(path, path, &[("phrase", "kitties")], &client)
            .await;
    }
    // An empty result.
    walk.check(
        "/v3/search/images",
        "/v3/search/images",
        &[("phrase", "kitties"), ("page", "100000")],
        &user,
    )
    .await;

    for query in [&[][..], &[("fields", "download_requirements")][..]] {
        walk.check("/v3/products", "/v3/products", query, &user)
            .await;
    }

    // History: after downloads of the picker's kind and seeded ones, by another user too.
    let editorial = data::search_family("schema", Some(AssetFamily::Editorial), 1, 3);
    let id = editorial.images[0].asset.id.clone();
    let download = authed(
        walk.client.post(format!(
            "{}/v3/downloads/images/{id}",
            base(walk.server.addr())
        )),
        &user,
    )
    .query(&[
        ("auto_download", "false"),
        ("product_type", "premiumaccess"),
    ])
    .json(&json!({"project_code": "WEB-HOME", "download_notes": "Front page"}))
    .send()
    .await
    .expect("a download");
    assert_eq!(download.status(), StatusCode::OK);
    let sandbox = walk.server.sandbox().expect("sandbox mode");
    for (n, user) in ["ann", "editor"].into_iter().enumerate() {
        sandbox
            .seed_download(PastDownload {
                id: editorial.images[n].asset.id.clone(),
                product_id: 1001,
                user: user.into(),
                at: unix_now() - (n as u64 + 3) * DAY,
                project_code: None,
                notes: None,
            })
            .expect("seeded");
    }
    let history = "/v3/images/{id}/downloadhistory";
    for query in [
        &[][..],
        &[("company_downloads", "true")][..],
        &[("company_downloads", "false")][..],
    ] {
        walk.check(
            history,
            &format!("/v3/images/{id}/downloadhistory"),
            query,
            &user,
        )
        .await;
    }
    let never = editorial.images[2].asset.id.clone();
    walk.check(
        history,
        &format!("/v3/images/{never}/downloadhistory"),
        &[],
        &user,
    )
    .await;

    for query in [
        &[][..],
        &[("company_downloads", "true"), ("page_size", "100")][..],
        &[("product_type", "premiumaccess"), ("page", "1")][..],
        &[("date_from", "2020-01-01"), ("date_to", "2020-01-31")][..],
    ] {
        walk.check("/v3/downloads", "/v3/downloads", query, &user)
            .await;
    }

    // One image's metadata, alone and several at once (of both families, every variety seen),
    // and its neighbours with every set of fields.
    let shown = data::search("schema check", 1, 40).images;
    let ids: Vec<String> = shown.iter().map(|image| image.asset.id.clone()).collect();
    let mut details = 0;
    for fields in DETAIL_FIELD_SETS {
        // With an id the sandbox never issues: `images_not_found` is checked too.
        let joined = format!("{},1234567800", ids.join(","));
        let mut query = vec![("ids", joined.as_str())];
        if let Some(fields) = fields {
            query.push(("fields", fields));
        }
        let answer = walk
            .check("/v3/images", "/v3/images", &query, &client)
            .await;
        for image in answer["images"].as_array().expect("images") {
            walk.check_detail_image(image);
            details += 1;
        }
        for id in &ids[..3] {
            let query: Vec<(&str, &str)> = fields.iter().map(|f| ("fields", *f)).collect();
            let answer = walk
                .check(
                    "/v3/images/{id}",
                    &format!("/v3/images/{id}"),
                    &query,
                    &user,
                )
                .await;
            walk.check_detail_image(&answer["images"][0]);
        }
    }
    assert_eq!(details, DETAIL_FIELD_SETS.len() * ids.len());
    let creative = data::search_family("schema check", Some(AssetFamily::Creative), 1, 30).images;
    let series = creative
        .iter()
        .find(|image| {
            matches!(
                data::same_series(&image.asset.id, "", 1, 1),
                Some(data::Series::Creative(page)) if page.result_count > 0
            )
        })
        .expect("a creative image in a series");
    let id = &series.asset.id;
    for fields in FIELD_SETS {
        let mut query = vec![("page_size", "100")];
        if let Some(fields) = fields {
            query.push(("fields", fields));
        }
        for template in ["/v3/images/{id}/similar", "/v3/images/{id}/same-series"] {
            let path = template.replace("{id}", id);
            walk.check(template, &path, &query, &user).await;
        }
    }
    assert_eq!(
        walk.checked,
        3 * (FIELD_SETS.len() * 2 + 1)
            + 1
            + 2
            + 4
            + 4
            + DETAIL_FIELD_SETS.len() * 4
            + FIELD_SETS.len() * 2
    );
}

#[test]
fn the_validator_catches_what_does_not_match() {
    let spec = Spec::load();
    let schema = spec
        .response_schema("get", "/v3/products")
        .expect("a products schema")
        .clone();
    let valid = json!({"products": [{"id": 1, "name": "Pack", "type": "imagepack",
        "status": "active", "download_limit": null, "agreement_name": "A",
        "download_limit_reset_utc_date": "2027-01-01T00:00:00Z",
        "download_requirements": {"is_note_required": false, "project_codes": []}}]});
    assert_eq!(spec.validate(&schema, &valid), Vec::<String>::new());
    let invalid = json!({"products": [{"id": "1", "type": "pack", "status": null,
        "download_limit_reset_utc_date": "1 Dec", "made_up": 1,
        "download_requirements": null}]});
    let errors = spec.validate(&schema, &invalid);
    for expected in [
        "$.products[0].id",
        "$.products[0].type",
        "$.products[0].status",
        "$.products[0].download_limit_reset_utc_date",
        "$.products[0].made_up",
        "$.products[0].download_requirements",
    ] {
        assert!(
            errors
                .iter()
                .any(|error| error.starts_with(&format!("{expected}:"))),
            "{expected} in {errors:?}"
        );
    }
    assert!(openapi::is_date_time("2026-11-03T10:00:00.123+01:00"));
    assert!(!openapi::is_date_time("2026-11-03"));
}
