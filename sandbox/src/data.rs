//! The sandbox's deterministic image catalogue: everything is computed from the phrase and the id.

use serde::Serialize;

use super::products::{default_products, downloads_for, Download};

/// Number of image ids the catalogue can produce (8-digit bases).
const BASE_MIN: u64 = 10_000_000;
const BASE_SPAN: u64 = 90_000_000;

/// 64-bit FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's finaliser, so that neighbouring inputs give unrelated bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn pick<T: Copy>(items: &[T], bits: u64) -> T {
    items[(bits % items.len() as u64) as usize]
}

/// Creative (stock) or editorial (news) imagery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetFamily {
    /// Stock photography and illustration.
    Creative,
    /// News, sport and archive photography.
    Editorial,
}

impl AssetFamily {
    /// The name Getty uses on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creative => "creative",
            Self::Editorial => "editorial",
        }
    }
}

/// A Getty product type, under which a download is licensed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductType {
    /// Easy-access subscription.
    EasyAccess,
    /// Editorial subscription.
    EditorialSubscription,
    /// Pack of image downloads.
    ImagePack,
    /// Premium access agreement.
    PremiumAccess,
    /// Royalty-free subscription.
    RoyaltyFreeSubscription,
    /// Credit pack (never offered by the sandbox, but a valid request value).
    CreditPack,
    /// AI generation (never offered by the sandbox, but a valid request value).
    AiGen,
}

impl ProductType {
    /// The name Getty uses on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EasyAccess => "easyaccess",
            Self::EditorialSubscription => "editorialsubscription",
            Self::ImagePack => "imagepack",
            Self::PremiumAccess => "premiumaccess",
            Self::RoyaltyFreeSubscription => "royaltyfreesubscription",
            Self::CreditPack => "creditpack",
            Self::AiGen => "aigen",
        }
    }

    /// Parses a wire name, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::EasyAccess,
            Self::EditorialSubscription,
            Self::ImagePack,
            Self::PremiumAccess,
            Self::RoyaltyFreeSubscription,
            Self::CreditPack,
            Self::AiGen,
        ]
        .into_iter()
        .find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

/// Pixel size of the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dimensions {
    /// Height in pixels.
    pub height: u32,
    /// Width in pixels.
    pub width: u32,
}

/// What the licence lets a customer do with an image (Getty's `allowed_use`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowedUse {
    /// A sentence on what the licence allows.
    pub how_can_i_use_it: String,
    /// Model and property release status.
    pub release_info: String,
    /// Restrictions to show before use; often empty.
    pub usage_restrictions: Vec<String>,
}

/// What the sandbox knows about an id without any phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The id, a numeric string.
    pub id: String,
    /// Creative or editorial.
    pub asset_family: AssetFamily,
    /// Photographer name; absent for some images (credit the collection then).
    pub artist: Option<String>,
    /// Collection name.
    pub collection_name: String,
    /// Copyright line; absent for some images.
    pub copyright: Option<String>,
    /// The credit to print beside the image, as Getty words it (e.g. "Ana Silva/Moment").
    pub credit_line: String,
    /// What the licence allows; absent for some images.
    pub allowed_use: Option<AllowedUse>,
    /// Size of the original.
    pub max_dimensions: Dimensions,
    /// How the default account ([`default_products`]) may download it; a running sandbox
    /// answers from its current account instead.
    pub downloads: Vec<Download>,
}

/// One of an image's keywords, as Getty's `Keyword` shapes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Keyword {
    /// Getty's id of the keyword, a numeric string.
    pub keyword_id: String,
    /// The keyword itself.
    pub text: String,
    /// What kind of keyword it is (the sandbox's are all `Keyword`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// How well it describes the image, higher first.
    pub relevance: i32,
}

/// A search result: an asset plus the texts derived from the phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Phrase-independent facts.
    pub asset: Asset,
    /// Title derived from the phrase.
    pub title: String,
    /// Caption; absent for about one image in five.
    pub caption: Option<String>,
    /// Keywords: the phrase's words, then a few of the image's own, most relevant first.
    pub keywords: Vec<Keyword>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// Total number of results for the phrase.
    pub result_count: u64,
    /// The images on this page (empty past the end).
    pub images: Vec<Image>,
}

