//! What the customer's company licensed before: `GET /v3/images/{id}/downloadhistory`, asked
//! once per download intent so that the picker can say when and under which product an image
//! was licensed, and ask before paying for it again.

use serde::Deserialize;

use super::lenient::{self, Skipping, Usable};
use super::products::{type_name, Day, Product};
use super::url::encode_component;

/// The URL of `id`'s download history for the whole company (`company_downloads=true`; Getty
/// answers only the user's own downloads where the account is not enabled for that).
pub fn history_url(api_base: &str, id: &str) -> String {
    format!(
        "{}/v3/images/{}/downloadhistory?company_downloads=true",
        api_base.trim_end_matches('/'),
        encode_component(id)
    )
}

/// Getty's answer: the image's id and its downloads (the OpenAPI file leaves their shape open).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct HistoryAnswer {
    /// The downloads that could be read.
    #[serde(default)]
    pub downloads: Skipping<PastDownload>,
}

/// One earlier download of the image; usable with a readable date.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PastDownload {
    /// When (ISO 8601, UTC).
    #[serde(default, deserialize_with = "lenient::text")]
    pub date_downloaded: Option<String>,
    /// The product it was charged to.
    #[serde(default, deserialize_with = "lenient::id")]
    pub product_id: Option<String>,
    /// That product's type.
    #[serde(default, deserialize_with = "lenient::text")]
    pub product_type: Option<String>,
    /// That product's agreement.
    #[serde(default, deserialize_with = "lenient::text")]
    pub agreement_name: Option<String>,
}

impl Usable for PastDownload {
    fn usable(&self) -> bool {
        self.date_downloaded
            .as_deref()
            .and_then(Day::parse)
            .is_some()
    }
}

/// What the picker tells the editor about an image the company licensed before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicensedBefore {
    /// The day of the latest download.
    pub date: Day,
    /// The product it was charged to, as the editor knows it.
    pub product: String,
    /// How many downloads the history lists.
    pub times: usize,
}

/// The latest of `downloads`, with its product named as the account's `products` name it (else
/// by its agreement, else its type); none when there are none.
pub fn licensed_before(downloads: &[PastDownload], products: &[Product]) -> Option<LicensedBefore> {
    let (date, latest) = downloads
        .iter()
        .filter_map(|download| {
            let date = Day::parse(download.date_downloaded.as_deref()?)?;
            Some((date, download))
        })
        .max_by_key(|(date, _)| *date)?;
    let known = latest
        .product_id
        .as_deref()
        .and_then(|id| products.iter().find(|product| product.id == id));
    let product = match (known, &latest.agreement_name, &latest.product_type) {
        (Some(product), _, _) => product.label(),
        (None, Some(agreement), Some(kind)) => format!("{} · {agreement}", type_name(kind)),
        (None, Some(agreement), None) => agreement.clone(),
        (None, None, Some(kind)) => type_name(kind),
        (None, None, None) => "Getty Images".to_owned(),
    };
    Some(LicensedBefore {
        date,
        product,
        times: downloads.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(json: &str) -> HistoryAnswer {
        serde_json::from_str(json).expect("an answer")
    }

    fn products() -> Vec<Product> {
        serde_json::from_str(
            r#"[{"id":1001,"name":"Editorial Subscription","type":"editorialsubscription",
                 "agreement_name":"Newsroom 2026"}]"#,
        )
        .expect("products")
    }

    #[test]
    fn the_url_asks_for_the_company_and_encodes_the_id() {
        assert_eq!(
            history_url("https://api.gettyimages.com/", "83454804"),
            "https://api.gettyimages.com/v3/images/83454804/downloadhistory?company_downloads=true"
        );
        assert_eq!(
            history_url("http://h", "a/b?c"),
            "http://h/v3/images/a%2Fb%3Fc/downloadhistory?company_downloads=true"
        );
    }

    #[test]
    fn the_latest_download_names_its_product() {
        let history = answer(
            r#"{"id":"1","downloads":[
                {"date_downloaded":"2026-09-01T08:00:00Z","product_id":1001,
                 "product_type":"editorialsubscription","agreement_name":"Newsroom 2026"},
                {"date_downloaded":"2026-11-03T10:00:00Z","product_id":"1001",
                 "user":{"username":"ann"},"download_source":"API"},
                {"date_downloaded":"yesterday"}, 7, null]}"#,
        );
        assert_eq!(history.downloads.items.len(), 2);
        assert_eq!(history.downloads.skipped, 3);
        assert_eq!(
            licensed_before(&history.downloads.items, &products()),
            Some(LicensedBefore {
                date: Day {
                    year: 2026,
                    month: 11,
                    day: 3
                },
                product: "Editorial Subscription · Newsroom 2026".into(),
                times: 2,
            })
        );
    }

    #[test]
    fn unknown_products_are_named_by_what_the_entry_says() {
        let named = |json: &str| {
            licensed_before(&answer(json).downloads.items, &[]).map(|before| before.product)
        };
        assert_eq!(
            named(
                r#"{"downloads":[{"date_downloaded":"2026-11-03","product_id":9,
                "product_type":"premiumaccess","agreement_name":"Marketing"}]}"#
            )
            .as_deref(),
            Some("Premium Access · Marketing")
        );
        assert_eq!(
            named(r#"{"downloads":[{"date_downloaded":"2026-11-03","product_type":"imagepack"}]}"#)
                .as_deref(),
            Some("Image Pack")
        );
        assert_eq!(named(r#"{"downloads":[]}"#), None);
        assert_eq!(named(r#"{"downloads":null}"#), None);
        assert_eq!(named("{}"), None);
    }

    #[test]
    fn dates_are_read_from_iso_8601() {
        assert_eq!(
            Day::parse("2026-11-03T10:00:00+01:00"),
            Some(Day {
                year: 2026,
                month: 11,
                day: 3
            })
        );
        for bad in ["2026-13-01", "2026-1-03", "03.11.2026", "", "2026-11-3T1"] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
    }
}
