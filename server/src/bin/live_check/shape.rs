//! Shape checks of Getty's answers: what the widget reads from them, and in which types.

use serde_json::Value;

/// Most problems listed per check; the rest are counted.
const MAX_PROBLEMS: usize = 8;

/// What a well-formed search answer held, for the PASS line.
#[derive(Debug, PartialEq, Eq)]
pub struct SearchSummary {
    /// `result_count`.
    pub result_count: u64,
    /// Images on this page.
    pub images: usize,
    /// Images with at least one `largest_downloads` entry.
    pub with_downloads: usize,
}

/// One account product as the picker shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// `id` (an integer at Getty).
    pub id: u64,
    /// `name`, if any.
    pub name: Option<String>,
    /// `type`, the product type.
    pub product_type: String,
    /// `downloads_remaining` (none: no limit).
    pub remaining: Option<u64>,
    /// `download_limit` (none: no limit).
    pub limit: Option<u64>,
    /// `download_requirements.is_project_code_required`.
    pub project_code_required: bool,
    /// `download_requirements.project_codes`.
    pub project_codes: Vec<String>,
    /// `download_requirements.is_note_required`.
    pub note_required: bool,
}

/// The first `largest_downloads` entry of an image: what the download POST is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadEntry {
    /// `product_id` (a string at Getty), if given.
    pub product_id: Option<String>,
    /// `product_type`.
    pub product_type: String,
    /// `uri`, the download endpoint.
    pub uri: String,
}

/// Problems found in one answer, capped at [`MAX_PROBLEMS`].
#[derive(Debug, Default)]
struct Problems {
    list: Vec<String>,
    more: usize,
}

