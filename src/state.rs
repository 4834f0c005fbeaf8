//! The search state machine, free of the DOM: what the status line says and what the grid shows.

use std::collections::HashSet;

use crate::format::count;
use crate::getty::{Image, SearchPage};

/// Where the current search stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SearchState {
    /// Nothing searched yet.
    #[default]
    Idle,
    /// A search for `phrase` is under way.
    Loading {
        /// The phrase searched for.
        phrase: String,
    },
    /// Results arrived.
    Loaded {
        /// The phrase searched for.
        phrase: String,
        /// Getty's total, if it gave one.
        total: Option<u64>,
        /// The images to show, each id once.
        images: Vec<Image>,
        /// Images Getty sent that could not be read or repeated one already shown.
        skipped: usize,
    },
    /// The search failed; the message is fit to show.
    Failed {
        /// The phrase searched for, so the editor can retry it.
        phrase: String,
        /// What went wrong.
        message: String,
    },
}

impl SearchState {
    /// The state after `page` arrived for `phrase`, dropping repeated ids.
    pub fn loaded(phrase: String, page: SearchPage) -> Self {
        let mut seen = HashSet::new();
        let received = page.images.items.len();
        let images: Vec<Image> = page
            .images
            .items
            .into_iter()
            .filter(|image| seen.insert(image.id.clone()))
            .collect();
        Self::Loaded {
            phrase,
            total: page.result_count,
            skipped: page.images.skipped + (received - images.len()),
            images,
        }
    }

    /// The images to show in the grid.
    pub fn images(&self) -> &[Image] {
        match self {
            Self::Loaded { images, .. } => images,
            _ => &[],
        }
    }

    /// One line for the status region (announced to screen readers).
    pub fn describe(&self) -> String {
        match self {
            Self::Idle => "Type a phrase and press Enter to search Getty Images.".into(),
            Self::Loading { phrase } => format!("Searching for “{phrase}”…"),
            Self::Loaded {
                phrase,
                total,
                images,
                skipped,
            } => {
                let total = total.unwrap_or(images.len() as u64);
                let mut line = match total {
                    0 => format!("No results for “{phrase}”."),
                    1 => format!("1 result for “{phrase}”."),
                    n => format!("{} results for “{phrase}”.", count(n)),
                };
                if *skipped > 0 {
                    line.push_str(&format!(" {} could not be shown.", count(*skipped as u64)));
                }
                line
            }
            Self::Failed { message, .. } => format!("Search failed: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(json: &str) -> SearchPage {
        serde_json::from_str(json).expect("test JSON parses")
    }

    #[test]
    fn repeated_ids_are_shown_once() {
        let state = SearchState::loaded(
            "cats".into(),
            page(r#"{"result_count":3662,"images":[{"id":"1"},{"id":"2"},{"id":"1"},{"x":1}]}"#),
        );
        let ids: Vec<&str> = state.images().iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(
            state.describe(),
            "3,662 results for “cats”. 2 could not be shown."
        );
    }

    #[test]
    fn descriptions() {
        assert!(SearchState::Idle.describe().contains("search Getty Images"));
        assert_eq!(
            SearchState::Loading { phrase: "a".into() }.describe(),
            "Searching for “a”…"
        );
        assert_eq!(
            SearchState::loaded("a".into(), page(r#"{"result_count":0,"images":[]}"#)).describe(),
            "No results for “a”."
        );
        assert_eq!(
            SearchState::loaded("a".into(), page(r#"{"images":[{"id":"1"}]}"#)).describe(),
            "1 result for “a”."
        );
        assert_eq!(
            SearchState::Failed {
                phrase: "a".into(),
                message: "Forbidden (HTTP 403)".into()
            }
            .describe(),
            "Search failed: Forbidden (HTTP 403)"
        );
    }
}
