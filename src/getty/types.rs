//! Answers of the token backend and of Getty's search and download endpoints, and how they
//! are read from JSON.

use super::json::{Json, Skipping};

/// A type read from a JSON answer; the error says what was wrong, for the editor's message.
pub trait FromJson: Sized {
    /// Reads `json`, tolerating what Getty is known to vary.
    fn from_json(json: &Json) -> Result<Self, String>;
}

/// The token backend's answer to `POST /token` (Getty's own token shape, which it passes on).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenAnswer {
    /// The bearer token for Getty's API.
    pub access_token: String,
    /// Seconds the token stays valid; Getty sends a number or a string such as `"1800"`.
    pub expires_in: Option<u64>,
}

impl FromJson for TokenAnswer {
    fn from_json(json: &Json) -> Result<Self, String> {
        let access_token = json.get("access_token").text().ok_or("no access_token")?;
        Ok(Self {
            access_token,
            expires_in: json.get("expires_in").count(),
        })
    }
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchPage {
    /// Total number of matches Getty reports, if it says.
    pub result_count: Option<u64>,
    /// The images of this page that could be read; `images.skipped` counts the others.
    pub images: Skipping<Image>,
}

impl FromJson for SearchPage {
    fn from_json(json: &Json) -> Result<Self, String> {
        if !matches!(json, Json::Object(_)) {
            return Err("not an object".into());
        }
        Ok(Self {
            result_count: json.get("result_count").count(),
            images: json.get("images").list(Image::read),
        })
    }
}

/// One image of a search result. Only `id` is required: Getty may omit or null anything else.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Getty's asset id (a string, tolerated as a number).
    pub id: String,
    /// Title, plain text.
    pub title: Option<String>,
    /// Caption, plain text.
    pub caption: Option<String>,
    /// Photographer or artist.
    pub artist: Option<String>,
    /// Name of the collection the image belongs to.
    pub collection_name: Option<String>,
    /// `creative` or `editorial`.
    pub asset_family: Option<String>,
    /// Size of the largest rendition, in pixels.
    pub max_dimensions: Option<Dimensions>,
    /// Sized renditions (`thumb`, `preview`, `comp`), with signed URIs to use as given.
    pub display_sizes: Skipping<DisplaySize>,
    /// What the account may download, one entry per product type.
    pub largest_downloads: Skipping<LargestDownload>,
}

impl Image {
    /// Reads one entry of `images`; `None` if it has no usable id.
    fn read(json: &Json) -> Option<Self> {
        Some(Self {
            id: json.get("id").id()?,
            title: json.get("title").text(),
            caption: json.get("caption").text(),
            artist: json.get("artist").text(),
            collection_name: json.get("collection_name").text(),
            asset_family: json.get("asset_family").text(),
            max_dimensions: Dimensions::read(json.get("max_dimensions")),
            display_sizes: json.get("display_sizes").list(DisplaySize::read),
            largest_downloads: json.get("largest_downloads").list(LargestDownload::read),
        })
    }

    /// URI of the named display size (`thumb`, `preview`, `comp`), if Getty sent one.
    pub fn display_uri(&self, name: &str) -> Option<&str> {
        self.display_sizes
            .items
            .iter()
            .find(|size| size.name == name)
            .map(|size| size.uri.as_str())
    }

    /// The downloads on offer for this image.
    pub fn downloads(&self) -> &[LargestDownload] {
        &self.largest_downloads.items
    }

    /// Title to show, falling back to a neutral label when Getty sent none.
    pub fn title_or_untitled(&self) -> &str {
        self.title.as_deref().unwrap_or("Untitled image")
    }
}

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimensions {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Dimensions {
    fn read(json: &Json) -> Option<Self> {
        Some(Self {
            width: json.get("width").small_number()?,
            height: json.get("height").small_number()?,
        })
    }
}

/// One rendition of an image.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplaySize {
    /// Rendition name, e.g. `thumb`.
    pub name: String,
    /// Signed URI of the rendition.
    pub uri: String,
}

