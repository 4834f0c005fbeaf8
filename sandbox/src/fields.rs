//! The `fields` query parameter and the JSON shape of one image in an answer.

use serde_json::{json, Map, Value};

use super::data::Image;
use super::images::{download_sizes, signature, DisplaySize};
use super::products::{downloads_for, Product};

/// Which optional fields an answer includes (`id` is always present).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fields {
    /// `title`
    pub title: bool,
    /// `caption`
    pub caption: bool,
    /// `artist`
    pub artist: bool,
    /// `collection_name`
    pub collection_name: bool,
    /// `asset_family`
    pub asset_family: bool,
    /// `copyright`
    pub copyright: bool,
    /// `credit_line` (one image's metadata only)
    pub credit_line: bool,
    /// `allowed_use`
    pub allowed_use: bool,
    /// `display_sizes` entry `thumb`
    pub thumb: bool,
    /// `display_sizes` entry `preview`
    pub preview: bool,
    /// `display_sizes` entry `comp`
    pub comp: bool,
    /// `download_sizes` (one image's metadata only)
    pub download_sizes: bool,
    /// `largest_downloads`
    pub largest_downloads: bool,
    /// `max_dimensions`
    pub max_dimensions: bool,
    /// `keywords` (only when named: no field set has them)
    pub keywords: bool,
}

/// What the field sets mean on one kind of endpoint, and which fields its images may carry:
/// Getty's sets differ between searches (and an image's neighbours) and one image's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSets {
    /// `summary_set`, also the answer when `fields` is absent.
    pub summary: Fields,
    /// `detail_set`.
    pub detail: Fields,
    /// What an image of these answers can carry at all; other names are accepted (when the
    /// endpoint lists them) and left out.
    pub carried: Fields,
}

const NONE: Fields = Fields {
    title: false,
    caption: false,
    artist: false,
    collection_name: false,
    asset_family: false,
    copyright: false,
    credit_line: false,
    allowed_use: false,
    thumb: false,
    preview: false,
    comp: false,
    download_sizes: false,
    largest_downloads: false,
    max_dimensions: false,
    keywords: false,
};

/// Searches, similar images and same-series images: their items (`ImageSearchItem`) have no
/// `credit_line` and no `download_sizes`.
pub const SEARCH_SETS: FieldSets = FieldSets {
    summary: Fields::SUMMARY,
    detail: Fields {
        artist: true,
        copyright: true,
        allowed_use: true,
        preview: true,
        comp: true,
        ..Fields::SUMMARY
    },
    carried: Fields {
        credit_line: false,
        download_sizes: false,
        ..Fields::ALL
    },
};

/// One image's metadata (`GET /v3/images/{id}`, `GET /v3/images`): its summary set has the
/// artist and no thumbnail, its detail set the credit line and download sizes and no display
/// sizes.
pub const IMAGE_SETS: FieldSets = FieldSets {
    summary: Fields {
        title: true,
        caption: true,
        artist: true,
        collection_name: true,
        asset_family: true,
        max_dimensions: true,
        ..NONE
    },
    detail: Fields {
        title: true,
        caption: true,
        artist: true,
        collection_name: true,
        asset_family: true,
        copyright: true,
        credit_line: true,
        allowed_use: true,
        download_sizes: true,
        max_dimensions: true,
        ..NONE
    },
    carried: Fields::ALL,
};

impl Fields {
    /// Getty's `summary_set` of a search, also its answer when `fields` is absent.
    pub const SUMMARY: Self = Self {
        title: true,
        caption: true,
        collection_name: true,
        asset_family: true,
        thumb: true,
        max_dimensions: true,
        ..NONE
    };

    /// Every field the sandbox renders.
    pub const ALL: Self = Self {
        title: true,
        caption: true,
        artist: true,
        collection_name: true,
        asset_family: true,
        copyright: true,
        credit_line: true,
        allowed_use: true,
        thumb: true,
        preview: true,
        comp: true,
        download_sizes: true,
        largest_downloads: true,
        max_dimensions: true,
        keywords: true,
    };

    /// Parses a comma-separated `fields` value of a search, already checked by
    /// [`super::params`].
    pub fn parse(param: Option<&str>) -> Self {
        Self::parse_on(param, &SEARCH_SETS)
    }

