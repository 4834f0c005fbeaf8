//! Query parameters as strictly as Getty reads them: which ones each endpoint takes, and the
//! values it knows (from the OpenAPI file's parameter lists and enums).

use super::clock::parse_date_param;
use super::data::AssetFamily;
use super::error::SandboxError;
use super::fields::{Fields, IMAGE_SETS, SEARCH_SETS};

/// Longest search phrase accepted, in characters; Getty refuses overlong phrases with a 400
/// too, and without a cap a 60 KB phrase echoed into 100 titles makes a 10 MB answer.
pub const MAX_PHRASE_CHARS: usize = 500;

/// Getty's largest `page_size`.
pub const MAX_PAGE_SIZE: u32 = 100;

/// The largest value of an `int32` parameter (`page`, `product_id`, keyword and event ids...):
/// Getty's file gives them no other maximum.
pub const MAX_INT32: u32 = i32::MAX as u32;

/// Most ids one `GET /v3/images` may ask for.
pub const MAX_IDS: usize = 100;

/// Raw query pairs, in request order.
pub type Pairs = [(String, String)];

/// What a parameter's value must look like.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `true` or `false`.
    Bool,
    /// A whole number in the range.
    Int(u32, u32),
    /// Any text.
    Text,
    /// Comma-separated `int32` numbers.
    IntList,
    /// A real date (`YYYY-MM-DD`, optionally followed by a time and a zone).
    Date,
    /// One of these values.
    OneOf(&'static [&'static str]),
    /// Comma-separated values, each one of these.
    ListOf(&'static [&'static str]),
}

const AGES: &[&str] = &[
    "newborn",
    "baby",
    "child",
    "teenager",
    "young_adult",
    "adult",
    "adults_only",
    "mature_adult",
    "senior_adult",
    "0-1_months",
    "2-5_months",
    "6-11_months",
    "12-17_months",
    "18-23_months",
    "2-3_years",
    "4-5_years",
    "6-7_years",
    "8-9_years",
    "10-11_years",
    "12-13_years",
    "14-15_years",
    "16-17_years",
    "18-19_years",
    "20-24_years",
    "20-29_years",
    "25-29_years",
    "30-34_years",
    "30-39_years",
    "35-39_years",
    "40-44_years",
    "40-49_years",
    "45-49_years",
    "50-54_years",
    "50-59_years",
    "55-59_years",
    "60-64_years",
    "60-69_years",
    "65-69_years",
    "70-79_years",
    "80-89_years",
    "90_plus_years",
    "100_over",
];
const COMPOSITIONS: &[&str] = &[
    "abstract",
    "candid",
    "close_up",
    "copy_space",
    "cut_out",
    "full_frame",
    "full_length",
    "headshot",
    "looking_at_camera",
    "macro",
    "medium_shot",
    "part_of_a_series",
    "portrait",
    "sparse",
    "still_life",
    "three_quarter_length",
    "waist_up",
    "wide_shot",
];
const ETHNICITIES: &[&str] = &[
    "black",
    "white",
    "east_asian",
    "hispanic_latinx",
    "japanese",
    "middle_eastern",
    "multiracial_person",
    "multiethnic_group",
    "native_american_first_nations",
    "pacific_islander",
    "south_asian",
    "southeast_asian",
];
const INCLUDE_EXCLUDE: &[&str] = &["include", "exclude"];
const SIZES: &[&str] = &[
    "x_small", "small", "medium", "large", "x_large", "xx_large", "vector",
];
const NUMBER_OF_PEOPLE: &[&str] = &["none", "one", "two", "group"];
const ORIENTATIONS: &[&str] = &[
    "horizontal",
    "vertical",
    "square",
    "panoramic_horizontal",
    "panoramic_vertical",
];
const MOODS: &[&str] = &[
    "black_and_white",
    "bold",
    "cool",
    "dramatic",
    "natural",
    "vivid",
    "warm",
];
const SEGMENTS: &[&str] = &[
    "archival",
    "entertainment",
    "news",
    "publicity",
    "royalty",
    "sport",
];
/// `GraphicalStyle` (all images and creative).
const GRAPHICAL_STYLES: &[&str] = &["fine_art", "illustration", "photography", "vector"];
/// `EditorialGraphicalStyle`: no `fine_art`.
const EDITORIAL_GRAPHICAL_STYLES: &[&str] = &["photography", "illustration", "vector"];
/// `BlendedImageSortOrder` and `CreativeImageSortOrder`.
const SORT_ORDERS: &[&str] = &["best_match", "most_popular", "newest", "random"];
/// `SortOrder` (editorial): also `oldest`.
const EDITORIAL_SORT_ORDERS: &[&str] =
    &["best_match", "most_popular", "newest", "oldest", "random"];