/// The id for an 8-digit base: ISO 7064 MOD 97-10 check digits make any other number invalid.
fn encode_id(base: u64) -> String {
    format!("{base}{:02}", 98 - (base * 100) % 97)
}

/// The base of a valid sandbox id, or `None` for any id the sandbox never issues.
fn decode_id(id: &str) -> Option<u64> {
    if id.len() != 10 || !id.bytes().all(|b| b.is_ascii_digit()) || id.starts_with('0') {
        return None;
    }
    let number: u64 = id.parse().ok()?;
    (number % 97 == 1).then_some(number / 100)
}

/// Family is carried by the base's parity so that the id alone determines it.
fn family_of(base: u64) -> AssetFamily {
    if base.is_multiple_of(2) {
        AssetFamily::Creative
    } else {
        AssetFamily::Editorial
    }
}

const ARTISTS: &[&str] = &[
    "Ana Silva",
    "Kenji Watanabe",
    "Marta Novák",
    "Oluwaseun Adeyemi",
    "Liam O'Connor",
    "Priya Raman",
    "Jonas Berg",
    "Camila Rojas",
];
const CREATIVE_COLLECTIONS: &[&str] = &["Moment", "Stone", "DigitalVision", "E+", "iStock"];
const EDITORIAL_COLLECTIONS: &[&str] = &[
    "Getty Images News",
    "Getty Images Sport",
    "AFP",
    "Hulton Archive",
];
const WIDTHS: &[u32] = &[3000, 4000, 4500, 5472, 6000, 7360];
const TITLES: &[&str] = &[
    "{P} on a windowsill",
    "{P} in the morning light",
    "Close-up of {p}",
    "{P} at sunset",
    "{P} in the city",
    "Portrait of {p}",
    "{P} on a white background",
    "Aerial view of {p}",
    "{P} in the rain",
    "Vintage photograph of {p}",
    "{P} in winter",
    "{P} & friends, side by side",
];

const EDITORIAL_RESTRICTIONS: &[&[&str]] = &[
    &["Editorial use only"],
    &["Editorial use only", "No use in advertising"],
    &[
        "Editorial use only",
        "Contact your local office for all commercial or promotional uses.",
    ],
];
const CREATIVE_RESTRICTIONS: &[&[&str]] = &[
    &["No use in advertising"],
    &["Not released", "No use in advertising"],
    &["Not released"],
];

/// Licence facts, from bits independent of those the older fields use (so existing titles,
/// sizes and collections stay as they were): a third restricted, a third unrestricted, a
/// sixth without `allowed_use`, about one in seven without an artist.
fn licence(family: AssetFamily, bits: u64) -> (Option<AllowedUse>, bool, bool) {
    let (how, released, unreleased, restrictions) = match family {
        AssetFamily::Editorial => (
            "Editorial use only: news, commentary and education; not for commercial or promotional use.",
            "Not released. More information",
            "Not released. More information",
            EDITORIAL_RESTRICTIONS,
        ),
        AssetFamily::Creative => (
            "Use in commercial and editorial projects, under the terms of your licence.",
            "Model and property released",
            "Not released. More information",
            CREATIVE_RESTRICTIONS,
        ),
    };
    let allowed_use = match bits % 6 {
        0 | 1 => Some(AllowedUse {
            how_can_i_use_it: how.to_owned(),
            release_info: unreleased.to_owned(),
            usage_restrictions: pick(restrictions, bits >> 3)
                .iter()
                .map(|r| (*r).to_owned())
                .collect(),
        }),
        2..=4 => Some(AllowedUse {
            how_can_i_use_it: how.to_owned(),
            release_info: released.to_owned(),
            usage_restrictions: Vec::new(),
        }),
        _ => None,
    };
    let has_artist = !(bits >> 8).is_multiple_of(7);
    let has_copyright = !(bits >> 12).is_multiple_of(11);
    (allowed_use, has_artist, has_copyright)
}

/// Getty's credit lines: the photographer and the collection for creative images, the
/// photographer and the agency for editorial ones, the collection or agency alone without a
/// photographer.
fn credit_line(family: AssetFamily, artist: Option<&str>, collection: &str) -> String {
    let source = match family {
        AssetFamily::Creative => match artist {
            Some(_) => collection.to_owned(),
            None => format!("{collection}/Getty Images"),
        },
        AssetFamily::Editorial if collection == "AFP" => "AFP via Getty Images".to_owned(),
        AssetFamily::Editorial => "Getty Images".to_owned(),
    };
    match artist {
        Some(artist) => format!("{artist}/{source}"),
        None => source,
    }
}

