//! Building the URLs of Getty's search and download calls.

use super::url::with_query;

/// The fields cards and the preview need; `largest_downloads` is what makes downloads possible,
/// `allowed_use` and `copyright` what the editor and the CMS must know before using an image.
pub const FIELDS: &str = "id,title,caption,artist,collection_name,copyright,asset_family,\
                          allowed_use,max_dimensions,thumb,preview,comp,largest_downloads";

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
    /// `graphical_styles`; creative only.
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

    /// The values Getty accepts, for `family` (editorial also sorts by `oldest`).
    pub fn values(self, family: AssetFamily) -> &'static [&'static str] {
        match self {
            Self::SortOrder if family == AssetFamily::Editorial => {
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
            Self::GraphicalStyle => &["photography", "illustration", "vector", "fine_art"],
        }
    }

    /// Whether Getty accepts this filter when searching `family`.
    pub fn applies_to(self, family: AssetFamily) -> bool {
        self != Self::GraphicalStyle || family == AssetFamily::Creative
    }

    /// `value` as one of this filter's known values, if it is one.
    pub fn parse(self, value: &str) -> Option<&'static str> {
        let value = value.trim().to_ascii_lowercase();
        // `oldest` is only valid for editorial but parsing doesn't know the family yet.
        self.values(AssetFamily::Editorial)
            .iter()
            .copied()
            .find(|known| *known == value)
    }
}

/// What narrows a search besides the phrase.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    /// Which collection to search.
    pub family: AssetFamily,
    /// Chosen value per single-choice filter; absent means Getty's default.
    pub choices: Vec<(FilterKind, &'static str)>,
    /// `exclude_nudity=true`.
    pub exclude_nudity: bool,
    /// `safe_search=true`.
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

    /// The value of `kind` Getty will apply for the current family, if any.
    pub fn active_value(&self, kind: FilterKind) -> Option<&'static str> {
        self.active()
            .find(|(active, _)| *active == kind)
            .map(|(_, value)| value)
    }

    /// The filters Getty will apply for the current family, in display order.
    pub fn active(&self) -> impl Iterator<Item = (FilterKind, &'static str)> + '_ {
        self.choices.iter().copied().filter(|(kind, value)| {
            kind.applies_to(self.family) && kind.values(self.family).contains(value)
        })
    }

    fn params(&self) -> Vec<(&'static str, &'static str)> {
        let mut params: Vec<_> = self
            .active()
            .map(|(kind, value)| (kind.param(), value))
            .collect();
        if self.exclude_nudity {
            params.push(("exclude_nudity", "true"));
        }
        if self.safe_search {
            params.push(("safe_search", "true"));
        }
        params
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

    /// The search URL under `api_base` (e.g. `https://api.gettyimages.com`).
    pub fn url(&self, api_base: &str) -> String {
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
            ("fields", FIELDS),
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
            query.url("https://api.gettyimages.com/"),
            "https://api.gettyimages.com/v3/search/images?phrase=red%20cats%20%26%20dogs\
             &page=2&page_size=100&fields=id%2Ctitle%2Ccaption%2Cartist%2Ccollection_name\
             %2Ccopyright%2Casset_family%2Callowed_use%2Cmax_dimensions%2Cthumb%2Cpreview%2Ccomp%2Clargest_downloads"
        );
    }

    #[test]
    fn page_size_is_clamped_and_pages_advance() {
        let query = SearchQuery::first_page("x", Filters::default(), 0).expect("a phrase");
        assert_eq!(query.page_size, 1);
        let next = query.next_page();
        assert_eq!((next.page, next.phrase.as_str()), (2, "x"));
        assert!(next.url("http://a").contains("&page=2&page_size=1&"));
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
                .url("http://a")
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
        filters.set(FilterKind::GraphicalStyle, Some("vector"));
        filters.set(FilterKind::SortOrder, Some("newest"));
        filters.set(FilterKind::NumberOfPeople, Some("crowd"));
        let url = SearchQuery::first_page("x", filters.clone(), 30)
            .expect("a phrase")
            .url("http://a");
        assert!(
            url.ends_with(
                "&sort_order=newest&orientations=vertical&graphical_styles=vector\
                 &exclude_nudity=true&safe_search=true"
            ),
            "{url}"
        );
        assert_eq!(filters.get(FilterKind::NumberOfPeople), None);

        // Graphical style is creative-only; `oldest` is editorial-only.
        filters.family = AssetFamily::Editorial;
        filters.set(FilterKind::SortOrder, Some("oldest"));
        let active: Vec<_> = filters.active().collect();
        assert_eq!(
            active,
            [
                (FilterKind::SortOrder, "oldest"),
                (FilterKind::Orientation, "vertical")
            ]
        );
        assert_eq!(filters.active_value(FilterKind::SortOrder), Some("oldest"));
        filters.family = AssetFamily::Creative;
        assert!(!filters.active().any(|(_, value)| value == "oldest"));
        // Kept for a switch back to editorial, but not what a creative search applies.
        assert_eq!(filters.get(FilterKind::SortOrder), Some("oldest"));
        assert_eq!(filters.active_value(FilterKind::SortOrder), None);
        filters.set(FilterKind::Orientation, None);
        assert_eq!(filters.get(FilterKind::Orientation), None);
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