    /// Parses a comma-separated `fields` value already checked by [`super::params`], with the
    /// sets of one kind of endpoint; names the sandbox does not render (`people`, `event_ids`,
    /// ...) are left out of the answer.
    pub fn parse_on(param: Option<&str>, sets: &FieldSets) -> Self {
        let Some(param) = param.filter(|p| !p.trim().is_empty()) else {
            return sets.summary;
        };
        let mut fields = NONE;
        for name in param
            .split(',')
            .map(|name| name.trim().to_ascii_lowercase())
        {
            match name.as_str() {
                "title" => fields.title = true,
                "caption" => fields.caption = true,
                "artist" => fields.artist = true,
                "collection_name" => fields.collection_name = true,
                "asset_family" => fields.asset_family = true,
                "copyright" => fields.copyright = true,
                "credit_line" => fields.credit_line = true,
                "allowed_use" => fields.allowed_use = true,
                "thumb" => fields.thumb = true,
                "preview" => fields.preview = true,
                "comp" => fields.comp = true,
                "display_set" => {
                    fields.thumb = true;
                    fields.preview = true;
                    fields.comp = true;
                }
                "download_sizes" => fields.download_sizes = true,
                "largest_downloads" => fields.largest_downloads = true,
                "max_dimensions" => fields.max_dimensions = true,
                "keywords" => fields.keywords = true,
                "summary_set" => fields = fields.union(sets.summary),
                "detail_set" => fields = fields.union(sets.detail),
                _ => {}
            }
        }
        fields.intersection(sets.carried)
    }

    fn combine(self, other: Self, op: fn(bool, bool) -> bool) -> Self {
        Self {
            title: op(self.title, other.title),
            caption: op(self.caption, other.caption),
            artist: op(self.artist, other.artist),
            collection_name: op(self.collection_name, other.collection_name),
            asset_family: op(self.asset_family, other.asset_family),
            copyright: op(self.copyright, other.copyright),
            credit_line: op(self.credit_line, other.credit_line),
            allowed_use: op(self.allowed_use, other.allowed_use),
            thumb: op(self.thumb, other.thumb),
            preview: op(self.preview, other.preview),
            comp: op(self.comp, other.comp),
            download_sizes: op(self.download_sizes, other.download_sizes),
            largest_downloads: op(self.largest_downloads, other.largest_downloads),
            max_dimensions: op(self.max_dimensions, other.max_dimensions),
            keywords: op(self.keywords, other.keywords),
        }
    }

    fn union(self, other: Self) -> Self {
        self.combine(other, |a, b| a || b)
    }

    fn intersection(self, other: Self) -> Self {
        self.combine(other, |a, b| a && b)
    }

    /// Whether the answer carries `size` in `display_sizes`.
    pub fn wants(self, size: DisplaySize) -> bool {
        match size {
            DisplaySize::Thumb => self.thumb,
            DisplaySize::Preview => self.preview,
            DisplaySize::Comp => self.comp,
        }
    }
}