impl DisplaySize {
    fn read(json: &Json) -> Option<Self> {
        Some(Self {
            name: json.get("name").as_str()?.to_owned(),
            uri: json.get("uri").as_str()?.to_owned(),
        })
    }
}

/// A download the account may make; an entry without `uri` or `product_type` is unusable.
#[derive(Debug, Clone, PartialEq)]
pub struct LargestDownload {
    /// The download endpoint for this image (`.../v3/downloads/images/{id}`).
    pub uri: String,
    /// The product the download is charged to (`easyaccess`, `premiumaccess`, ...).
    pub product_type: String,
    /// The specific product, when the account has several of one type.
    pub product_id: Option<String>,
    /// Name of the agreement the product belongs to.
    pub agreement_name: Option<String>,
}

impl LargestDownload {
    fn read(json: &Json) -> Option<Self> {
        Some(Self {
            uri: json.get("uri").as_str()?.to_owned(),
            product_type: json.get("product_type").as_str()?.to_owned(),
            product_id: json.get("product_id").text(),
            agreement_name: json.get("agreement_name").text(),
        })
    }
}

/// Getty's answer to a download POST with `auto_download=false`.
#[derive(Debug, Clone, PartialEq)]
pub struct DownloadAnswer {
    /// The delivery URI, valid for about 24 hours.
    pub uri: String,
}