/// `ImagesFieldValues` (`/v3/search/images`).
const ALL_FIELDS: &[&str] = &[
    "accessrestriction",
    "allowed_use",
    "alternative_ids",
    "artist",
    "asset_family",
    "call_for_image",
    "caption",
    "collection_code",
    "collection_id",
    "collection_name",
    "color_type",
    "comp",
    "comp_webp",
    "copyright",
    "date_camera_shot",
    "date_created",
    "date_submitted",
    "detail_set",
    "display_set",
    "download_product",
    "download_sizes",
    "editorial_segments",
    "editorial_source",
    "entity_details",
    "event_ids",
    "graphical_style",
    "id",
    "istock_collection",
    "keywords",
    "largest_downloads",
    "license_model",
    "max_dimensions",
    "orientation",
    "people",
    "preview",
    "product_types",
    "quality_rank",
    "referral_destinations",
    "summary_set",
    "thumb",
    "title",
    "uri_oembed",
];
/// `CreativeImagesFieldValues`: no editorial-only fields.
const CREATIVE_FIELDS: &[&str] = &[
    "allowed_use",
    "alternative_ids",
    "artist",
    "asset_family",
    "call_for_image",
    "caption",
    "collection_code",
    "collection_id",
    "collection_name",
    "color_type",
    "comp",
    "comp_webp",
    "copyright",
    "date_camera_shot",
    "date_created",
    "date_submitted",
    "detail_set",
    "display_set",
    "download_product",
    "download_sizes",
    "graphical_style",
    "id",
    "istock_collection",
    "keywords",
    "largest_downloads",
    "license_model",
    "max_dimensions",
    "orientation",
    "preview",
    "product_types",
    "quality_rank",
    "referral_destinations",
    "summary_set",
    "thumb",
    "title",
    "uri_oembed",
];
/// `EditorialImagesFieldValues`: no iStock or access-restriction fields.
const EDITORIAL_FIELDS: &[&str] = &[
    "allowed_use",
    "alternative_ids",
    "artist",
    "asset_family",
    "call_for_image",
    "caption",
    "collection_code",
    "collection_id",
    "collection_name",
    "color_type",
    "comp",
    "comp_webp",
    "copyright",
    "date_camera_shot",
    "date_created",
    "date_submitted",
    "detail_set",
    "display_set",
    "download_product",
    "download_sizes",
    "editorial_segments",
    "editorial_source",
    "event_ids",
    "graphical_style",
    "id",
    "keywords",
    "largest_downloads",
    "license_model",
    "max_dimensions",
    "orientation",
    "people",
    "preview",
    "product_types",
    "quality_rank",
    "referral_destinations",
    "summary_set",
    "thumb",
    "title",
    "uri_oembed",
];

/// `ImageDetailFieldValues` (`/v3/images/{id}`, `/v3/images`).
const IMAGE_FIELDS: &[&str] = &[
    "allowed_use",
    "alternative_ids",
    "artist",
    "artist_title",
    "asset_family",
    "call_for_image",
    "caption",
    "city",
    "collection_code",
    "collection_id",
    "collection_name",
    "color_type",
    "comp",
    "comp_webp",
    "copyright",
    "country",
    "credit_line",
    "date_camera_shot",
    "date_created",
    "date_submitted",
    "detail_set",
    "display_set",
    "download_sizes",
    "download_product",
    "downloads",
    "editorial_segments",
    "editorial_source",
    "entity_details",
    "event_ids",
    "graphical_style",
    "id",
    "is_ai_editable",
    "istock_collection",
    "istock_licenses",
    "keywords",
    "largest_downloads",
    "license_model",
    "links",
    "max_dimensions",
    "object_name",
    "orientation",
    "people",
    "preview",
    "product_types",
    "quality_rank",
    "referral_destinations",
    "state_province",
    "summary_set",
    "thumb",
    "title",
    "uri_oembed",
];

