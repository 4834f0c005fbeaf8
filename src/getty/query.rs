//! Building the URLs of Getty's search and download calls.

use super::url::{encode_component, with_query};

/// The fields every search asks for besides the display sizes: what cards, the details panel and
/// the host's events show (credit, restrictions, date), and `largest_downloads`, which makes
/// downloads possible. A macro so that the lists below are built at compile time.
macro_rules! card_fields {
    () => {
        "id,title,caption,artist,collection_name,copyright,asset_family,allowed_use,\
         max_dimensions,date_created,largest_downloads"
    };
}

/// The fields a search asks for with every display size.
pub const FIELDS: &str = concat!(card_fields!(), ",thumb,preview,comp");

/// The fields a search asks for once Getty refused the key the larger display sizes.
pub const THUMB_ONLY_FIELDS: &str = concat!(card_fields!(), ",thumb");

/// The fields one image's details ask for (`GET /v3/images/{id}`): a search's, and Getty's own
/// credit line, which only that endpoint gives.
pub const DETAIL_FIELDS: &str = concat!(card_fields!(), ",credit_line,thumb,preview,comp");

/// [`DETAIL_FIELDS`] once Getty refused the key the larger display sizes.
pub const THUMB_ONLY_DETAIL_FIELDS: &str = concat!(card_fields!(), ",credit_line,thumb");

/// Which display sizes a search asks Getty for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DisplaySizes {
    /// `thumb`, `preview` and `comp`.
    #[default]
    All,
    /// `thumb` only: some keys may not use `preview` and `comp` (403 `UnauthorizedDisplaySize`).
    ThumbOnly,
}

impl DisplaySizes {
    /// The `fields` value that asks for these sizes.
    pub fn fields(self) -> &'static str {
        match self {
            Self::All => FIELDS,
            Self::ThumbOnly => THUMB_ONLY_FIELDS,
        }
    }

    /// The `fields` value of one image's details with these sizes.
    pub fn detail_fields(self) -> &'static str {
        match self {
            Self::All => DETAIL_FIELDS,
            Self::ThumbOnly => THUMB_ONLY_DETAIL_FIELDS,
        }
    }
}

/// The URL of image `id`'s details (`GET /v3/images/{id}`), asking for `sizes`.
pub fn image_url(api_base: &str, id: &str, sizes: DisplaySizes) -> String {
    let endpoint = format!(
        "{}/v3/images/{}",
        api_base.trim_end_matches('/'),
        encode_component(id)
    );
    with_query(&endpoint, &[("fields", sizes.detail_fields())])
}

/// An image's neighbours, each an endpoint of its own that answers like a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neighbours {
    /// Images like it (`/v3/images/{id}/similar`).
    Similar,
    /// Images of the same shoot (`/v3/images/{id}/same-series`): creative images only.
    SameSeries,
}

impl Neighbours {
    /// Both kinds, in the order the details panel shows them.
    pub const ALL: [Neighbours; 2] = [Self::Similar, Self::SameSeries];

    /// The endpoint's last path segment.
    fn segment(self) -> &'static str {
        match self {
            Self::Similar => "similar",
            Self::SameSeries => "same-series",
        }
    }

    /// Whether Getty has these neighbours for an image of `family` (`asset_family`): a series
    /// is a creative shoot, and Getty does not answer it for editorial images.
    pub fn applies_to(self, family: Option<&str>) -> bool {
        match self {
            Self::Similar => true,
            Self::SameSeries => family.is_some_and(|family| family == "creative"),
        }
    }

    /// The first page of `page_size` neighbours of image `id`, asking for `sizes`.
    pub fn url(self, api_base: &str, id: &str, sizes: DisplaySizes, page_size: u32) -> String {
        let endpoint = format!(
            "{}/v3/images/{}/{}",
            api_base.trim_end_matches('/'),
            encode_component(id),
            self.segment()
        );
        let page_size = page_size.clamp(1, MAX_PAGE_SIZE).to_string();
        with_query(
            &endpoint,
            &[
                ("page", "1"),
                ("page_size", &page_size),
                ("fields", sizes.fields()),
            ],
        )
    }
}

/// Getty's largest page size.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Getty's default page size, also the picker's.
pub const DEFAULT_PAGE_SIZE: u32 = 30;

/// Which of Getty's collections to search; each has its own endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssetFamily {
    /// Creative and editorial (`/v3/search/images`).
    #[default]
    All,
    /// Creative only (`/v3/search/images/creative`).
    Creative,
    /// Editorial only (`/v3/search/images/editorial`).
    Editorial,
}