impl Problems {
    fn add(&mut self, problem: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn finish<T>(mut self, value: T) -> Result<T, Vec<String>> {
        if self.list.is_empty() {
            return Ok(value);
        }
        if self.more > 0 {
            self.list.push(format!("and {} more", self.more));
        }
        Err(self.list)
    }
}

/// An absolute http(s) URL, as the widget requires of every URI it follows.
pub fn is_http_url(value: &str) -> bool {
    reqwest::Url::parse(value).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// JSON type names for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Checks a search answer: `result_count`, and per image a string `id`, `display_sizes` with a
/// `thumb`, well-formed `largest_downloads` entries and, for a family endpoint, its `asset_family`.
pub fn search(answer: &Value, family: Option<&str>) -> Result<SearchSummary, Vec<String>> {
    let mut problems = Problems::default();
    let result_count = answer.get("result_count").and_then(Value::as_u64);
    if result_count.is_none() {
        problems.add(format!(
            "result_count is {}, not a whole number",
            answer.get("result_count").map_or("missing", kind)
        ));
    }
    let Some(images) = answer.get("images").and_then(Value::as_array) else {
        problems.add("images is not a list".into());
        return problems.finish(SearchSummary {
            result_count: 0,
            images: 0,
            with_downloads: 0,
        });
    };
    let mut with_downloads = 0;
    for (index, image) in images.iter().enumerate() {
        let id = match image.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            other => {
                problems.add(format!(
                    "images[{index}].id is {}, not a non-empty string",
                    other.map_or("missing", kind)
                ));
                other.map_or_else(|| format!("#{index}"), Value::to_string)
            }
        };
        check_display_sizes(image, &id, &mut problems);
        if let (Some(expected), Some(actual)) =
            (family, image.get("asset_family").and_then(Value::as_str))
        {
            if actual != expected {
                problems.add(format!(
                    "image {id}: asset_family {actual:?} from the {expected} endpoint"
                ));
            }
        }
        match image.get("largest_downloads") {
            None | Some(Value::Null) => {}
            Some(Value::Array(entries)) => {
                for (n, entry) in entries.iter().enumerate() {
                    if let Err(problem) = download_entry_of(entry) {
                        problems.add(format!("image {id}: largest_downloads[{n}] {problem}"));
                    }
                }
                with_downloads += usize::from(!entries.is_empty());
            }
            Some(other) => problems.add(format!(
                "image {id}: largest_downloads is {}, not a list",
                kind(other)
            )),
        }
    }
    problems.finish(SearchSummary {
        result_count: result_count.unwrap_or(0),
        images: images.len(),
        with_downloads,
    })
}

fn check_display_sizes(image: &Value, id: &str, problems: &mut Problems) {
    let Some(sizes) = image.get("display_sizes").and_then(Value::as_array) else {
        problems.add(format!("image {id}: display_sizes is not a list"));
        return;
    };
    let mut thumb = false;
    for size in sizes {
        let name = size.get("name").and_then(Value::as_str);
        let uri = size.get("uri").and_then(Value::as_str);
        match (name, uri) {
            (Some(name), Some(uri)) if is_http_url(uri) => thumb |= name == "thumb",
            (name, _) => problems.add(format!(
                "image {id}: display size {} has no http(s) uri",
                name.unwrap_or("without a name")
            )),
        }
    }
    if !thumb {
        problems.add(format!("image {id}: no thumb in display_sizes"));
    }
}

/// One `largest_downloads` entry: `product_id` a string (if present), `product_type` a string,
/// `uri` an http(s) URL.
fn download_entry_of(entry: &Value) -> Result<DownloadEntry, String> {
    let product_id = match entry.get("product_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(other) => return Err(format!("product_id is {}, not a string", kind(other))),
    };
    let product_type = match entry.get("product_type") {
        Some(Value::String(t)) if !t.is_empty() => t.clone(),
        other => {
            return Err(format!(
                "product_type is {}, not a string",
                other.map_or("missing", kind)
            ))
        }
    };
    let uri = match entry.get("uri") {
        Some(Value::String(uri)) if is_http_url(uri) => uri.clone(),
        other => {
            return Err(format!(
                "uri is {}, not an http(s) URL",
                other.map_or("missing", kind)
            ))
        }
    };
    Ok(DownloadEntry {
        product_id,
        product_type,
        uri,
    })
}

/// The first `largest_downloads` entry of `image`, if it has a well-formed one.
pub fn first_download(image: &Value) -> Option<DownloadEntry> {
    image
        .get("largest_downloads")?
        .as_array()?
        .first()
        .and_then(|entry| download_entry_of(entry).ok())
}

/// Checks a `GET /v3/products` answer and returns its products.
pub fn products(answer: &Value) -> Result<Vec<Product>, Vec<String>> {
    let mut problems = Problems::default();
    let Some(list) = answer.get("products").and_then(Value::as_array) else {
        problems.add("products is not a list".into());
        return problems.finish(Vec::new());
    };
    let optional_count =
        |product: &Value, name: &str, problems: &mut Problems| match product.get(name) {
            None | Some(Value::Null) => None,
            Some(value) => value.as_u64().or_else(|| {
                problems.add(format!("{name} is {}, not a whole number", kind(value)));
                None
            }),
        };
    let mut products = Vec::new();
    for (index, product) in list.iter().enumerate() {
        let Some(id) = product.get("id").and_then(Value::as_u64) else {
            problems.add(format!(
                "products[{index}].id is {}, not a whole number",
                product.get("id").map_or("missing", kind)
            ));
            continue;
        };
        let Some(product_type) = product.get("type").and_then(Value::as_str) else {
            problems.add(format!("product {id}: type is not a string"));
            continue;
        };
        let name = match product.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => Some(name.clone()),
            Some(other) => {
                problems.add(format!("product {id}: name is {}", kind(other)));
                None
            }
        };
        let requirements = product
            .get("download_requirements")
            .filter(|r| !r.is_null());
        let flag =
            |name: &str, problems: &mut Problems| match requirements.and_then(|r| r.get(name)) {
                None | Some(Value::Null) => false,
                Some(Value::Bool(flag)) => *flag,
                Some(other) => {
                    problems.add(format!("product {id}: {name} is {}", kind(other)));
                    false
                }
            };
        let project_code_required = flag("is_project_code_required", &mut problems);
        let note_required = flag("is_note_required", &mut problems);
        let project_codes = match requirements.and_then(|r| r.get("project_codes")) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(codes)) if codes.iter().all(Value::is_string) => codes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(other) => {
                problems.add(format!(
                    "product {id}: project_codes is {}, not a list of strings",
                    kind(other)
                ));
                Vec::new()
            }
        };
        if project_code_required && project_codes.is_empty() {
            problems.add(format!(
                "product {id}: requires a project code but lists none"
            ));
        }
        products.push(Product {
            id,
            name,
            product_type: product_type.to_owned(),
            remaining: optional_count(product, "downloads_remaining", &mut problems),
            limit: optional_count(product, "download_limit", &mut problems),
            project_code_required,
            project_codes,
            note_required,
        });
    }
    problems.finish(products)
}