/// Parameters every search endpoint takes, with the same values.
const COMMON: &[(&str, Kind)] = &[
    ("age_of_people", Kind::ListOf(AGES)),
    ("artists", Kind::Text),
    ("collection_codes", Kind::Text),
    ("collections_filter_type", Kind::OneOf(INCLUDE_EXCLUDE)),
    ("compositions", Kind::ListOf(COMPOSITIONS)),
    ("download_product", Kind::Text),
    ("embed_content_only", Kind::Bool),
    ("ethnicity", Kind::ListOf(ETHNICITIES)),
    ("file_types", Kind::ListOf(&["eps"])),
    ("graphical_styles_filter_type", Kind::OneOf(INCLUDE_EXCLUDE)),
    ("include_related_searches", Kind::Bool),
    ("keyword_ids", Kind::IntList),
    ("minimum_size", Kind::OneOf(SIZES)),
    ("number_of_people", Kind::ListOf(NUMBER_OF_PEOPLE)),
    ("orientations", Kind::ListOf(ORIENTATIONS)),
    ("page", PAGE),
    ("page_size", PAGE_SIZE),
    ("phrase", Kind::Text),
];

/// `page`: an `int32`, from 1.
const PAGE: Kind = Kind::Int(1, MAX_INT32);

/// `page_size`: 1 to 100.
const PAGE_SIZE: Kind = Kind::Int(1, MAX_PAGE_SIZE);

/// `/v3/search/images` only (its own `fields`, `graphical_styles`, `sort_order` included).
const ALL_ONLY: &[(&str, Kind)] = &[
    ("color", Kind::Text),
    ("event_ids", Kind::IntList),
    ("exclude_nudity", Kind::Bool),
    ("fields", Kind::ListOf(ALL_FIELDS)),
    ("graphical_styles", Kind::ListOf(GRAPHICAL_STYLES)),
    ("sort_order", Kind::OneOf(SORT_ORDERS)),
    ("specific_people", Kind::Text),
];

/// `/v3/search/images/creative` only.
const CREATIVE_ONLY: &[(&str, Kind)] = &[
    ("color", Kind::Text),
    ("enhanced_search", Kind::Bool),
    ("exclude_editorial_use_only", Kind::Bool),
    ("exclude_keyword_ids", Kind::IntList),
    ("exclude_nudity", Kind::Bool),
    ("facet_fields", Kind::ListOf(&["artists", "locations"])),
    ("facet_max_count", Kind::Int(0, MAX_INT32)),
    ("fields", Kind::ListOf(CREATIVE_FIELDS)),
    ("graphical_styles", Kind::ListOf(GRAPHICAL_STYLES)),
    ("include_facets", Kind::Bool),
    ("moods", Kind::ListOf(MOODS)),
    ("safe_search", Kind::Bool),
    ("sort_order", Kind::OneOf(SORT_ORDERS)),
];

/// `/v3/search/images/editorial` only.
const EDITORIAL_ONLY: &[(&str, Kind)] = &[
    ("date_from", Kind::Date),
    ("date_to", Kind::Date),
    ("editorial_segments", Kind::ListOf(SEGMENTS)),
    ("event_ids", Kind::IntList),
    ("exclude_keyword_ids", Kind::IntList),
    (
        "facet_fields",
        Kind::ListOf(&["artists", "events", "locations", "specific_people"]),
    ),
    ("facet_max_count", Kind::Int(0, MAX_INT32)),
    ("fields", Kind::ListOf(EDITORIAL_FIELDS)),
    ("graphical_styles", Kind::ListOf(EDITORIAL_GRAPHICAL_STYLES)),
    ("include_facets", Kind::Bool),
    ("minimum_quality_rank", Kind::Int(0, MAX_INT32)),
    ("sort_order", Kind::OneOf(EDITORIAL_SORT_ORDERS)),
    ("specific_people", Kind::Text),
];

