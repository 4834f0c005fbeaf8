//! Answers of the token backend and of Getty's search and download endpoints, as serde types.
//!
//! Lenient by design: unknown fields are ignored, every field but the essential ones reads
//! through [`super::lenient`] (missing, `null` or oddly typed values become `None` or empty), and
//! a list entry without what the picker needs is skipped and counted rather than failing the
//! answer. The browser parses the JSON; serde-wasm-bindgen decodes the result into these types,
//! and the native tests decode the same text with serde_json.

use serde::Deserialize;

use super::lenient::{self, Skipping, Usable};

/// The token backend's answer to `POST /token` (Getty's own token shape, which it passes on).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TokenAnswer {
    /// The bearer token for Getty's API; an answer without one is unusable.
    #[serde(default, deserialize_with = "lenient::text")]
    pub access_token: Option<String>,
    /// Seconds the token stays valid; Getty sends a number or a string such as `"1800"`.
    #[serde(default, deserialize_with = "lenient::count")]
    pub expires_in: Option<u64>,
    /// The backend's name for this token, to say which one Getty refused when asking for a
    /// fresh one (never the token itself).
    #[serde(default, deserialize_with = "lenient::text")]
    pub token_id: Option<String>,
    /// The backend's tokens search but cannot download.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub search_only: bool,
    /// Why, when `search_only`: `"role"` (this editor may choose images but not license
    /// them) or `"no_user"` (the service has no Getty user); older services say nothing.
    #[serde(default, deserialize_with = "lenient::text")]
    pub search_only_reason: Option<String>,
}

impl TokenAnswer {
    /// Whether the editor may only choose images because of their role: someone else licenses.
    pub fn role_only(&self) -> bool {
        self.search_only && self.search_only_reason.as_deref() == Some("role")
    }
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct SearchPage {
    /// Total number of matches Getty reports, if it says.
    #[serde(default, deserialize_with = "lenient::count")]
    pub result_count: Option<u64>,
    /// The images of this page that could be read; `images.skipped` counts the others.
    #[serde(default)]
    pub images: Skipping<Image>,
}

/// Getty's answer to `GET /v3/images/{id}`: the images found (one, for one id); an id Getty does
/// not know is listed in `images_not_found` instead, which the picker reads as the list being
/// empty.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ImagesAnswer {
    /// The images that could be read.
    #[serde(default)]
    pub images: Skipping<Image>,
}

/// One image of a search result. Only `id` is required: Getty may omit or null anything else.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Image {
    /// Getty's asset id (a string, tolerated as a number); entries without one are skipped.
    #[serde(default, deserialize_with = "lenient::required_id")]
    pub id: String,
    /// Title, plain text.
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Option<String>,
    /// Caption, plain text.
    #[serde(default, deserialize_with = "lenient::text")]
    pub caption: Option<String>,
    /// Photographer or artist.
    #[serde(default, deserialize_with = "lenient::text")]
    pub artist: Option<String>,
    /// Name of the collection the image belongs to.
    #[serde(default, deserialize_with = "lenient::text")]
    pub collection_name: Option<String>,
    /// `creative` or `editorial`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub asset_family: Option<String>,
    /// Copyright notice, to keep with the image.
    #[serde(default, deserialize_with = "lenient::text")]
    pub copyright: Option<String>,
    /// What the licence lets the customer do with the image.
    #[serde(default, deserialize_with = "lenient::object")]
    pub allowed_use: AllowedUse,
    /// Size of the largest rendition, in pixels.
    #[serde(default, deserialize_with = "lenient::object")]
    pub max_dimensions: MaxDimensions,
    /// Getty's own credit line; only an image's details carry it (`GET /v3/images/{id}`).
    #[serde(default, deserialize_with = "lenient::text")]
    pub credit_line: Option<String>,
    /// When the picture was taken or made (ISO 8601), if Getty says.
    #[serde(default, deserialize_with = "lenient::text")]
    pub date_created: Option<String>,
    /// Sized renditions (`thumb`, `preview`, `comp`), with signed URIs to use as given.
    #[serde(default)]
    pub display_sizes: Skipping<DisplaySize>,
    /// What the account may download, one entry per product.
    #[serde(default)]
    pub largest_downloads: Skipping<LargestDownload>,
}