impl FromJson for DownloadAnswer {
    fn from_json(json: &Json) -> Result<Self, String> {
        let uri = json.get("uri").as_str().ok_or("no delivery uri")?;
        Ok(Self {
            uri: uri.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getty::json;

    fn parse<T: FromJson>(text: &str) -> T {
        T::from_json(&json::parse(text)).expect("the answer reads")
    }

    #[test]
    fn token_expires_in_as_string_or_number() {
        let seed: TokenAnswer =
            parse(r#"{"access_token":"123456","token_type":"Bearer","expires_in":"1800"}"#);
        assert_eq!(seed.access_token, "123456");
        assert_eq!(seed.expires_in, Some(1800));
        let number: TokenAnswer = parse(r#"{"access_token":"a","expires_in":1800}"#);
        assert_eq!(number.expires_in, Some(1800));
        let missing: TokenAnswer = parse(r#"{"access_token":"a","expires_in":null}"#);
        assert_eq!(missing.expires_in, None);
        let garbage: TokenAnswer = parse(r#"{"access_token":"a","expires_in":"soon"}"#);
        assert_eq!(garbage.expires_in, None);
    }

    #[test]
    fn token_without_access_token_is_an_error() {
        let answer = TokenAnswer::from_json(&json::parse(r#"{"expires_in":1800}"#));
        assert_eq!(answer, Err("no access_token".into()));
        assert!(TokenAnswer::from_json(&json::parse(r#"{"access_token":" "}"#)).is_err());
        assert!(SearchPage::from_json(&json::parse("[]")).is_err());
        assert!(DownloadAnswer::from_json(&json::parse(r#"{"uri":7}"#)).is_err());
    }

    #[test]
    fn seed_search_answer() {
        let page: SearchPage = parse(
            r#"{"result_count":3662,"images":[
                {"id":"83454804","largest_downloads":[{"product_type":"easyaccess",
                  "uri":"https://api.gettyimages.com/v3/downloads/images/83454804"}]},
                {"id":"103131833","largest_downloads":[{"product_type":"editorialsubscription",
                  "uri":"https://api.gettyimages.com/v3/downloads/images/103131833"}]}]}"#,
        );
        assert_eq!(page.result_count, Some(3662));
        assert_eq!(page.images.items.len(), 2);
        let first = &page.images.items[0];
        assert_eq!(first.id, "83454804");
        assert_eq!(first.title, None);
        assert_eq!(first.title_or_untitled(), "Untitled image");
        assert_eq!(first.downloads()[0].product_type, "easyaccess");
        assert_eq!(first.downloads()[0].product_id, None);
        assert_eq!(first.downloads()[0].agreement_name, None);
    }

    #[test]
    fn full_image_with_unknown_fields() {
        let page: SearchPage = parse(
            r#"{"result_count":"12","unknown":{"x":1},"images":[{"id":42,"title":"Cat",
                "caption":"A cat","artist":"Ann","collection_name":"Stone","asset_family":"creative",
                "max_dimensions":{"height":3000,"width":4500},"new_field":[1,2],
                "display_sizes":[{"is_watermarked":true,"name":"thumb","uri":"https://t/1"},
                                 {"name":"comp","uri":"https://t/2"}],
                "largest_downloads":[
                  {"product_id":"p1","product_type":"easyaccess","uri":"https://a/1","agreement_name":"Ag"},
                  {"product_type":"premiumaccess","uri":"https://a/1"}]}]}"#,
        );
        assert_eq!(page.result_count, Some(12));
        let image = &page.images.items[0];
        assert_eq!(image.id, "42");
        assert_eq!(image.title.as_deref(), Some("Cat"));
        assert_eq!(image.artist.as_deref(), Some("Ann"));
        assert_eq!(image.display_uri("thumb"), Some("https://t/1"));
        assert_eq!(image.display_uri("comp"), Some("https://t/2"));
        assert_eq!(image.display_uri("preview"), None);
        assert_eq!(
            image.max_dimensions,
            Some(Dimensions {
                width: 4500,
                height: 3000
            })
        );
        let downloads = image.downloads();
        assert_eq!(downloads.len(), 2);
        assert_eq!(downloads[0].product_id.as_deref(), Some("p1"));
        assert_eq!(downloads[0].agreement_name.as_deref(), Some("Ag"));
        assert_eq!(downloads[1].product_id, None);
    }

    #[test]
    fn nulls_and_missing_fields() {
        let page: SearchPage = parse(
            r#"{"result_count":null,"images":[{"id":"1","title":null,"caption":null,
                "display_sizes":null,"largest_downloads":null,"max_dimensions":{"width":"x"}}]}"#,
        );
        assert_eq!(page.result_count, None);
        let image = &page.images.items[0];
        assert!(image.downloads().is_empty());
        assert_eq!(image.display_uri("thumb"), None);
        assert_eq!(image.max_dimensions, None);
        let empty: SearchPage = parse("{}");
        assert_eq!(empty, SearchPage::default());
        let null_images: SearchPage = parse(r#"{"images":null}"#);
        assert!(null_images.images.items.is_empty());
    }

    #[test]
    fn unreadable_entries_are_skipped_and_counted() {
        let page: SearchPage = parse(
            r#"{"images":[{"title":"no id"},{"id":"2","title":7,
                "largest_downloads":[{"uri":"https://a/2"},{"product_type":"x","uri":"https://a/2"},"junk"]},
                17, null, {"id": 1.5}, {"id": -7}]}"#,
        );
        assert_eq!(page.images.items.len(), 2);
        assert_eq!(page.images.items[1].id, "-7");
        assert_eq!(page.images.skipped, 4);
        let image = &page.images.items[0];
        assert_eq!(image.title, None, "a non-string title counts as missing");
        assert_eq!(image.downloads().len(), 1);
        assert_eq!(image.largest_downloads.skipped, 2);
    }

    #[test]
    fn huge_and_odd_result_counts() {
        let huge: SearchPage = parse(r#"{"result_count":18446744073709551615}"#);
        assert_eq!(huge.result_count, Some(u64::MAX));
        let float: SearchPage = parse(r#"{"result_count":1e30}"#);
        assert_eq!(float.result_count, Some(u64::MAX));
        let negative: SearchPage = parse(r#"{"result_count":-3}"#);
        assert_eq!(negative.result_count, None);
        let object: SearchPage = parse(r#"{"result_count":{"a":1},"images":[]}"#);
        assert_eq!(object.result_count, None);
    }

    #[test]
    fn download_answer() {
        let answer: DownloadAnswer = parse(r#"{"uri":"https://delivery.gettyimages.com/x.jpg"}"#);
        assert_eq!(answer.uri, "https://delivery.gettyimages.com/x.jpg");
    }
}