impl AssetFamily {
    /// Every family, in the order the picker offers them.
    pub const ALL: [AssetFamily; 3] = [Self::All, Self::Creative, Self::Editorial];

    /// The value used in options and data attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Creative => "creative",
            Self::Editorial => "editorial",
        }
    }

    /// Reads an option value (`all`, `both`, `creative`, `editorial`).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "all" | "both" | "" => Some(Self::All),
            "creative" => Some(Self::Creative),
            "editorial" => Some(Self::Editorial),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::All => "/v3/search/images",
            Self::Creative => "/v3/search/images/creative",
            Self::Editorial => "/v3/search/images/editorial",
        }
    }
}

/// A single-choice search filter and the values Getty accepts for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterKind {
    /// `sort_order`.
    SortOrder,
    /// `orientations`.
    Orientation,
    /// `number_of_people`.
    NumberOfPeople,
    /// `graphical_styles`.
    GraphicalStyle,
}

impl FilterKind {
    /// Every filter, in the order the picker shows them.
    pub const ALL: [FilterKind; 4] = [
        Self::SortOrder,
        Self::Orientation,
        Self::NumberOfPeople,
        Self::GraphicalStyle,
    ];

    /// Getty's query parameter.
    pub fn param(self) -> &'static str {
        match self {
            Self::SortOrder => "sort_order",
            Self::Orientation => "orientations",
            Self::NumberOfPeople => "number_of_people",
            Self::GraphicalStyle => "graphical_styles",
        }
    }

    /// The data attribute a host sets the default with.
    pub fn attribute(self) -> &'static str {
        match self {
            Self::SortOrder => "data-sort-order",
            Self::Orientation => "data-orientation",
            Self::NumberOfPeople => "data-number-of-people",
            Self::GraphicalStyle => "data-graphical-style",
        }
    }

    /// The values `family`'s endpoint accepts, from the enums of Getty's OpenAPI file: only
    /// editorial sorts by `oldest` (`SortOrder` against `CreativeImageSortOrder` and
    /// `BlendedImageSortOrder`), and editorial has no `fine_art` (`EditorialGraphicalStyle`).
    pub fn values(self, family: AssetFamily) -> &'static [&'static str] {
        const STYLES: [&str; 4] = ["photography", "illustration", "vector", "fine_art"];
        let editorial = family == AssetFamily::Editorial;
        match self {
            Self::SortOrder if editorial => {
                &["best_match", "most_popular", "newest", "oldest", "random"]
            }
            Self::SortOrder => &["best_match", "most_popular", "newest", "random"],
            Self::Orientation => &[
                "horizontal",
                "vertical",
                "square",
                "panoramic_horizontal",
                "panoramic_vertical",
            ],
            Self::NumberOfPeople => &["none", "one", "two", "group"],
            Self::GraphicalStyle if editorial => &STYLES[..3],
            Self::GraphicalStyle => &STYLES,
        }
    }

    /// `value` as one of this filter's known values for any family, if it is one (a value of
    /// another family is kept for when the editor switches to it).
    pub fn parse(self, value: &str) -> Option<&'static str> {
        let value = value.trim().to_ascii_lowercase();
        AssetFamily::ALL
            .into_iter()
            .flat_map(|family| self.values(family).iter().copied())
            .find(|known| *known == value)
    }
}

/// An on/off search filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggle {
    /// `exclude_nudity=true`.
    ExcludeNudity,
    /// `safe_search=true`.
    SafeSearch,
}

impl Toggle {
    /// Every toggle, in the order the picker shows them.
    pub const ALL: [Toggle; 2] = [Self::ExcludeNudity, Self::SafeSearch];

    /// Getty's query parameter.
    pub fn param(self) -> &'static str {
        match self {
            Self::ExcludeNudity => "exclude_nudity",
            Self::SafeSearch => "safe_search",
        }
    }

    /// Whether `family`'s endpoint takes this parameter: the editorial endpoint takes neither,
    /// and only the creative one takes `safe_search` (Getty answers others with a 400).
    pub fn applies_to(self, family: AssetFamily) -> bool {
        match self {
            Self::ExcludeNudity => family != AssetFamily::Editorial,
            Self::SafeSearch => family == AssetFamily::Creative,
        }
    }
}