/// A search, as far as the sandbox answers it; the other parameters are checked, not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams<'a> {
    /// The phrase (empty when absent).
    pub phrase: &'a str,
    /// 1-based page.
    pub page: u32,
    /// Images per page.
    pub page_size: u32,
    /// What each image carries.
    pub fields: Fields,
}

/// Checks every parameter of a search on `family`'s endpoint (`None`: `/v3/search/images`).
pub fn search_params(
    family: Option<AssetFamily>,
    params: &Pairs,
) -> Result<SearchParams<'_>, SandboxError> {
    let own = match family {
        None => ALL_ONLY,
        Some(AssetFamily::Creative) => CREATIVE_ONLY,
        Some(AssetFamily::Editorial) => EDITORIAL_ONLY,
    };
    for (name, value) in params {
        let kind = COMMON
            .iter()
            .chain(own)
            .find(|(known, _)| known == name)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| not_taken(name))?;
        check(name, value.trim(), kind)?;
    }
    let phrase = param(params, "phrase").unwrap_or("");
    if phrase.chars().count() > MAX_PHRASE_CHARS {
        return Err(SandboxError::InvalidParameter(format!(
            "The phrase parameter must be at most {MAX_PHRASE_CHARS} characters."
        )));
    }
    Ok(SearchParams {
        phrase,
        page: number(params, "page")?.unwrap_or(1),
        page_size: number(params, "page_size")?.unwrap_or(30),
        fields: Fields::parse(param(params, "fields")),
    })
}

/// One page of an image's neighbours (similar images, the same series), as far as the sandbox
/// answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageParams {
    /// 1-based page.
    pub page: u32,
    /// Images per page.
    pub page_size: u32,
    /// What each image carries.
    pub fields: Fields,
}

/// Parameters of `/v3/images/{id}/similar` and `/v3/images/{id}/same-series`: `fields` of
/// `ImagesFieldValues` (the list of `/v3/search/images`), `page`, `page_size`.
const NEIGHBOURS: &[(&str, Kind)] = &[
    ("fields", Kind::ListOf(ALL_FIELDS)),
    ("page", PAGE),
    ("page_size", PAGE_SIZE),
];

/// Checks every parameter of a request for an image's neighbours.
pub fn neighbour_params(params: &Pairs) -> Result<PageParams, SandboxError> {
    checked(params, NEIGHBOURS)?;
    Ok(PageParams {
        page: number(params, "page")?.unwrap_or(1),
        page_size: number(params, "page_size")?.unwrap_or(30),
        fields: Fields::parse_on(param(params, "fields"), &SEARCH_SETS),
    })
}

/// Checks the parameters of `GET /v3/images/{id}` (only `fields`, of
/// `ImageDetailFieldValues`); what each image carries.
pub fn image_params(params: &Pairs) -> Result<Fields, SandboxError> {
    checked(params, &[("fields", Kind::ListOf(IMAGE_FIELDS))])?;
    Ok(Fields::parse_on(param(params, "fields"), &IMAGE_SETS))
}

/// Checks the parameters of `GET /v3/images` (`ids`, required, at most [`MAX_IDS`], and
/// `fields`); the ids asked for, each once in the order given, and what each image carries.
pub fn images_params(params: &Pairs) -> Result<(Vec<&str>, Fields), SandboxError> {
    checked(
        params,
        &[("ids", Kind::Text), ("fields", Kind::ListOf(IMAGE_FIELDS))],
    )?;
    let mut ids: Vec<&str> = Vec::new();
    for id in params
        .iter()
        .filter(|(name, _)| name == "ids")
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(SandboxError::MissingParameter(
            "The ids parameter is required.".to_owned(),
        ));
    }
    if ids.len() > MAX_IDS {
        return Err(SandboxError::InvalidParameter(format!(
            "The ids parameter takes at most {MAX_IDS} ids, not {}.",
            ids.len()
        )));
    }
    Ok((ids, Fields::parse_on(param(params, "fields"), &IMAGE_SETS)))
}

