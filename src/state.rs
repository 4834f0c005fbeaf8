//! The search state machine, free of the DOM: pages loaded so far, what the status line says,
//! and whether there is more to load.

use std::sync::Arc;

use crate::getty::{Image, SearchPage, SearchQuery};
use crate::i18n::{fill, Strings};

/// Where the current search stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SearchState {
    /// Nothing searched yet.
    #[default]
    Idle,
    /// The first page of a search for `phrase` is on its way.
    Loading {
        /// The phrase searched for.
        phrase: String,
    },
    /// At least one page arrived.
    Loaded(Results),
    /// The first page failed; the message is fit to show.
    Failed {
        /// The phrase searched for, so the editor can retry it.
        phrase: String,
        /// What went wrong.
        message: String,
    },
}

/// The pages of one search loaded so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The query of the last page loaded; the next page follows it.
    pub query: SearchQuery,
    /// Getty's total, if it gave one.
    pub total: Option<u64>,
    /// The images to show, each id once, in arrival order; shared with the cards showing them.
    pub images: Vec<Arc<Image>>,
    /// Entries Getty sent, readable or not, repeated or not: what paging has consumed.
    received: u64,
    /// Entries that could not be read or repeated an image already shown.
    pub skipped: usize,
    /// Ids shown so far, sorted; Getty's pages can overlap. (A sorted list rather than a hash
    /// set: a few thousand ids at most, and no hasher to ship in the bundle.)
    seen: Vec<String>,
    /// Whether the last page was full, i.e. Getty may have more.
    last_page_full: bool,
    /// The state of the next page.
    pub more: More,
}

/// The next page's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum More {
    /// Not requested.
    #[default]
    Idle,
    /// On its way.
    Loading,
    /// Failed; what is loaded stays and the page can be retried.
    Failed(String),
}

impl Results {
    /// Results holding the first page.
    pub fn new(query: SearchQuery, page: SearchPage) -> Self {
        let mut results = Self {
            total: page.result_count,
            query: query.clone(),
            images: Vec::new(),
            received: 0,
            skipped: 0,
            seen: Vec::new(),
            last_page_full: false,
            more: More::Idle,
        };
        results.append(query, page);
        results
    }

    /// Adds the page `query` fetched, dropping images already shown.
    pub fn append(&mut self, query: SearchQuery, page: SearchPage) {
        let entries = page.images.items.len() + page.images.skipped;
        self.last_page_full = entries as u64 >= u64::from(query.page_size);
        self.received += entries as u64;
        self.skipped += page.images.skipped;
        if let Some(total) = page.result_count {
            self.total = Some(total);
        }
        for image in page.images.items {
            if let Err(at) = self.seen.binary_search(&image.id) {
                self.seen.insert(at, image.id.clone());
                self.images.push(Arc::new(image));
            } else {
                self.skipped += 1;
            }
        }
        self.query = query;
        self.more = More::Idle;
    }

    /// Whether Getty may have another page.
    pub fn has_more(&self) -> bool {
        self.last_page_full && self.total.is_none_or(|total| self.received < total)
    }

    /// How many results Getty has beyond those loaded, if it said.
    pub fn remaining(&self) -> Option<u64> {
        self.total.map(|total| total.saturating_sub(self.received))
    }

    /// The query for the next page.
    pub fn next_query(&self) -> SearchQuery {
        self.query.next_page()
    }
}

impl SearchState {
    /// The images to show in the grid.
    pub fn images(&self) -> &[Arc<Image>] {
        match self {
            Self::Loaded(results) => &results.images,
            _ => &[],
        }
    }

    /// The phrase of the current search, if any.
    pub fn phrase(&self) -> Option<&str> {
        match self {
            Self::Idle => None,
            Self::Loading { phrase } | Self::Failed { phrase, .. } => Some(phrase),
            Self::Loaded(results) => Some(&results.query.phrase),
        }
    }