/// The JSON object for one image; URIs are absolute under `base` (e.g. `http://127.0.0.1:8787`),
/// `largest_downloads` lists the `products` of the account that license the image.
pub fn render(image: &Image, fields: Fields, base: &str, products: &[Product]) -> Value {
    let asset = &image.asset;
    let id = asset.id.as_str();
    let mut out = Map::new();
    out.insert("id".into(), json!(id));
    if fields.title {
        out.insert("title".into(), json!(image.title));
    }
    if fields.caption {
        out.insert("caption".into(), json!(image.caption));
    }
    if fields.artist {
        out.insert("artist".into(), json!(asset.artist));
    }
    if fields.collection_name {
        out.insert("collection_name".into(), json!(asset.collection_name));
    }
    if fields.asset_family {
        out.insert("asset_family".into(), json!(asset.asset_family));
    }
    if fields.copyright {
        out.insert("copyright".into(), json!(asset.copyright));
    }
    if fields.credit_line {
        out.insert("credit_line".into(), json!(asset.credit_line));
    }
    // `AllowedUse` is not nullable in Getty's schema: an image without it leaves it out.
    if let (true, Some(allowed_use)) = (fields.allowed_use, &asset.allowed_use) {
        out.insert("allowed_use".into(), json!(allowed_use));
    }
    if fields.max_dimensions {
        out.insert("max_dimensions".into(), json!(asset.max_dimensions));
    }
    if fields.keywords {
        out.insert("keywords".into(), json!(image.keywords));
    }
    let sizes: Vec<Value> = DisplaySize::ALL
        .into_iter()
        .filter(|size| fields.wants(*size))
        .map(|size| {
            let name = size.as_str();
            json!({
                "is_watermarked": true,
                "name": name,
                "uri": format!("{base}/sandbox/media/{name}/{id}.png?s={}", signature(size, id)),
            })
        })
        .collect();
    if !sizes.is_empty() {
        out.insert("display_sizes".into(), Value::Array(sizes));
    }
    if fields.download_sizes {
        let sizes: Vec<Value> = download_sizes(asset.max_dimensions)
            .iter()
            .map(|size| {
                json!({
                    "bytes": size.bytes,
                    "height": size.dimensions.height,
                    "media_type": size.media_type,
                    "name": size.name,
                    "width": size.dimensions.width,
                })
            })
            .collect();
        out.insert("download_sizes".into(), Value::Array(sizes));
    }
    if fields.largest_downloads {
        let uri = format!("{base}/v3/downloads/images/{id}");
        let downloads: Vec<Value> = downloads_for(products, asset.asset_family)
            .into_iter()
            .map(|download| {
                json!({
                    "product_id": download.product_id,
                    "product_type": download.product_type,
                    "agreement_name": download.agreement_name,
                    "uri": uri,
                })
            })
            .collect();
        out.insert("largest_downloads".into(), Value::Array(downloads));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::search;
    use crate::products::default_products;

    #[test]
    fn only_requested_fields_are_rendered() {
        let page = search("kitties", 1, 1);
        let image = &page.images[0];
        let value = render(
            image,
            Fields::parse(Some("title,thumb")),
            "http://h:1",
            &default_products(),
        );
        let keys: Vec<&String> = value
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["display_sizes", "id", "title"]);
        assert_eq!(value["display_sizes"][0]["name"], "thumb");
        let uri = value["display_sizes"][0]["uri"]
            .as_str()
            .unwrap_or_default();
        assert!(uri.starts_with("http://h:1/sandbox/media/thumb/"), "{uri}");
    }

    #[test]
    fn largest_downloads_follow_the_account() {
        let page = search("kitties", 1, 1);
        let image = &page.images[0];
        let fields = Fields::parse(Some("largest_downloads,allowed_use,copyright"));
        let mut products = default_products();
        let value = render(image, fields, "http://h:1", &products);
        let downloads = value["largest_downloads"].as_array().cloned();
        assert_eq!(downloads.as_ref().map(Vec::len), Some(2));
        assert!(value.get("allowed_use").is_some() && value.get("copyright").is_some());
        products.retain(|p| p.id == 1002);
        let value = render(image, fields, "http://h:1", &products);
        assert_eq!(
            value["largest_downloads"],
            json!([{"product_id": "1002", "product_type": "premiumaccess",
                    "agreement_name": "Marketing 2026",
                    "uri": format!("http://h:1/v3/downloads/images/{}", image.asset.id)}])
        );
    }

    #[test]
    fn absent_fields_mean_summary_set() {
        assert_eq!(Fields::parse(None), Fields::SUMMARY);
        assert_eq!(Fields::parse(Some("summary_set")), Fields::SUMMARY);
        let display = Fields::parse(Some("display_set"));
        assert!(display.thumb && display.preview && display.comp && !display.title);
    }

    #[test]
    fn one_images_sets_are_its_own() {
        let summary = Fields::parse_on(None, &IMAGE_SETS);
        assert!(summary.artist && summary.title && !summary.thumb && !summary.credit_line);
        let detail = Fields::parse_on(Some("detail_set"), &IMAGE_SETS);
        assert!(detail.credit_line && detail.download_sizes && detail.allowed_use);
        assert!(!detail.thumb && !detail.largest_downloads);
        let named = Fields::parse_on(Some("id,credit_line,largest_downloads,thumb"), &IMAGE_SETS);
        assert!(named.credit_line && named.largest_downloads && named.thumb && !named.title);
        // A search's items have neither, whatever is asked.
        let search = Fields::parse(Some("detail_set,download_sizes"));
        assert!(!search.download_sizes && !search.credit_line && search.comp);
    }

    #[test]
    fn download_sizes_and_credit_lines_are_rendered_when_asked() {
        let image = &search("kitties", 1, 1).images[0];
        let fields = Fields::parse_on(Some("credit_line,download_sizes"), &IMAGE_SETS);
        let value = render(image, fields, "http://h:1", &default_products());
        assert_eq!(value["credit_line"], json!(image.asset.credit_line));
        let sizes = value["download_sizes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let largest = sizes.last().cloned().unwrap_or_default();
        assert_eq!(largest["width"], image.asset.max_dimensions.width);
        assert_eq!(largest["height"], image.asset.max_dimensions.height);
        assert_eq!(largest["media_type"], "image/png");
        assert!(sizes.len() >= 2, "{sizes:?}");
    }
}