/// Checks that every parameter is one of `known`, with a value of its kind.
fn checked(params: &Pairs, known: &[(&str, Kind)]) -> Result<(), SandboxError> {
    for (name, value) in params {
        let kind = known
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| not_taken(name))?;
        check(name, value.trim(), kind)?;
    }
    Ok(())
}

fn not_taken(name: &str) -> SandboxError {
    SandboxError::InvalidParameter(format!(
        "The {name} parameter is not valid for this endpoint."
    ))
}

fn invalid(name: &str, value: &str, expected: &str) -> SandboxError {
    SandboxError::InvalidParameter(format!(
        "{value:?} is not a valid value of the {name} parameter ({expected})."
    ))
}

/// Checks one value; an empty value counts as absent, as Getty treats `name=`.
fn check(name: &str, value: &str, kind: Kind) -> Result<(), SandboxError> {
    if value.is_empty() {
        return Ok(());
    }
    let items = || value.split(',').map(str::trim);
    let ok = match kind {
        Kind::Bool => parse_bool(value).is_some(),
        Kind::Int(min, max) => value.parse::<u32>().is_ok_and(|n| (min..=max).contains(&n)),
        Kind::Text => true,
        Kind::IntList => items().all(|item| item.parse::<i32>().is_ok()),
        Kind::Date => parse_date_param(value).is_some(),
        Kind::OneOf(known) => known.iter().any(|k| k.eq_ignore_ascii_case(value)),
        Kind::ListOf(known) => {
            if let Some(bad) =
                items().find(|item| !known.iter().any(|k| k.eq_ignore_ascii_case(item)))
            {
                return Err(invalid(name, bad, &known.join(", ")));
            }
            true
        }
    };
    if ok {
        return Ok(());
    }
    let expected = match kind {
        Kind::Bool => "true or false".to_owned(),
        Kind::Int(min, max) => format!("a whole number from {min} to {max}"),
        Kind::IntList => format!(
            "comma-separated whole numbers from {} to {}",
            i32::MIN,
            i32::MAX
        ),
        Kind::Date => "a date, YYYY-MM-DD".to_owned(),
        Kind::OneOf(known) | Kind::ListOf(known) => known.join(", "),
        Kind::Text => String::new(),
    };
    Err(invalid(name, value, &expected))
}

fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The first non-empty value of `name`, trimmed.
pub fn param<'a>(params: &'a Pairs, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

fn number(params: &Pairs, name: &str) -> Result<Option<u32>, SandboxError> {
    param(params, name)
        .map(|raw| {
            raw.parse::<u32>()
                .map_err(|_| invalid(name, raw, "a whole number"))
        })
        .transpose()
}

/// A boolean parameter (`true`/`false`, any case), or `default` when absent.
pub fn bool_param(params: &Pairs, name: &str, default: bool) -> Result<bool, SandboxError> {
    match param(params, name) {
        None => Ok(default),
        Some(value) => parse_bool(value).ok_or_else(|| invalid(name, value, "true or false")),
    }
}