    /// One line for the status region (announced to screen readers).
    pub fn describe(&self, strings: &Strings) -> String {
        match self {
            Self::Idle => strings.idle.to_string(),
            Self::Loading { phrase } => fill(&strings.searching, &[("phrase", phrase)]),
            Self::Loaded(results) => {
                let total = results.total.unwrap_or(results.images.len() as u64);
                let mut line = strings.results_line(total, &results.query.phrase);
                if results.skipped > 0 {
                    line.push(' ');
                    line.push_str(&strings.not_shown_line(results.skipped as u64));
                }
                line
            }
            Self::Failed { message, .. } => fill(&strings.search_failed, &[("message", message)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::getty::Filters;
    use crate::i18n::test_strings;

    fn page(json: &str) -> SearchPage {
        serde_json::from_str(json).expect("a search answer")
    }

    fn query(page_size: u32) -> SearchQuery {
        SearchQuery::first_page("cats", Filters::default(), page_size).expect("a phrase")
    }

    fn ids(results: &Results) -> Vec<&str> {
        results.images.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn repeated_ids_are_shown_once_across_pages() {
        let en = test_strings("en");
        let mut results = Results::new(
            query(4),
            page(r#"{"result_count":3662,"images":[{"id":"1"},{"id":"2"},{"id":"1"},{"x":1}]}"#),
        );
        assert_eq!(ids(&results), ["1", "2"]);
        assert!(results.has_more());
        assert_eq!(results.remaining(), Some(3658));
        results.append(
            results.next_query(),
            page(r#"{"result_count":3662,"images":[{"id":"2"},{"id":"3"},{"id":"4"},{"id":"5"}]}"#),
        );
        assert_eq!(ids(&results), ["1", "2", "3", "4", "5"]);
        assert_eq!(results.query.page, 2);
        assert_eq!(results.remaining(), Some(3654));
        assert_eq!(
            SearchState::Loaded(results).describe(&en),
            "3,662 results for “cats”. 3 could not be shown."
        );
    }

    #[test]
    fn paging_ends_with_a_short_page_or_the_total() {
        let short = Results::new(
            query(30),
            page(r#"{"result_count":100,"images":[{"id":"1"}]}"#),
        );
        assert!(!short.has_more());
        let all = Results::new(
            query(1),
            page(r#"{"result_count":1,"images":[{"id":"1"}]}"#),
        );
        assert!(!all.has_more());
        assert_eq!(all.remaining(), Some(0));
        let unknown = Results::new(query(1), page(r#"{"images":[{"id":"1"}]}"#));
        assert!(unknown.has_more());
        assert_eq!(unknown.remaining(), None);
    }

    #[test]
    fn descriptions() {
        let en = test_strings("en");
        assert!(SearchState::Idle
            .describe(&en)
            .contains("search Getty Images"));
        assert_eq!(
            SearchState::Loading { phrase: "a".into() }.describe(&en),
            "Searching for “a”…"
        );
        let none = Results::new(query(30), page(r#"{"result_count":0,"images":[]}"#));
        assert_eq!(
            SearchState::Loaded(none).describe(&en),
            "No results for “cats”."
        );
        let one = Results::new(query(30), page(r#"{"images":[{"id":"1"}]}"#));
        assert_eq!(
            SearchState::Loaded(one).describe(&en),
            "1 result for “cats”."
        );
        let failed = SearchState::Failed {
            phrase: "a".into(),
            message: "Forbidden (HTTP 403)".into(),
        };
        assert_eq!(failed.describe(&en), "Search failed: Forbidden (HTTP 403)");
        assert_eq!(failed.phrase(), Some("a"));
        // German texts; the number as the native stand-in for `Intl` writes it (the browser
        // writes 3.662: tests/locales.rs).
        let de = test_strings("de");
        let many = Results::new(query(30), page(r#"{"result_count":3662,"images":[]}"#));
        assert_eq!(
            SearchState::Loaded(many).describe(&de),
            "3,662 Treffer für „cats“."
        );
    }
}