fn asset_for(base: u64) -> Asset {
    let bits = mix(base);
    let asset_family = family_of(base);
    let collections = match asset_family {
        AssetFamily::Creative => CREATIVE_COLLECTIONS,
        AssetFamily::Editorial => EDITORIAL_COLLECTIONS,
    };
    let width = pick(WIDTHS, bits >> 8);
    let height = match (bits >> 12) & 7 {
        0 => width,             // square
        1 | 2 => width * 3 / 2, // portrait
        _ => width * 2 / 3,     // landscape, the common case
    };
    let (allowed_use, has_artist, has_copyright) =
        licence(asset_family, mix(base ^ 0x11ce_15ed_0000_0000));
    let artist = has_artist.then(|| pick(ARTISTS, bits >> 44).to_owned());
    let collection_name = pick(collections, bits >> 48).to_owned();
    let year = 2000 + (bits >> 52) % 26;
    let copyright = has_copyright.then(|| {
        format!(
            "© {year} {}",
            artist.as_deref().unwrap_or(collection_name.as_str())
        )
    });
    let credit_line = credit_line(asset_family, artist.as_deref(), &collection_name);
    Asset {
        id: encode_id(base),
        asset_family,
        artist,
        collection_name,
        copyright,
        credit_line,
        allowed_use,
        max_dimensions: Dimensions { height, width },
        downloads: downloads_for(&default_products(), asset_family),
    }
}

/// The asset behind a sandbox id, or `None` if the sandbox never issues that id.
pub fn lookup(id: &str) -> Option<Asset> {
    decode_id(id).map(asset_for)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn image_for(phrase: &str, base: u64) -> Image {
    let asset = asset_for(base);
    let bits = mix(base ^ fnv1a(phrase.as_bytes()));
    let title = pick(TITLES, bits)
        .replace("{P}", &capitalise(phrase))
        .replace("{p}", &phrase.to_lowercase());
    let caption = (!(bits >> 8).is_multiple_of(5)).then(|| {
        let by = asset
            .artist
            .as_deref()
            .map(|artist| format!(" by {artist}"))
            .unwrap_or_default();
        format!(
            "{} photographed{by} for {}. Sandbox image {}; not a real Getty Images asset.",
            capitalise(phrase),
            asset.collection_name,
            asset.id
        )
    });
    let keywords = keywords(phrase, &asset, bits);
    Image {
        asset,
        title,
        caption,
        keywords,
    }
}

/// Concepts an image may carry besides its subject, picked by its bits.
const CONCEPTS: &[&str] = &[
    "Photography",
    "No People",
    "Outdoors",
    "Indoors",
    "Color Image",
    "Day",
    "Nature",
    "Travel Destinations",
];

/// The keywords of an image shown for `phrase`: each word of the phrase, the orientation of
/// its pixels, and two or three concepts; distinct, with ids and relevance stable per text.
fn keywords(phrase: &str, asset: &Asset, bits: u64) -> Vec<Keyword> {
    let Dimensions { width, height } = asset.max_dimensions;
    let orientation = match width.cmp(&height) {
        std::cmp::Ordering::Greater => "Horizontal",
        std::cmp::Ordering::Less => "Vertical",
        std::cmp::Ordering::Equal => "Square",
    };
    let mut texts: Vec<String> = phrase.split_whitespace().map(capitalise).collect();
    texts.push(orientation.to_owned());
    let concepts = 2 + (bits >> 20) % 2;
    for n in 0..concepts {
        texts.push(pick(CONCEPTS, mix(bits ^ n)).to_owned());
    }
    let mut seen = std::collections::HashSet::new();
    texts.retain(|text| seen.insert(text.to_lowercase()));
    let count = texts.len() as i32;
    texts
        .into_iter()
        .enumerate()
        .map(|(rank, text)| Keyword {
            keyword_id: (fnv1a(text.to_lowercase().as_bytes()) % 10_000_000).to_string(),
            relevance: (count - rank as i32) * 10,
            kind: "Keyword",
            text,
        })
        .collect()
}

/// Collapses whitespace so that equivalent phrases give identical results.
fn normalise(phrase: &str) -> String {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        "stock photo".to_owned()
    } else {
        words.join(" ")
    }
}