/// The delivery URI of a download answer.
pub fn delivery(answer: &Value) -> Result<String, Vec<String>> {
    match answer.get("uri") {
        Some(Value::String(uri)) if is_http_url(uri) => Ok(uri.clone()),
        other => Err(vec![format!(
            "uri is {}, not an http(s) URL",
            other.map_or("missing", kind)
        )]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn image(id: Value) -> Value {
        json!({
            "id": id,
            "asset_family": "creative",
            "display_sizes": [{"name": "thumb", "uri": "https://media.example/t.jpg", "is_watermarked": true}],
            "largest_downloads": [{"product_id": "1002", "product_type": "premiumaccess",
                                   "uri": "https://api.example/v3/downloads/images/1"}],
        })
    }

    #[test]
    fn a_getty_search_answer_passes() {
        let answer =
            json!({"result_count": 3662, "images": [image(json!("1")), image(json!("2"))]});
        assert_eq!(
            search(&answer, Some("creative")),
            Ok(SearchSummary {
                result_count: 3662,
                images: 2,
                with_downloads: 2
            })
        );
        assert_eq!(
            first_download(&answer["images"][0]).map(|e| e.product_id),
            Some(Some("1002".into()))
        );
    }

    #[test]
    fn wrong_types_are_named() {
        let mut bad = image(json!(83454804));
        bad["largest_downloads"][0]["product_id"] = json!(1002);
        bad["display_sizes"][0]["uri"] = json!("javascript:alert(1)");
        let answer = json!({"result_count": "many", "images": [bad]});
        let Err(problems) = search(&answer, Some("editorial")) else {
            panic!("must fail");
        };
        let text = problems.join("; ");
        for needle in [
            "result_count is a string",
            "images[0].id is a number",
            "no http(s) uri",
            "no thumb",
            "asset_family \"creative\" from the editorial endpoint",
            "product_id is a number",
        ] {
            assert!(text.contains(needle), "{needle:?} not in {text}");
        }
    }

    #[test]
    fn products_and_their_requirements() {
        let answer = json!({"products": [
            {"id": 1001, "name": "Editorial Subscription", "type": "editorialsubscription",
             "download_limit": 50, "downloads_remaining": 12},
            {"id": 1002, "name": null, "type": "premiumaccess", "download_limit": null,
             "downloads_remaining": null, "download_requirements": {"is_note_required": false,
             "is_project_code_required": true, "project_codes": ["SPRING-26"]}},
        ]});
        let products = products(&answer).expect("well-formed");
        assert_eq!(products[0].remaining, Some(12));
        assert_eq!(products[1].project_codes, ["SPRING-26"]);
        assert!(products[1].project_code_required && products[1].limit.is_none());
        let bad = json!({"products": [{"id": "1001", "type": "x"},
            {"id": 2, "type": "y", "downloads_remaining": "12",
             "download_requirements": {"is_project_code_required": true}}]});
        let text = super::products(&bad).expect_err("malformed").join("; ");
        assert!(text.contains("products[0].id is a string"), "{text}");
        assert!(text.contains("downloads_remaining is a string"), "{text}");
        assert!(text.contains("lists none"), "{text}");
        assert!(super::products(&json!({"items": []})).is_err());
    }

    #[test]
    fn delivery_uris_must_be_http() {
        assert_eq!(
            delivery(&json!({"uri": "https://delivery.example/f"})),
            Ok("https://delivery.example/f".into())
        );
        assert!(delivery(&json!({"uri": "file:///etc/passwd"})).is_err());
        assert!(delivery(&json!({})).is_err());
    }
}