impl Usable for Image {
    fn usable(&self) -> bool {
        !self.id.is_empty()
    }
}

impl Image {
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

    /// Size of the largest rendition, if Getty gave both sides.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        self.max_dimensions.width.zip(self.max_dimensions.height)
    }

    /// Title to show, falling back to a neutral label when Getty sent none.
    pub fn title_or_untitled(&self) -> &str {
        self.title.as_deref().unwrap_or("Untitled image")
    }

    /// The credit to print with the image: Getty's own credit line where it gave one, else
    /// "Artist / Getty Images", the collection when there is no artist, else just "Getty Images".
    pub fn credit_line(&self) -> String {
        if let Some(credit) = &self.credit_line {
            return credit.trim().to_owned();
        }
        let credited = self.artist.as_deref().or(self
            .collection_name
            .as_deref()
            .filter(|name| !name.trim().eq_ignore_ascii_case(GETTY_IMAGES)));
        match credited {
            Some(name) => format!("{} / {GETTY_IMAGES}", name.trim()),
            None => GETTY_IMAGES.to_owned(),
        }
    }
}

/// How Getty is credited.
const GETTY_IMAGES: &str = "Getty Images";

/// Getty's `allowed_use`: what the licence allows, and what it does not.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct AllowedUse {
    /// A summary such as "Editorial use only" or "Commercial use".
    #[serde(default, deserialize_with = "lenient::text")]
    pub how_can_i_use_it: Option<String>,
    /// Model and property release status.
    #[serde(default, deserialize_with = "lenient::text")]
    pub release_info: Option<String>,
    /// Restrictions such as "No use in advertising"; empty when there are none.
    #[serde(default, deserialize_with = "lenient::texts")]
    pub usage_restrictions: Vec<String>,
}

impl AllowedUse {
    /// The release status as text: Getty's "Not released. More information" ends with the
    /// words of a link on Getty's site, and its answer carries no link, so they are left out.
    pub fn release(&self) -> Option<String> {
        let text = self.release_info.as_deref()?.trim();
        let text = ["More information", "Weitere Informationen"]
            .iter()
            .find_map(|words| {
                let cut = text.len().checked_sub(words.len())?;
                let (before, tail) = (text.get(..cut)?, text.get(cut..)?);
                tail.eq_ignore_ascii_case(words).then_some(before)
            })
            .unwrap_or(text)
            .trim_end();
        // "Not released." keeps its full stop; a lone leftover one goes.
        (!text.is_empty() && text != ".").then(|| text.to_owned())
    }

    /// The restrictions as one line ("Editorial use only · No use in advertising"); none when
    /// there are none.
    pub fn restrictions(&self) -> Option<String> {
        (!self.usage_restrictions.is_empty()).then(|| self.usage_restrictions.join(" · "))
    }
}

/// Width and height in pixels, each present only if it is a sensible number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct MaxDimensions {
    /// Width in pixels.
    #[serde(default, deserialize_with = "lenient::small_number")]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default, deserialize_with = "lenient::small_number")]
    pub height: Option<u32>,
}

/// One rendition of an image; usable with both a name and a URI.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DisplaySize {
    /// Rendition name, e.g. `thumb`.
    #[serde(default, deserialize_with = "lenient::required_text")]
    pub name: String,
    /// Signed URI of the rendition.
    #[serde(default, deserialize_with = "lenient::required_text")]
    pub uri: String,
}

impl Usable for DisplaySize {
    fn usable(&self) -> bool {
        !self.name.is_empty() && !self.uri.is_empty()
    }
}

