//! Building the URLs of Getty's search and download calls.

use super::url::with_query;

/// The fields a result card needs; `largest_downloads` is what makes downloads possible.
pub const CARD_FIELDS: &str =
    "id,title,caption,artist,collection_name,asset_family,thumb,largest_downloads";

/// Getty's largest page size.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Getty's default page size, also the picker's.
pub const DEFAULT_PAGE_SIZE: u32 = 30;

/// One page of one search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The editor's phrase, as typed (trimmed).
    pub phrase: String,
    /// 1-based page number.
    pub page: u32,
    /// Images per page, 1 to [`MAX_PAGE_SIZE`].
    pub page_size: u32,
}

impl SearchQuery {
    /// The first page of a search for `phrase`, or `None` if the phrase is blank.
    pub fn first_page(phrase: &str) -> Option<Self> {
        let phrase = phrase.trim();
        (!phrase.is_empty()).then(|| Self {
            phrase: phrase.to_owned(),
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
        })
    }

    /// The search URL under `api_base` (e.g. `https://api.gettyimages.com`).
    pub fn url(&self, api_base: &str) -> String {
        let endpoint = format!("{}/v3/search/images", api_base.trim_end_matches('/'));
        let page = self.page.max(1).to_string();
        let page_size = self.page_size.clamp(1, MAX_PAGE_SIZE).to_string();
        with_query(
            &endpoint,
            &[
                ("phrase", &self.phrase),
                ("page", &page),
                ("page_size", &page_size),
                ("fields", CARD_FIELDS),
            ],
        )
    }
}

/// The POST URL that asks for a delivery link (never a redirect) for one product type.
pub fn download_url(download_uri: &str, product_type: &str) -> String {
    with_query(
        download_uri,
        &[("auto_download", "false"), ("product_type", product_type)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_phrases_do_not_search() {
        assert_eq!(SearchQuery::first_page("   "), None);
        assert_eq!(SearchQuery::first_page(""), None);
        let query = SearchQuery::first_page("  kitties ").expect("a phrase");
        assert_eq!(query.phrase, "kitties");
        assert_eq!((query.page, query.page_size), (1, DEFAULT_PAGE_SIZE));
    }

    #[test]
    fn search_url() {
        let query = SearchQuery {
            phrase: "red cats & dogs".into(),
            page: 2,
            page_size: 500,
        };
        assert_eq!(
            query.url("https://api.gettyimages.com/"),
            "https://api.gettyimages.com/v3/search/images?phrase=red%20cats%20%26%20dogs\
             &page=2&page_size=100&fields=id%2Ctitle%2Ccaption%2Cartist%2Ccollection_name\
             %2Casset_family%2Cthumb%2Clargest_downloads"
        );
    }

    #[test]
    fn search_url_requests_largest_downloads() {
        let url = SearchQuery::first_page("x")
            .expect("a phrase")
            .url("http://127.0.0.1:1");
        assert!(url.starts_with(
            "http://127.0.0.1:1/v3/search/images?phrase=x&page=1&page_size=30&fields="
        ));
        assert!(url.contains("largest_downloads"));
    }

    #[test]
    fn download_url_never_auto_downloads() {
        assert_eq!(
            download_url("https://api.gettyimages.com/v3/downloads/images/83454804", "easyaccess"),
            "https://api.gettyimages.com/v3/downloads/images/83454804?auto_download=false&product_type=easyaccess"
        );
        assert_eq!(
            download_url("https://a/v3/downloads/images/1?x=1", "image pack"),
            "https://a/v3/downloads/images/1?x=1&auto_download=false&product_type=image%20pack"
        );
    }
}