/// One page of results for `phrase` across both families (`/v3/search/images`).
pub fn search(phrase: &str, page: u32, page_size: u32) -> SearchPage {
    search_family(phrase, None, page, page_size)
}

/// One page of results, restricted to one family when given; `page` counts from 1.
pub fn search_family(
    phrase: &str,
    family: Option<AssetFamily>,
    page: u32,
    page_size: u32,
) -> SearchPage {
    let phrase = normalise(phrase);
    let key = phrase.to_lowercase();
    let seed = fnv1a(key.as_bytes());
    let total = 1_000 + seed % 9_000;
    let result_count = match family {
        None => total,
        Some(AssetFamily::Creative) => total * 3 / 5,
        Some(AssetFamily::Editorial) => total * 2 / 5,
    };
    let start = u64::from(page.max(1) - 1) * u64::from(page_size);
    let end = (start + u64::from(page_size)).min(result_count);
    let images = (start..end)
        .map(|index| {
            let base = BASE_MIN + mix(seed ^ mix(index)) % BASE_SPAN;
            // Forcing the parity keeps the base in range: BASE_MIN is even, the top is odd.
            let base = match family {
                None => base,
                Some(AssetFamily::Creative) => base & !1,
                Some(AssetFamily::Editorial) => base | 1,
            };
            image_for(&phrase, base)
        })
        .collect();
    SearchPage {
        result_count,
        images,
    }
}

/// The image `id` as a search for `phrase` shows it (its title and caption follow the phrase),
/// or `None` if the sandbox never issues that id.
pub fn image(id: &str, phrase: &str) -> Option<Image> {
    decode_id(id).map(|base| image_for(&normalise(phrase), base))
}

/// Salts that keep the neighbour sequences apart from the search sequences and each other.
const SIMILAR_SALT: u64 = 0x5135_1a12_0000_0001;
const SERIES_SALT: u64 = 0x5e21_e500_0000_0002;

/// A series is a block of this many consecutive bases (half of them creative).
const SERIES_BLOCK: u64 = 32;

/// Images like `id`, of its family, titled for `phrase`: a deterministic list of 20 to 200
/// other images, one page of it (`page` counts from 1). `None` for an id the sandbox never
/// issues.
pub fn similar(id: &str, phrase: &str, page: u32, page_size: u32) -> Option<SearchPage> {
    let source = decode_id(id)?;
    let family = family_of(source);
    let seed = mix(source ^ SIMILAR_SALT);
    let result_count = 20 + seed % 181;
    let bases = page_range(result_count, page, page_size).map(|index| {
        let base = BASE_MIN + mix(seed ^ mix(index)) % BASE_SPAN;
        let base = match family {
            AssetFamily::Creative => base & !1,
            AssetFamily::Editorial => base | 1,
        };
        // Flipping bit 1 keeps the parity (the family) and the range (BASE_MIN is a multiple of 4).
        if base == source {
            base ^ 2
        } else {
            base
        }
    });
    Some(page_of(phrase, result_count, bases))
}

/// Whether the creative image with this base belongs to its block's series (about two in three
/// do; the others were shot alone).
fn in_series(base: u64) -> bool {
    family_of(base) == AssetFamily::Creative && !mix(base ^ SERIES_SALT).is_multiple_of(3)
}

/// What [`same_series`] answers about an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Series {
    /// The other images of its series (none if it was shot alone), one page of them.
    Creative(SearchPage),
    /// Series are kept for creative images only.
    Editorial,
}

/// The other images from the shoot of the creative image `id`, titled for `phrase`: the
/// series members of its block of [`SERIES_BLOCK`] bases, so that every member lists the same
/// others. `None` for an id the sandbox never issues.
pub fn same_series(id: &str, phrase: &str, page: u32, page_size: u32) -> Option<Series> {
    let source = decode_id(id)?;
    if family_of(source) == AssetFamily::Editorial {
        return Some(Series::Editorial);
    }
    let members: Vec<u64> = if in_series(source) {
        let block = source - source % SERIES_BLOCK;
        (block..block + SERIES_BLOCK)
            .filter(|base| *base != source && in_series(*base))
            .collect()
    } else {
        Vec::new()
    };
    let result_count = members.len() as u64;
    let bases = page_range(result_count, page, page_size).map(|index| members[index as usize]);
    Some(Series::Creative(page_of(phrase, result_count, bases)))
}

