//! Real, small, deterministic PNG images standing in for Getty's renditions and downloads.

use super::data::{fnv1a, Dimensions};

/// A rendition size the sandbox serves under `/sandbox/media/{size}/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplaySize {
    /// Small preview, 170 px on the long edge.
    Thumb,
    /// Medium preview, 612 px on the long edge.
    Preview,
    /// Large comp, 1024 px on the long edge.
    Comp,
}

impl DisplaySize {
    /// Every size, in the order the search answer lists them.
    pub const ALL: [Self; 3] = [Self::Thumb, Self::Preview, Self::Comp];

    /// The name Getty uses in `fields` and `display_sizes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Thumb => "thumb",
            Self::Preview => "preview",
            Self::Comp => "comp",
        }
    }

    /// Parses a size name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Long-edge length in pixels.
    pub fn long_edge(self) -> u32 {
        match self {
            Self::Thumb => 170,
            Self::Preview => 612,
            Self::Comp => 1024,
        }
    }
}

/// Long edge of the file a delivery link serves: smaller than any original, so that the file
/// is quick to make; its aspect ratio is the original's.
pub const DELIVERY_LONG_EDGE: u32 = 1200;

/// The media type of every file the sandbox delivers.
pub const DELIVERY_MEDIA_TYPE: &str = "image/png";

/// One size an image can be downloaded in (an entry of Getty's `download_sizes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadSize {
    /// Getty's name of the size.
    pub name: &'static str,
    /// Its pixels.
    pub dimensions: Dimensions,
    /// Its estimated file size (Getty says its figures are estimates).
    pub bytes: u64,
    /// Its file type.
    pub media_type: &'static str,
}

/// The sizes an original of `original` offers, smallest first, the original itself last.
pub fn download_sizes(original: Dimensions) -> Vec<DownloadSize> {
    let long_edge = original.width.max(original.height);
    let size = |name, dimensions: Dimensions| DownloadSize {
        name,
        dimensions,
        // About what a photograph compresses to: three bytes a pixel, a tenth of it kept.
        bytes: u64::from(dimensions.width) * u64::from(dimensions.height) * 3 / 10,
        media_type: DELIVERY_MEDIA_TYPE,
    };
    [("small", 612), ("medium", 1024), ("large", 2048)]
        .into_iter()
        .filter(|(_, edge)| *edge < long_edge)
        .map(|(name, edge)| size(name, fit(original, edge)))
        .chain([size("x-large", original)])
        .collect()
}

/// Scales the original's aspect ratio to the given long edge.
pub fn fit(original: Dimensions, long_edge: u32) -> Dimensions {
    let (w, h) = (
        u64::from(original.width.max(1)),
        u64::from(original.height.max(1)),
    );
    let edge = u64::from(long_edge);
    let scale = |short: u64, long: u64| ((short * edge + long / 2) / long).max(1) as u32;
    if w >= h {
        Dimensions {
            width: long_edge,
            height: scale(h, w),
        }
    } else {
        Dimensions {
            width: scale(w, h),
            height: long_edge,
        }
    }
}

/// The `s` query value of a rendition URI, mimicking Getty's signed display URIs.
pub fn signature(size: DisplaySize, id: &str) -> String {
    format!(
        "{:016x}",
        fnv1a(format!("sandbox-media:{}/{id}", size.as_str()).as_bytes())
    )
}

fn colour(bits: u64) -> [f32; 3] {
    [bits, bits >> 8, bits >> 16].map(|b| (b & 0xff) as f32)
}

/// Encodes a diagonal two-colour gradient seeded by `seed`, striped when `watermarked`.
pub fn gradient_png(
    size: Dimensions,
    seed: u64,
    watermarked: bool,
) -> Result<Vec<u8>, png::EncodingError> {
    let Dimensions { width, height } = size;
    let (from, to) = (colour(seed), colour(seed >> 24));
    let span = (width + height).max(2) as f32 - 2.0;
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..width {
            let t = if span > 0.0 {
                (x + y) as f32 / span
            } else {
                0.0
            };
            // Light stripes stand in for Getty's watermark on previews.
            let stripe = watermarked && (x + y) % 48 < 6;
            for channel in 0..3 {
                let value = from[channel] + (to[channel] - from[channel]) * t;
                let value = if stripe { (value + 255.0) / 2.0 } else { value };
                pixels.push(value.clamp(0.0, 255.0) as u8);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Speed matters more than size here: these are generated per request, often in debug builds.
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_aspect_ratio() {
        let landscape = Dimensions {
            width: 4500,
            height: 3000,
        };
        assert_eq!(
            fit(landscape, 170),
            Dimensions {
                width: 170,
                height: 113
            }
        );
        let portrait = Dimensions {
            width: 3000,
            height: 4500,
        };
        assert_eq!(
            fit(portrait, 1200),
            Dimensions {
                width: 800,
                height: 1200
            }
        );
    }

    #[test]
    fn download_sizes_end_with_the_original() {
        let original = Dimensions {
            width: 4500,
            height: 3000,
        };
        let sizes = download_sizes(original);
        let names: Vec<&str> = sizes.iter().map(|s| s.name).collect();
        assert_eq!(names, ["small", "medium", "large", "x-large"]);
        assert_eq!(sizes[0].dimensions, fit(original, 612));
        assert_eq!(sizes[3].dimensions, original);
        assert!(sizes.windows(2).all(|w| w[0].bytes < w[1].bytes));
        let small = download_sizes(Dimensions {
            width: 2000,
            height: 1000,
        });
        assert_eq!(small.len(), 3);
    }

    #[test]
    fn png_is_valid_and_deterministic() {
        let size = Dimensions {
            width: 17,
            height: 11,
        };
        let a = gradient_png(size, 42, true).ok();
        assert!(a
            .as_ref()
            .is_some_and(|png| png.starts_with(b"\x89PNG\r\n\x1a\n")));
        assert_eq!(a, gradient_png(size, 42, true).ok());
        assert_ne!(a, gradient_png(size, 43, true).ok());
    }
}