/// What narrows a search besides the phrase. It keeps every choice the editor made; what a
/// search sends is the part that applies to the chosen family, so switching to a family that
/// ignores a choice and back loses nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    /// Which collection to search.
    pub family: AssetFamily,
    /// Chosen value per single-choice filter; absent means Getty's default.
    pub choices: Vec<(FilterKind, &'static str)>,
    /// Whether [`Toggle::ExcludeNudity`] is on.
    pub exclude_nudity: bool,
    /// Whether [`Toggle::SafeSearch`] is on.
    pub safe_search: bool,
}

impl Filters {
    /// The chosen value of `kind`, if any.
    pub fn get(&self, kind: FilterKind) -> Option<&'static str> {
        self.choices
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, value)| *value)
    }

    /// Sets or clears `kind`; an unknown value clears it.
    pub fn set(&mut self, kind: FilterKind, value: Option<&str>) {
        self.choices.retain(|(k, _)| *k != kind);
        if let Some(value) = value.and_then(|value| kind.parse(value)) {
            // Kept in display order by inserting in place: a sort would add a sorting
            // routine to the bundle for lists of at most four entries.
            let rank = |k: &FilterKind| FilterKind::ALL.iter().position(|all| all == k);
            let at = self
                .choices
                .iter()
                .position(|(k, _)| rank(k) > rank(&kind))
                .unwrap_or(self.choices.len());
            self.choices.insert(at, (kind, value));
        }
    }

    /// Whether the editor turned `toggle` on (whether or not the family takes it).
    pub fn is_on(&self, toggle: Toggle) -> bool {
        match toggle {
            Toggle::ExcludeNudity => self.exclude_nudity,
            Toggle::SafeSearch => self.safe_search,
        }
    }

    /// Turns `toggle` on or off.
    pub fn turn(&mut self, toggle: Toggle, on: bool) {
        match toggle {
            Toggle::ExcludeNudity => self.exclude_nudity = on,
            Toggle::SafeSearch => self.safe_search = on,
        }
    }

    /// The value of `kind` Getty will apply for the current family, if any.
    pub fn active_value(&self, kind: FilterKind) -> Option<&'static str> {
        self.active()
            .find(|(active, _)| *active == kind)
            .map(|(_, value)| value)
    }

    /// The choices Getty will apply for the current family, in display order.
    pub fn active(&self) -> impl Iterator<Item = (FilterKind, &'static str)> + '_ {
        self.choices
            .iter()
            .copied()
            .filter(|(kind, value)| kind.values(self.family).contains(value))
    }

    /// The toggles that are on and that Getty will apply for the current family.
    pub fn active_toggles(&self) -> impl Iterator<Item = Toggle> + '_ {
        Toggle::ALL
            .into_iter()
            .filter(|toggle| self.is_on(*toggle) && toggle.applies_to(self.family))
    }

    /// The query parameters of the filters that apply to the current family: never one its
    /// endpoint does not take.
    pub fn params(&self) -> Vec<(&'static str, &'static str)> {
        self.active()
            .map(|(kind, value)| (kind.param(), value))
            .chain(self.active_toggles().map(|toggle| (toggle.param(), "true")))
            .collect()
    }
}

/// One page of one search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The editor's phrase, as typed (trimmed).
    pub phrase: String,
    /// What narrows the search.
    pub filters: Filters,
    /// 1-based page number.
    pub page: u32,
    /// Images per page, 1 to [`MAX_PAGE_SIZE`].
    pub page_size: u32,
}

impl SearchQuery {
    /// The first page of a search for `phrase`, or `None` if the phrase is blank.
    pub fn first_page(phrase: &str, filters: Filters, page_size: u32) -> Option<Self> {
        let phrase = phrase.trim();
        (!phrase.is_empty()).then(|| Self {
            phrase: phrase.to_owned(),
            filters,
            page: 1,
            page_size: page_size.clamp(1, MAX_PAGE_SIZE),
        })
    }

    /// The page after this one.
    pub fn next_page(&self) -> Self {
        Self {
            page: self.page.saturating_add(1),
            ..self.clone()
        }
    }

    /// The search URL under `api_base` (e.g. `https://api.gettyimages.com`), asking for
    /// `sizes`.
    pub fn url(&self, api_base: &str, sizes: DisplaySizes) -> String {
        let endpoint = format!(
            "{}{}",
            api_base.trim_end_matches('/'),
            self.filters.family.path()
        );
        let page = self.page.max(1).to_string();
        let page_size = self.page_size.clamp(1, MAX_PAGE_SIZE).to_string();
        let mut params = vec![
            ("phrase", self.phrase.as_str()),
            ("page", &page),
            ("page_size", &page_size),
            ("fields", sizes.fields()),
        ];
        params.extend(self.filters.params());
        with_query(&endpoint, &params)
    }
}

