//! The `fields` query parameter and the JSON shape of one search result.

use serde_json::{json, Map, Value};

use super::data::Image;
use super::images::{signature, DisplaySize};
use super::products::{downloads_for, Product};

/// Which optional fields a search answer includes (`id` is always present).
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
    /// `allowed_use`
    pub allowed_use: bool,
    /// `display_sizes` entry `thumb`
    pub thumb: bool,
    /// `display_sizes` entry `preview`
    pub preview: bool,
    /// `display_sizes` entry `comp`
    pub comp: bool,
    /// `largest_downloads`
    pub largest_downloads: bool,
    /// `max_dimensions`
    pub max_dimensions: bool,
}

impl Fields {
    /// Getty's `summary_set`, also the answer when `fields` is absent.
    pub const SUMMARY: Self = Self {
        title: true,
        caption: true,
        artist: false,
        collection_name: true,
        asset_family: true,
        copyright: false,
        allowed_use: false,
        thumb: true,
        preview: false,
        comp: false,
        largest_downloads: false,
        max_dimensions: true,
    };

    /// Parses a comma-separated `fields` value already checked by [`super::params`]; names the
    /// sandbox does not render (`keywords`, `people`, ...) are left out of the answer.
    pub fn parse(param: Option<&str>) -> Self {
        let Some(param) = param.filter(|p| !p.trim().is_empty()) else {
            return Self::SUMMARY;
        };
        let mut fields = Self::default();
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
                "allowed_use" => fields.allowed_use = true,
                "thumb" => fields.thumb = true,
                "preview" => fields.preview = true,
                "comp" => fields.comp = true,
                "display_set" => {
                    fields.thumb = true;
                    fields.preview = true;
                    fields.comp = true;
                }
                "largest_downloads" => fields.largest_downloads = true,
                "max_dimensions" => fields.max_dimensions = true,
                "summary_set" => fields = fields.union(Self::SUMMARY),
                "detail_set" => {
                    fields = fields.union(Self {
                        artist: true,
                        copyright: true,
                        allowed_use: true,
                        preview: true,
                        comp: true,
                        ..Self::SUMMARY
                    })
                }
                _ => {}
            }
        }
        fields
    }

    fn union(self, other: Self) -> Self {
        Self {
            title: self.title || other.title,
            caption: self.caption || other.caption,
            artist: self.artist || other.artist,
            collection_name: self.collection_name || other.collection_name,
            asset_family: self.asset_family || other.asset_family,
            copyright: self.copyright || other.copyright,
            allowed_use: self.allowed_use || other.allowed_use,
            thumb: self.thumb || other.thumb,
            preview: self.preview || other.preview,
            comp: self.comp || other.comp,
            largest_downloads: self.largest_downloads || other.largest_downloads,
            max_dimensions: self.max_dimensions || other.max_dimensions,
        }
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
    // `AllowedUse` is not nullable in Getty's schema: an image without it leaves it out.
    if let (true, Some(allowed_use)) = (fields.allowed_use, &asset.allowed_use) {
        out.insert("allowed_use".into(), json!(allowed_use));
    }
    if fields.max_dimensions {
        out.insert("max_dimensions".into(), json!(asset.max_dimensions));
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
}