/// Refuses any query parameter not in `known`, naming it, as Getty does.
pub fn only_known(params: &Pairs, known: &[&str]) -> Result<(), SandboxError> {
    match params
        .iter()
        .find(|(key, _)| !known.contains(&key.as_str()))
    {
        Some((key, _)) => Err(not_taken(key)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap_or_default()
    }

    fn verdict(family: Option<AssetFamily>, query: &str) -> Result<(), String> {
        search_params(family, &pairs(query))
            .map(|_| ())
            .map_err(|error| error.to_string())
    }

    const CREATIVE: Option<AssetFamily> = Some(AssetFamily::Creative);
    const EDITORIAL: Option<AssetFamily> = Some(AssetFamily::Editorial);

    #[test]
    fn each_endpoint_takes_its_own_parameters() {
        assert!(verdict(CREATIVE, "safe_search=true&exclude_nudity=false").is_ok());
        for family in [None, EDITORIAL] {
            let error = verdict(family, "phrase=x&safe_search=true");
            assert!(
                error.as_ref().is_err_and(|e| e.contains("safe_search")),
                "{error:?}"
            );
        }
        assert!(verdict(None, "exclude_nudity=true").is_ok());
        assert!(verdict(EDITORIAL, "exclude_nudity=true").is_err());
        assert!(verdict(CREATIVE, "exclude_editorial_use_only=true").is_ok());
        assert!(verdict(None, "exclude_editorial_use_only=true").is_err());
        assert!(verdict(
            EDITORIAL,
            "date_from=2024-01-01&editorial_segments=news,sport"
        )
        .is_ok());
        assert!(verdict(CREATIVE, "date_from=2024-01-01").is_err());
        assert!(verdict(None, "made_up=1").is_err());
    }

    #[test]
    fn values_must_be_known_to_the_endpoint() {
        assert!(verdict(EDITORIAL, "sort_order=oldest").is_ok());
        assert!(verdict(CREATIVE, "sort_order=oldest").is_err());
        assert!(verdict(None, "sort_order=oldest").is_err());
        assert!(verdict(CREATIVE, "graphical_styles=fine_art,vector").is_ok());
        let error = verdict(EDITORIAL, "graphical_styles=photography,fine_art");
        assert!(error
            .as_ref()
            .is_err_and(|e| e.contains("fine_art") && e.contains("graphical_styles")));
        assert!(verdict(
            None,
            "orientations=horizontal,square&number_of_people=group"
        )
        .is_ok());
        assert!(verdict(None, "orientations=diagonal").is_err());
        assert!(verdict(None, "number_of_people=three").is_err());
        assert!(verdict(CREATIVE, "safe_search=yes").is_err());
        assert!(verdict(None, "page=0").is_err());
        assert!(verdict(None, "page_size=101").is_err());
        assert!(verdict(None, "page_size=100&page=3").is_ok());
        assert!(verdict(None, "keyword_ids=1,x").is_err());
        assert!(verdict(EDITORIAL, "date_to=yesterday").is_err());
        // Getty's file makes pages and ids int32s, and dates real dates.
        assert!(verdict(None, "page=2147483647").is_ok());
        assert!(verdict(None, "page=2147483648").is_err());
        assert!(verdict(None, "keyword_ids=-2147483648,2147483647").is_ok());
        assert!(verdict(None, "keyword_ids=2147483648").is_err());
        assert!(verdict(CREATIVE, "facet_max_count=2147483648").is_err());
        assert!(verdict(EDITORIAL, "date_from=2024-02-29T10:00:00Z").is_ok());
        assert!(verdict(EDITORIAL, "date_from=2023-02-29").is_err());
        assert!(verdict(EDITORIAL, "date_to=2024-01-01junk").is_err());
        // Empty values count as absent.
        assert!(verdict(None, "sort_order=&page=").is_ok());
    }

    #[test]
    fn fields_are_checked_per_endpoint() {
        let widget = "id,title,caption,artist,collection_name,copyright,asset_family,allowed_use,\
                      max_dimensions,largest_downloads,thumb,preview,comp";
        for family in [None, CREATIVE, EDITORIAL] {
            let query = format!("fields={widget}");
            assert!(verdict(family, &query).is_ok(), "{family:?}");
            assert!(verdict(family, "fields=id,display_sizes").is_err());
        }
        assert!(verdict(None, "fields=people").is_ok());
        assert!(verdict(CREATIVE, "fields=people").is_err());
        assert!(verdict(EDITORIAL, "fields=istock_collection").is_err());
        let query = pairs("fields=thumb,largest_downloads&page=2");
        let parsed = search_params(None, &query);
        assert!(parsed.is_ok_and(|p| p.page == 2 && p.fields.thumb && !p.fields.title));
    }
}