/// The POST URL that asks for a delivery link (never a redirect), charged to one product type
/// and, when known, one product of it (an account may have two agreements of one type).
pub fn download_url(download_uri: &str, product_type: &str, product_id: Option<&str>) -> String {
    let mut params = vec![("auto_download", "false"), ("product_type", product_type)];
    if let Some(product_id) = product_id {
        params.push(("product_id", product_id));
    }
    with_query(download_uri, &params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(phrase: &str) -> SearchQuery {
        SearchQuery::first_page(phrase, Filters::default(), DEFAULT_PAGE_SIZE).expect("a phrase")
    }

    #[test]
    fn blank_phrases_do_not_search() {
        assert_eq!(SearchQuery::first_page("   ", Filters::default(), 30), None);
        assert_eq!(SearchQuery::first_page("", Filters::default(), 30), None);
        let query = query("  kitties ");
        assert_eq!(query.phrase, "kitties");
        assert_eq!((query.page, query.page_size), (1, DEFAULT_PAGE_SIZE));
    }

    #[test]
    fn search_url() {
        let query = SearchQuery {
            phrase: "red cats & dogs".into(),
            filters: Filters::default(),
            page: 2,
            page_size: 500,
        };
        assert_eq!(
            query.url("https://api.gettyimages.com/", DisplaySizes::All),
            "https://api.gettyimages.com/v3/search/images?phrase=red%20cats%20%26%20dogs\
             &page=2&page_size=100&fields=id%2Ctitle%2Ccaption%2Cartist%2Ccollection_name\
             %2Ccopyright%2Casset_family%2Callowed_use%2Cmax_dimensions%2Cdate_created\
             %2Clargest_downloads%2Cthumb%2Cpreview%2Ccomp"
        );
    }

    #[test]
    fn thumb_only_searches_ask_for_no_larger_size() {
        let url = query("x").url("http://a", DisplaySizes::ThumbOnly);
        let fields = url
            .split("&fields=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .expect("a fields parameter")
            .replace("%2C", ",");
        let fields: Vec<&str> = fields.split(',').collect();
        assert!(fields.contains(&"thumb"), "{fields:?}");
        assert!(!fields.contains(&"preview") && !fields.contains(&"comp"));
        // Everything else cards need is still asked for.
        for wanted in [
            "id",
            "title",
            "allowed_use",
            "copyright",
            "largest_downloads",
        ] {
            assert!(fields.contains(&wanted), "{wanted} in {fields:?}");
        }
        assert_eq!(
            FIELDS,
            format!("{THUMB_ONLY_FIELDS},preview,comp"),
            "the two lists differ by the larger sizes only"
        );
    }

    #[test]
    fn an_images_details_and_its_neighbours_have_their_urls() {
        assert_eq!(
            image_url(
                "https://api.gettyimages.com/",
                "83454804",
                DisplaySizes::ThumbOnly
            ),
            "https://api.gettyimages.com/v3/images/83454804?fields=id%2Ctitle%2Ccaption%2Cartist\
             %2Ccollection_name%2Ccopyright%2Casset_family%2Callowed_use%2Cmax_dimensions\
             %2Cdate_created%2Clargest_downloads%2Ccredit_line%2Cthumb"
        );
        assert!(image_url("http://a", "a/b", DisplaySizes::All)
            .starts_with("http://a/v3/images/a%2Fb?"));
        let similar = Neighbours::Similar.url("http://a", "7", DisplaySizes::All, 500);
        assert!(
            similar.starts_with("http://a/v3/images/7/similar?page=1&page_size=100&fields=id%2C"),
            "{similar}"
        );
        assert!(similar.ends_with("%2Cthumb%2Cpreview%2Ccomp"), "{similar}");
        let series = Neighbours::SameSeries.url("http://a", "7", DisplaySizes::ThumbOnly, 12);
        assert!(series.starts_with("http://a/v3/images/7/same-series?page=1&page_size=12&"));
        // Getty's similar/same-series take the search's fields, not `credit_line`.
        assert!(!series.contains("credit_line"));
        assert!(Neighbours::Similar.applies_to(None));
        assert!(Neighbours::SameSeries.applies_to(Some("creative")));
        assert!(!Neighbours::SameSeries.applies_to(Some("editorial")));
        assert!(!Neighbours::SameSeries.applies_to(None));
    }

    #[test]
    fn page_size_is_clamped_and_pages_advance() {
        let query = SearchQuery::first_page("x", Filters::default(), 0).expect("a phrase");
        assert_eq!(query.page_size, 1);
        let next = query.next_page();
        assert_eq!((next.page, next.phrase.as_str()), (2, "x"));
        assert!(next
            .url("http://a", DisplaySizes::All)
            .contains("&page=2&page_size=1&"));
    }

    #[test]
    fn families_have_their_endpoints() {
        let mut filters = Filters::default();
        for (family, path) in [
            (AssetFamily::All, "/v3/search/images?"),
            (AssetFamily::Creative, "/v3/search/images/creative?"),
            (AssetFamily::Editorial, "/v3/search/images/editorial?"),
        ] {
            filters.family = family;
            let query = SearchQuery::first_page("x", filters.clone(), 30).expect("a phrase");
            assert!(query
                .url("http://a", DisplaySizes::All)
                .starts_with(&format!("http://a{path}")));
        }
        assert_eq!(AssetFamily::parse("Both"), Some(AssetFamily::All));
        assert_eq!(
            AssetFamily::parse("editorial"),
            Some(AssetFamily::Editorial)
        );
        assert_eq!(AssetFamily::parse("stock"), None);
    }

    #[test]
    fn filters_become_parameters() {
        let mut filters = Filters {
            family: AssetFamily::Creative,
            exclude_nudity: true,
            safe_search: true,
            ..Filters::default()
        };
        filters.set(FilterKind::Orientation, Some("Vertical"));
        filters.set(FilterKind::GraphicalStyle, Some("fine_art"));
        filters.set(FilterKind::SortOrder, Some("newest"));
        filters.set(FilterKind::NumberOfPeople, Some("crowd"));
        let url = SearchQuery::first_page("x", filters.clone(), 30)
            .expect("a phrase")
            .url("http://a", DisplaySizes::All);
        assert!(
            url.ends_with(
                "&sort_order=newest&orientations=vertical&graphical_styles=fine_art\
                 &exclude_nudity=true&safe_search=true"
            ),
            "{url}"
        );
        assert_eq!(filters.get(FilterKind::NumberOfPeople), None);

        // Editorial has no `fine_art`, no nudity filter and no safe search, but `oldest`.
        filters.family = AssetFamily::Editorial;
        filters.set(FilterKind::SortOrder, Some("oldest"));
        assert_eq!(
            filters.params(),
            [("sort_order", "oldest"), ("orientations", "vertical")]
        );
        assert_eq!(filters.active_toggles().count(), 0);
        assert_eq!(filters.active_value(FilterKind::GraphicalStyle), None);
        filters.set(FilterKind::GraphicalStyle, Some("vector"));
        assert_eq!(
            filters.active_value(FilterKind::GraphicalStyle),
            Some("vector")
        );
        filters.set(FilterKind::GraphicalStyle, Some("fine_art"));

        // All families: nudity yes, safe search no, `oldest` no.
        filters.family = AssetFamily::All;
        assert_eq!(
            filters.params(),
            [
                ("orientations", "vertical"),
                ("graphical_styles", "fine_art"),
                ("exclude_nudity", "true")
            ]
        );

        // Back to creative: every choice the editor made applies again, nothing was lost.
        filters.family = AssetFamily::Creative;
        assert!(!filters.active().any(|(_, value)| value == "oldest"));
        assert_eq!(filters.get(FilterKind::SortOrder), Some("oldest"));
        assert_eq!(filters.active_value(FilterKind::SortOrder), None);
        assert_eq!(
            filters.active_toggles().collect::<Vec<_>>(),
            [Toggle::ExcludeNudity, Toggle::SafeSearch]
        );
        filters.turn(Toggle::SafeSearch, false);
        assert!(!filters.is_on(Toggle::SafeSearch) && filters.is_on(Toggle::ExcludeNudity));
        filters.set(FilterKind::Orientation, None);
        assert_eq!(filters.get(FilterKind::Orientation), None);
    }

    /// What each endpoint takes, per Getty's OpenAPI file (`/v3/search/images`,
    /// `/v3/search/images/creative`, `/v3/search/images/editorial`): the parameters the picker
    /// may send and each one's enum.
    fn accepted(family: AssetFamily, param: &str) -> Option<&'static [&'static str]> {
        const BLENDED_SORT: &[&str] = &["best_match", "most_popular", "newest", "random"];
        const EDITORIAL_SORT: &[&str] =
            &["best_match", "most_popular", "newest", "oldest", "random"];
        const STYLES: &[&str] = &["fine_art", "illustration", "photography", "vector"];
        const EDITORIAL_STYLES: &[&str] = &["photography", "illustration", "vector"];
        const ORIENTATIONS: &[&str] = &[
            "horizontal",
            "vertical",
            "square",
            "panoramic_horizontal",
            "panoramic_vertical",
        ];
        const PEOPLE: &[&str] = &["none", "one", "two", "group"];
        const BOOLEAN: &[&str] = &["true", "false"];
        use AssetFamily::{All, Creative, Editorial};
        Some(match (family, param) {
            (Editorial, "sort_order") => EDITORIAL_SORT,
            (All | Creative, "sort_order") => BLENDED_SORT,
            (Editorial, "graphical_styles") => EDITORIAL_STYLES,
            (All | Creative, "graphical_styles") => STYLES,
            (_, "orientations") => ORIENTATIONS,
            (_, "number_of_people") => PEOPLE,
            (All | Creative, "exclude_nudity") => BOOLEAN,
            (Creative, "safe_search") => BOOLEAN,
            _ => return None,
        })
    }

    #[test]
    fn every_family_gets_only_the_parameters_and_values_its_endpoint_takes() {
        // Every value of every filter, each toggle on, in every family.
        for family in AssetFamily::ALL {
            for kind in FilterKind::ALL {
                let all_values = AssetFamily::ALL
                    .into_iter()
                    .flat_map(|family| kind.values(family).iter().copied());
                for value in all_values {
                    let mut filters = Filters {
                        family,
                        exclude_nudity: true,
                        safe_search: true,
                        ..Filters::default()
                    };
                    filters.set(kind, Some(value));
                    assert_eq!(filters.get(kind), Some(value), "{kind:?} keeps {value}");
                    let params = filters.params();
                    for (param, sent) in &params {
                        let takes = accepted(family, param)
                            .unwrap_or_else(|| panic!("{family:?} does not take {param}"));
                        assert!(takes.contains(sent), "{family:?}: {param}={sent}");
                    }
                    // What applies is sent: nothing the endpoint takes is dropped.
                    let takes_value =
                        accepted(family, kind.param()).is_some_and(|ok| ok.contains(&value));
                    assert_eq!(
                        params.contains(&(kind.param(), value)),
                        takes_value,
                        "{family:?}: {}={value}",
                        kind.param()
                    );
                    for toggle in Toggle::ALL {
                        assert_eq!(
                            params.contains(&(toggle.param(), "true")),
                            accepted(family, toggle.param()).is_some(),
                            "{family:?}: {toggle:?}"
                        );
                    }
                }
            }
            // Each family offers every value its endpoint takes.
            for kind in FilterKind::ALL {
                let mut offered = kind.values(family).to_vec();
                let mut takes = accepted(family, kind.param()).expect("taken").to_vec();
                offered.sort_unstable();
                takes.sort_unstable();
                assert_eq!(offered, takes, "{family:?}: {kind:?}");
            }
        }
        assert_eq!(
            FilterKind::GraphicalStyle.parse(" Fine_Art"),
            Some("fine_art")
        );
        assert_eq!(FilterKind::SortOrder.parse("oldest"), Some("oldest"));
        assert_eq!(FilterKind::SortOrder.parse("cheapest"), None);
    }

    #[test]
    fn download_url_never_auto_downloads() {
        assert_eq!(
            download_url(
                "https://api.gettyimages.com/v3/downloads/images/83454804",
                "easyaccess",
                None
            ),
            "https://api.gettyimages.com/v3/downloads/images/83454804?auto_download=false&product_type=easyaccess"
        );
        assert_eq!(
            download_url("https://a/v3/downloads/images/1?x=1", "image pack", None),
            "https://a/v3/downloads/images/1?x=1&auto_download=false&product_type=image%20pack"
        );
        assert_eq!(
            download_url("https://a/v3/downloads/images/1", "premiumaccess", Some("1002")),
            "https://a/v3/downloads/images/1?auto_download=false&product_type=premiumaccess&product_id=1002"
        );
    }
}