/// A download the account may make; an entry without `uri` or `product_type` is unusable.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LargestDownload {
    /// The download endpoint for this image (`.../v3/downloads/images/{id}`).
    #[serde(default, deserialize_with = "lenient::required_text")]
    pub uri: String,
    /// The product the download is charged to (`easyaccess`, `premiumaccess`, ...).
    #[serde(default, deserialize_with = "lenient::required_text")]
    pub product_type: String,
    /// The specific product, when the account has several of one type.
    #[serde(default, deserialize_with = "lenient::id")]
    pub product_id: Option<String>,
    /// Name of the agreement the product belongs to.
    #[serde(default, deserialize_with = "lenient::text")]
    pub agreement_name: Option<String>,
}

impl Usable for LargestDownload {
    fn usable(&self) -> bool {
        !self.uri.is_empty() && !self.product_type.is_empty()
    }
}

/// Getty's answer to a download POST with `auto_download=false`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DownloadAnswer {
    /// The delivery URI, valid for about 24 hours.
    #[serde(default, deserialize_with = "lenient::text")]
    pub uri: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: for<'de> Deserialize<'de>>(json: &str) -> T {
        serde_json::from_str(json).expect("the answer reads")
    }

    #[test]
    fn token_expires_in_as_string_or_number() {
        let seed: TokenAnswer =
            parse(r#"{"access_token":"123456","token_type":"Bearer","expires_in":"1800"}"#);
        assert_eq!(seed.access_token.as_deref(), Some("123456"));
        assert_eq!(seed.expires_in, Some(1800));
        assert_eq!(seed.token_id, None);
        let number: TokenAnswer =
            parse(r#"{"access_token":"a","expires_in":1800,"token_id":"ab12"}"#);
        assert_eq!(number.expires_in, Some(1800));
        assert_eq!(number.token_id.as_deref(), Some("ab12"));
        let missing: TokenAnswer = parse(r#"{"access_token":"a","expires_in":null}"#);
        assert_eq!(missing.expires_in, None);
        let garbage: TokenAnswer = parse(r#"{"access_token":"a","expires_in":"soon"}"#);
        assert_eq!(garbage.expires_in, None);
    }

    #[test]
    fn token_without_access_token_reads_as_none() {
        let answer: TokenAnswer = parse(r#"{"expires_in":1800}"#);
        assert_eq!(answer.access_token, None);
        let blank: TokenAnswer = parse(r#"{"access_token":" "}"#);
        assert_eq!(blank.access_token, None);
        let answer: DownloadAnswer = parse(r#"{"uri":7}"#);
        assert_eq!(answer.uri, None);
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
                  {"product_id":7,"product_type":"premiumaccess","uri":"https://a/1"}]}]}"#,
        );
        assert_eq!(page.result_count, Some(12));
        let image = &page.images.items[0];
        assert_eq!(image.id, "42");
        assert_eq!(image.title.as_deref(), Some("Cat"));
        assert_eq!(image.artist.as_deref(), Some("Ann"));
        assert_eq!(image.display_uri("thumb"), Some("https://t/1"));
        assert_eq!(image.display_uri("comp"), Some("https://t/2"));
        assert_eq!(image.display_uri("preview"), None);
        assert_eq!(image.dimensions(), Some((4500, 3000)));
        let downloads = image.downloads();
        assert_eq!(downloads.len(), 2);
        assert_eq!(downloads[0].product_id.as_deref(), Some("p1"));
        assert_eq!(downloads[0].agreement_name.as_deref(), Some("Ag"));
        assert_eq!(downloads[1].product_id.as_deref(), Some("7"));
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
        assert_eq!(image.dimensions(), None);
        let empty: SearchPage = parse("{}");
        assert_eq!(empty, SearchPage::default());
        let null_images: SearchPage = parse(r#"{"images":null}"#);
        assert!(null_images.images.items.is_empty());
        let odd: SearchPage = parse(r#"{"images":[{"id":"1","max_dimensions":7}]}"#);
        assert_eq!(odd.images.items[0].dimensions(), None);
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
    fn licence_fields_and_credit_lines() {
        let page: SearchPage = parse(
            r#"{"images":[
                {"id":"1","artist":"Ann Lee","collection_name":"Stone","copyright":"2026 Ann Lee",
                 "allowed_use":{"how_can_i_use_it":"Editorial use only","release_info":"Not released",
                                "usage_restrictions":["Editorial use only","No use in advertising"]}},
                {"id":"2","artist":null,"collection_name":"Stone","allowed_use":null},
                {"id":"3","collection_name":"Getty Images","allowed_use":{"usage_restrictions":[]}},
                {"id":"4","allowed_use":"odd"}]}"#,
        );
        let images = &page.images.items;
        assert_eq!(images[0].credit_line(), "Ann Lee / Getty Images");
        assert_eq!(images[0].copyright.as_deref(), Some("2026 Ann Lee"));
        let used = &images[0].allowed_use;
        assert_eq!(used.how_can_i_use_it.as_deref(), Some("Editorial use only"));
        assert_eq!(used.release_info.as_deref(), Some("Not released"));
        assert_eq!(
            used.usage_restrictions,
            ["Editorial use only", "No use in advertising"]
        );
        assert_eq!(
            used.restrictions().as_deref(),
            Some("Editorial use only · No use in advertising")
        );
        assert_eq!(images[2].allowed_use.restrictions(), None);
        assert_eq!(images[1].credit_line(), "Stone / Getty Images");
        assert_eq!(images[1].allowed_use, AllowedUse::default());
        assert_eq!(images[2].credit_line(), "Getty Images");
        assert_eq!(images[3].credit_line(), "Getty Images");
        assert_eq!(images[3].allowed_use, AllowedUse::default());
    }

    #[test]
    fn an_images_details_bring_gettys_credit_line_and_date() {
        let answer: ImagesAnswer = parse(
            r#"{"images":[{"id":"7","artist":"Ann","credit_line":"Ann Lee/Stone via Getty",
                "date_created":"2014-05-02T00:00:00"}],"images_not_found":[]}"#,
        );
        let image = &answer.images.items[0];
        assert_eq!(image.credit_line(), "Ann Lee/Stone via Getty");
        assert_eq!(image.date_created.as_deref(), Some("2014-05-02T00:00:00"));
        let missing: ImagesAnswer = parse(r#"{"images":[],"images_not_found":["7"]}"#);
        assert!(missing.images.items.is_empty());
        let blank: ImagesAnswer = parse(r#"{"images":[{"id":"7","credit_line":" "}]}"#);
        assert_eq!(blank.images.items[0].credit_line(), "Getty Images");
    }

    #[test]
    fn search_only_backends_say_so() {
        let answer: TokenAnswer = parse(r#"{"access_token":"a","search_only":true}"#);
        assert!(answer.search_only && !answer.role_only());
        let answer: TokenAnswer = parse(r#"{"access_token":"a"}"#);
        assert!(!answer.search_only);
        let role: TokenAnswer =
            parse(r#"{"access_token":"a","search_only":true,"search_only_reason":"role"}"#);
        assert!(role.role_only());
        let no_user: TokenAnswer =
            parse(r#"{"access_token":"a","search_only":true,"search_only_reason":"no_user"}"#);
        assert!(!no_user.role_only());
        let contradiction: TokenAnswer =
            parse(r#"{"access_token":"a","search_only":false,"search_only_reason":"role"}"#);
        assert!(!contradiction.role_only());
    }

    #[test]
    fn release_status_without_the_words_of_a_missing_link() {
        let release = |text: &str| {
            AllowedUse {
                release_info: Some(text.to_owned()),
                ..AllowedUse::default()
            }
            .release()
        };
        assert_eq!(
            release("Not released. More information").as_deref(),
            Some("Not released.")
        );
        assert_eq!(
            release("Model and property released").as_deref(),
            Some("Model and property released")
        );
        assert_eq!(
            release("Nicht freigegeben. Weitere Informationen").as_deref(),
            Some("Nicht freigegeben.")
        );
        assert_eq!(release("More information"), None);
        assert_eq!(AllowedUse::default().release(), None);
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
        assert_eq!(
            answer.uri.as_deref(),
            Some("https://delivery.gettyimages.com/x.jpg")
        );
    }
}