/// The indices of one page of `result_count` results.
fn page_range(result_count: u64, page: u32, page_size: u32) -> std::ops::Range<u64> {
    let start = u64::from(page.max(1) - 1) * u64::from(page_size);
    let end = start.saturating_add(u64::from(page_size)).min(result_count);
    start..end.max(start)
}

fn page_of(phrase: &str, result_count: u64, bases: impl Iterator<Item = u64>) -> SearchPage {
    let phrase = normalise(phrase);
    SearchPage {
        result_count,
        images: bases.map(|base| image_for(&phrase, base)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn ids_round_trip_and_reject_others() {
        for base in [BASE_MIN, 12_345_678, BASE_MIN + BASE_SPAN - 1] {
            let id = encode_id(base);
            assert_eq!(id.len(), 10);
            assert_eq!(decode_id(&id), Some(base));
        }
        for bad in [
            "",
            "83454804",
            "1234567800",
            "0123456789",
            "12345678a0",
            "99999999999",
        ] {
            assert_eq!(decode_id(bad), None, "{bad}");
        }
        let id = encode_id(12_345_678);
        let tampered = format!("{}{}", &id[..9], (id.as_bytes()[9] - b'0' + 1) % 10);
        assert_eq!(decode_id(&tampered), None);
    }

    #[test]
    fn search_is_deterministic_and_paged() {
        let a = search("Kitties", 1, 30);
        assert_eq!(a, search("  Kitties ", 1, 30));
        assert_eq!(a.images.len(), 30);
        assert!((1_000..10_000).contains(&a.result_count));
        let page2 = search("Kitties", 2, 10);
        assert_eq!(page2.images[..], a.images[10..20]);
        assert_ne!(search("puppies", 1, 30).images, a.images);
        let past_end = search("Kitties", 1_000, 100);
        assert!(past_end.images.is_empty());
        assert_eq!(past_end.result_count, a.result_count);
    }

    #[test]
    fn catalogue_has_the_promised_variety() {
        let page = search("kitties", 1, 100);
        let ids: Vec<&str> = page.images.iter().map(|i| i.asset.id.as_str()).collect();
        assert!(ids.iter().all(|id| lookup(id).is_some()));
        assert!(page.images.iter().all(|i| i.asset.downloads.len() == 2));
        assert!(page.images.iter().any(|i| i.caption.is_none()));
        assert!(page.images.iter().any(|i| i.caption.is_some()));
        let assets = || page.images.iter().map(|i| &i.asset);
        assert!(assets().any(|a| a.artist.is_none()));
        assert!(assets().filter(|a| a.artist.is_some()).count() > 70);
        assert!(assets().any(|a| a.copyright.is_none()));
        let uses: Vec<Option<&AllowedUse>> = assets().map(|a| a.allowed_use.as_ref()).collect();
        let restricted = uses
            .iter()
            .flatten()
            .filter(|u| !u.usage_restrictions.is_empty())
            .count();
        let unrestricted = uses
            .iter()
            .flatten()
            .filter(|u| u.usage_restrictions.is_empty())
            .count();
        let none = uses.iter().filter(|u| u.is_none()).count();
        assert!((20..=50).contains(&restricted), "{restricted} restricted");
        assert!(
            (30..=70).contains(&unrestricted),
            "{unrestricted} unrestricted"
        );
        assert!((5..=30).contains(&none), "{none} without allowed_use");
        let editorial_only = assets().any(|a| {
            a.asset_family == AssetFamily::Editorial
                && a.allowed_use.as_ref().is_some_and(|u| {
                    u.usage_restrictions
                        .iter()
                        .any(|r| r == "Editorial use only")
                })
        });
        assert!(editorial_only);
        let families = |f| {
            page.images
                .iter()
                .filter(|i| i.asset.asset_family == f)
                .count()
        };
        assert!(families(AssetFamily::Creative) > 0 && families(AssetFamily::Editorial) > 0);
        assert!(page.images[0].title.contains("itties"));
    }

    #[test]
    fn family_searches_stay_in_family() {
        for family in [AssetFamily::Creative, AssetFamily::Editorial] {
            let page = search_family("storm", Some(family), 3, 50);
            assert_eq!(page.images.len(), 50);
            assert!(page.images.iter().all(|i| i.asset.asset_family == family));
        }
    }

    #[test]
    fn an_image_is_titled_as_the_search_that_showed_it() {
        let page = search("Kitties", 2, 5);
        for shown in &page.images {
            assert_eq!(image(&shown.asset.id, " Kitties  ").as_ref(), Some(shown));
        }
        let untitled = image(&page.images[0].asset.id, "");
        assert!(untitled.is_some_and(|i| i.title.contains("tock photo")));
        assert_eq!(image("1234567800", "kitties"), None);
        let asset = &page.images[0].asset;
        assert!(
            asset.credit_line.contains(&asset.collection_name)
                || asset.asset_family == AssetFamily::Editorial
        );
    }

    #[test]
    fn credit_lines_name_the_photographer_and_the_source() {
        assert_eq!(
            credit_line(AssetFamily::Creative, Some("Ana Silva"), "Moment"),
            "Ana Silva/Moment"
        );
        assert_eq!(
            credit_line(AssetFamily::Creative, None, "E+"),
            "E+/Getty Images"
        );
        assert_eq!(
            credit_line(
                AssetFamily::Editorial,
                Some("Jonas Berg"),
                "Getty Images Sport"
            ),
            "Jonas Berg/Getty Images"
        );
        assert_eq!(
            credit_line(AssetFamily::Editorial, None, "AFP"),
            "AFP via Getty Images"
        );
    }

    #[test]
    fn similar_images_are_other_images_of_the_family_paged() {
        for family in [AssetFamily::Creative, AssetFamily::Editorial] {
            let source = search_family("storm", Some(family), 1, 1).images[0]
                .asset
                .id
                .clone();
            let all = similar(&source, "storm", 1, 200).expect("a sandbox id");
            assert!((20..=200).contains(&all.result_count));
            assert_eq!(all.images.len() as u64, all.result_count);
            assert!(all
                .images
                .iter()
                .all(|i| i.asset.asset_family == family && i.asset.id != source));
            assert!(all.images.iter().all(|i| i.title.contains("torm")));
            let second = similar(&source, "storm", 2, 10).expect("a sandbox id");
            assert_eq!(second.images[..], all.images[10..20]);
            assert_eq!(
                similar(&source, "storm", 100, 100).map(|p| p.images.len()),
                Some(0)
            );
        }
        assert_eq!(similar("1234567800", "storm", 1, 10), None);
    }

    #[test]
    fn a_series_is_shared_by_its_members_and_creative_only() {
        let page = search_family("shoot", Some(AssetFamily::Creative), 1, 100);
        let mut alone = 0;
        for shown in &page.images {
            let id = &shown.asset.id;
            let Some(Series::Creative(series)) = same_series(id, "shoot", 1, 100) else {
                panic!("{id} is creative");
            };
            if series.images.is_empty() {
                alone += 1;
                continue;
            }
            assert!(series
                .images
                .iter()
                .all(|i| i.asset.asset_family == AssetFamily::Creative));
            // Each member lists the source and the same others.
            let member = &series.images[0].asset.id;
            let Some(Series::Creative(theirs)) = same_series(member, "shoot", 1, 100) else {
                panic!("{member} is creative");
            };
            let mut ours: Vec<&str> = series.images.iter().map(|i| i.asset.id.as_str()).collect();
            ours.push(id);
            let mut others: Vec<&str> = theirs.images.iter().map(|i| i.asset.id.as_str()).collect();
            others.push(member);
            ours.sort_unstable();
            others.sort_unstable();
            assert_eq!(ours, others);
        }
        assert!((10..=60).contains(&alone), "{alone} shot alone");
        let editorial = search_family("shoot", Some(AssetFamily::Editorial), 1, 1).images[0]
            .asset
            .id
            .clone();
        assert_eq!(
            same_series(&editorial, "shoot", 1, 30),
            Some(Series::Editorial)
        );
    }
}
