//! The `fields` query parameter and the JSON shape of one search result.

use serde_json::{json, Map, Value};

use super::data::Image;
use super::images::{signature, DisplaySize};

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
        thumb: true,
        preview: false,
        comp: false,
        largest_downloads: false,
        max_dimensions: true,
    };

    /// Parses a comma-separated `fields` value; unknown names are ignored, as Getty does for most.
    pub fn parse(param: Option<&str>) -> Self {
        let Some(param) = param.filter(|p| !p.trim().is_empty()) else {
            return Self::SUMMARY;
        };
        let mut fields = Self::default();
        for name in param.split(',').map(str::trim) {
            match name {
                "title" => fields.title = true,
                "caption" => fields.caption = true,
                "artist" => fields.artist = true,
                "collection_name" => fields.collection_name = true,
                "asset_family" => fields.asset_family = true,
                "thumb" => fields.thumb = true,
                "preview" => fields.preview = true,
                "comp" => fields.comp = true,
                "display_sizes" | "display_set" => {
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
            thumb: self.thumb || other.thumb,
            preview: self.preview || other.preview,
            comp: self.comp || other.comp,
            largest_downloads: self.largest_downloads || other.largest_downloads,
            max_dimensions: self.max_dimensions || other.max_dimensions,
        }
    }

    fn wants(self, size: DisplaySize) -> bool {
        match size {
            DisplaySize::Thumb => self.thumb,
            DisplaySize::Preview => self.preview,
            DisplaySize::Comp => self.comp,
        }
    }
}

/// The JSON object for one image; URIs are absolute under `base` (e.g. `http://127.0.0.1:8787`).
pub fn render(image: &Image, fields: Fields, base: &str) -> Value {
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
        let downloads: Vec<Value> = asset
            .downloads
            .iter()
            .map(|download| {
                let mut entry = Map::new();
                if let Some(product_id) = &download.product_id {
                    entry.insert("product_id".into(), json!(product_id));
                }
                entry.insert("product_type".into(), json!(download.product_type));
                entry.insert(
                    "uri".into(),
                    json!(format!("{base}/v3/downloads/images/{id}")),
                );
                if let Some(agreement) = &download.agreement_name {
                    entry.insert("agreement_name".into(), json!(agreement));
                }
                Value::Object(entry)
            })
            .collect();
        out.insert("largest_downloads".into(), Value::Array(downloads));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::data::search;

    #[test]
    fn only_requested_fields_are_rendered() {
        let page = search("kitties", 1, 1);
        let image = &page.images[0];
        let value = render(image, Fields::parse(Some("title,thumb")), "http://h:1");
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
    fn absent_fields_mean_summary_set() {
        assert_eq!(Fields::parse(None), Fields::SUMMARY);
        assert_eq!(Fields::parse(Some("summary_set")), Fields::SUMMARY);
        let display = Fields::parse(Some("display_set"));
        assert!(display.thumb && display.preview && display.comp && !display.title);
    }
}
