//! The customer's licences: `GET /v3/products`, and which of them pays for each download an
//! image offers.
//!
//! A search answer says per image which product types and product ids it may be downloaded
//! with (`largest_downloads`); the products answer says what each product is called, how many
//! downloads it has left and what Getty wants sent with a download. An [`Offer`] joins the two.

use serde::Deserialize;

use super::lenient::{self, Skipping, Usable};
use super::types::LargestDownload;

/// Getty's answer to `GET /v3/products?fields=download_requirements`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ProductsAnswer {
    /// The account's products that could be read.
    #[serde(default)]
    pub products: Skipping<Product>,
}

/// One of the account's products (a subscription, a pack, ...).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Product {
    /// Getty's id of the product (a number; kept as text to compare with download entries).
    #[serde(default, deserialize_with = "lenient::required_id")]
    pub id: String,
    /// Its name, e.g. "Premium Access".
    #[serde(default, deserialize_with = "lenient::text")]
    pub name: Option<String>,
    /// Its product type, e.g. `premiumaccess`: what a download names as `product_type`.
    #[serde(default, rename = "type", deserialize_with = "lenient::required_text")]
    pub product_type: String,
    /// The agreement it belongs to, which tells two products of one type apart.
    #[serde(default, deserialize_with = "lenient::text")]
    pub agreement_name: Option<String>,
    /// Downloads allowed per period; none means no limit.
    #[serde(default, deserialize_with = "lenient::count")]
    pub download_limit: Option<u64>,
    /// Downloads left in this period; none means no limit.
    #[serde(default, deserialize_with = "lenient::count")]
    pub downloads_remaining: Option<u64>,
    /// When the limit resets (ISO 8601, UTC).
    #[serde(default, deserialize_with = "lenient::text")]
    pub download_limit_reset_utc_date: Option<String>,
    /// What a download charged to this product must carry.
    #[serde(default, deserialize_with = "lenient::object")]
    pub download_requirements: Requirements,
}

impl Usable for Product {
    fn usable(&self) -> bool {
        !self.id.is_empty() && !self.product_type.is_empty()
    }
}

/// What Getty wants sent with each download of a product.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Requirements {
    /// A note (`download_notes`) must be sent.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_note_required: bool,
    /// A project code must be sent.
    #[serde(default, deserialize_with = "lenient::flag")]
    pub is_project_code_required: bool,
    /// The project codes to choose from; empty means free text.
    #[serde(default, deserialize_with = "lenient::texts")]
    pub project_codes: Vec<String>,
}

impl Product {
    /// Whether the period's downloads are used up.
    pub fn exhausted(&self) -> bool {
        self.downloads_remaining == Some(0)
    }

    /// The name an editor knows the product by, with its agreement when it has one.
    pub fn label(&self) -> String {
        let name = self
            .name
            .clone()
            .unwrap_or_else(|| type_name(&self.product_type));
        match &self.agreement_name {
            Some(agreement) if *agreement != name => format!("{name} · {agreement}"),
            _ => name,
        }
    }

    /// The day the limit resets (`2026-12-01` of `2026-12-01T00:00:00Z`), if readable.
    pub fn resets_on(&self) -> Option<Day> {
        Day::parse(self.download_limit_reset_utc_date.as_deref()?)
    }
}

/// A calendar day Getty names (in UTC), e.g. when a product's limit resets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

impl Day {
    /// The day an ISO 8601 date or date-time starts with (`2026-12-01T00:00:00Z`), if valid.
    pub fn parse(date: &str) -> Option<Self> {
        let mut parts = date.get(..10)?.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        let year: u16 = year.parse().ok()?;
        let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self {
            year: year.into(),
            month,
            day,
        })
    }
}

/// A readable name for a product type Getty sent without a product name.
pub fn type_name(product_type: &str) -> String {
    let known = match product_type {
        "easyaccess" => "Easy Access",
        "editorialsubscription" => "Editorial Subscription",
        "imagepack" => "Image Pack",
        "premiumaccess" => "Premium Access",
        "royaltyfreesubscription" => "Royalty-Free Subscription",
        "creditpack" => "Credit Pack",
        "aigen" => "AI Generation",
        other => return other.to_owned(),
    };
    known.to_owned()
}

/// One way to download an image: an entry of its `largest_downloads`, and the account product
/// it is charged to when the products answer names one.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Index of the entry in the image's `largest_downloads`.
    pub index: usize,
    /// The entry itself.
    pub download: LargestDownload,
    /// The product it is charged to, if known.
    pub product: Option<Product>,
}

impl Offer {
    /// Whether this offer may be spent: not when its product has no downloads left.
    pub fn available(&self) -> bool {
        !self.product.as_ref().is_some_and(Product::exhausted)
    }

    /// What the editor reads: the product's name and agreement, else the entry's own words.
    pub fn label(&self) -> String {
        match &self.product {
            Some(product) => product.label(),
            None => {
                let name = type_name(&self.download.product_type);
                match &self.download.agreement_name {
                    Some(agreement) => format!("{name} · {agreement}"),
                    None => name,
                }
            }
        }
    }

    /// The product id to send: the entry's, else the matched product's.
    pub fn product_id(&self) -> Option<&str> {
        self.download
            .product_id
            .as_deref()
            .or(self.product.as_ref().map(|product| product.id.as_str()))
    }

    /// What a download must carry, per the matched product.
    pub fn requirements(&self) -> Requirements {
        self.product
            .as_ref()
            .map(|product| product.download_requirements.clone())
            .unwrap_or_default()
    }
}

/// Joins an image's downloads to the account's products: by `product_id`, else (when the entry
/// names none) by `product_type` if exactly one product has that type.
pub fn offers(downloads: &[LargestDownload], products: &[Product]) -> Vec<Offer> {
    downloads
        .iter()
        .enumerate()
        .map(|(index, download)| {
            let product = match download.product_id.as_deref() {
                Some(id) => products.iter().find(|product| product.id == id),
                None => {
                    let mut same_type = products
                        .iter()
                        .filter(|product| product.product_type == download.product_type);
                    // Two agreements of one type: which one Getty charges is not ours to guess.
                    match (same_type.next(), same_type.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                }
            };
            Offer {
                index,
                download: download.clone(),
                product: product.cloned(),
            }
        })
        .collect()
}

/// The offer a download is charged to: the editor's `choice` (an index into the image's
/// `largest_downloads`) while it is available, else the first available one.
pub fn choose(offers: &[Offer], choice: Option<usize>) -> Option<&Offer> {
    choice
        .and_then(|index| {
            offers
                .iter()
                .find(|offer| offer.index == index && offer.available())
        })
        .or_else(|| offers.iter().find(|offer| offer.available()))
}

/// The body of a download POST for a product with requirements: `{"project_code", "download_notes"}`,
/// each only when given (Getty refuses a project code a product does not ask for).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DownloadForm {
    /// The chosen project code.
    pub project_code: Option<String>,
    /// The editor's note.
    pub download_notes: Option<String>,
}

/// What is still missing before a download may be spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A project code must be chosen or typed.
    ProjectCode,
    /// A note must be written.
    Note,
}

impl DownloadForm {
    /// The form for `requirements` from what the editor entered (blank counts as not entered).
    pub fn new(requirements: &Requirements, project_code: &str, notes: &str) -> Self {
        let given = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        Self {
            project_code: given(project_code).filter(|_| requirements.is_project_code_required),
            download_notes: given(notes),
        }
    }

    /// The first requirement the form does not meet, if any.
    pub fn missing(&self, requirements: &Requirements) -> Option<Missing> {
        if requirements.is_project_code_required {
            let known = |code: &String| {
                requirements.project_codes.is_empty() || requirements.project_codes.contains(code)
            };
            if !self.project_code.as_ref().is_some_and(known) {
                return Some(Missing::ProjectCode);
            }
        }
        (requirements.is_note_required && self.download_notes.is_none()).then_some(Missing::Note)
    }

    /// Whether there is anything to send as a body.
    pub fn is_empty(&self) -> bool {
        self.project_code.is_none() && self.download_notes.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: for<'de> Deserialize<'de>>(json: &str) -> T {
        serde_json::from_str(json).expect("the answer reads")
    }

    const ANSWER: &str = r#"{"products":[
        {"id":1001,"name":"Editorial Subscription","type":"editorialsubscription",
         "agreement_name":"Newsroom 2026","status":"active","download_limit":50,
         "downloads_remaining":12,"download_limit_duration":"Monthly",
         "download_limit_reset_utc_date":"2026-12-01T00:00:00Z","expiration_utc_date":null,
         "download_requirements":{"is_note_required":false,"is_project_code_required":false,
                                  "project_codes":[]}},
        {"id":1002,"name":"Premium Access","type":"premiumaccess","agreement_name":"Marketing 2026",
         "download_limit":null,"downloads_remaining":null,
         "download_requirements":{"is_note_required":false,"is_project_code_required":true,
                                  "project_codes":["SPRING-26","WEB-HOME"]}},
        {"id":1003,"type":"royaltyfreesubscription","agreement_name":"Social team",
         "download_limit":10,"downloads_remaining":0,
         "download_limit_reset_utc_date":"2026-12-01T00:00:00Z"},
        {"id":1004,"name":"Premium Access","type":"premiumaccess","agreement_name":"Brand team"},
        {"name":"no id","type":"x"}, 17]}"#;

    fn download(product_type: &str, product_id: Option<&str>) -> LargestDownload {
        LargestDownload {
            uri: "https://api.gettyimages.com/v3/downloads/images/1".into(),
            product_type: product_type.into(),
            product_id: product_id.map(str::to_owned),
            agreement_name: None,
        }
    }

    #[test]
    fn products_read_with_limits_and_requirements() {
        let answer: ProductsAnswer = parse(ANSWER);
        let products = &answer.products.items;
        assert_eq!(products.len(), 4);
        assert_eq!(answer.products.skipped, 2);
        assert_eq!(products[0].id, "1001");
        assert_eq!(
            products[0].label(),
            "Editorial Subscription · Newsroom 2026"
        );
        assert_eq!(products[0].downloads_remaining, Some(12));
        assert_eq!(products[0].download_limit, Some(50));
        assert_eq!(
            products[0].resets_on(),
            Some(Day {
                year: 2026,
                month: 12,
                day: 1
            })
        );
        assert!(!products[0].exhausted());
        let premium = &products[1].download_requirements;
        assert!(premium.is_project_code_required && !premium.is_note_required);
        assert_eq!(premium.project_codes, ["SPRING-26", "WEB-HOME"]);
        assert_eq!(products[1].downloads_remaining, None);
        assert_eq!(
            products[2].label(),
            "Royalty-Free Subscription · Social team"
        );
        assert!(products[2].exhausted());
        let odd: ProductsAnswer = parse(r#"{"products":null}"#);
        assert!(odd.products.items.is_empty());
    }

    #[test]
    fn reset_dates_read_only_when_sensible() {
        let mut product: Product = parse(r#"{"id":1,"type":"x"}"#);
        assert_eq!(product.resets_on(), None);
        for (date, expected) in [
            ("2027-01-31", Some((2027, 1, 31))),
            ("2028-02-29T00:00:00Z", Some((2028, 2, 29))),
            ("2026-13-01T00:00:00Z", None),
            ("2026-12-00", None),
            ("soon", None),
            ("2026-1-1", None),
            ("2026-12-é1T", None),
        ] {
            product.download_limit_reset_utc_date = Some(date.into());
            let day = product.resets_on().map(|d| (d.year, d.month, d.day));
            assert_eq!(day, expected, "{date}");
        }
    }

    #[test]
    fn offers_match_by_id_then_by_the_only_product_of_a_type() {
        let products = parse::<ProductsAnswer>(ANSWER).products.items;
        let downloads = [
            download("premiumaccess", Some("1004")),
            download("editorialsubscription", None),
            download("premiumaccess", None),
            download("easyaccess", Some("999")),
            download("royaltyfreesubscription", Some("1003")),
        ];
        let offers = offers(&downloads, &products);
        let ids: Vec<_> = offers
            .iter()
            .map(|offer| offer.product.as_ref().map(|p| p.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [Some("1004"), Some("1001"), None, None, Some("1003")],
            "two premiumaccess products: the type alone names neither"
        );
        assert_eq!(offers[0].label(), "Premium Access · Brand team");
        assert_eq!(offers[1].product_id(), Some("1001"));
        assert_eq!(offers[2].product_id(), None);
        assert_eq!(offers[2].label(), "Premium Access");
        assert_eq!(offers[3].label(), "Easy Access");
        assert!(
            offers[3].available(),
            "an unknown product is not known to be spent"
        );
        assert!(!offers[4].available());
        assert_eq!(offers[4].index, 4);

        assert_eq!(choose(&offers, None).map(|o| o.index), Some(0));
        assert_eq!(choose(&offers, Some(3)).map(|o| o.index), Some(3));
        assert_eq!(
            choose(&offers, Some(4)).map(|o| o.index),
            Some(0),
            "a spent product is not charged"
        );
        assert_eq!(choose(&offers[4..], None), None);
    }

    #[test]
    fn forms_say_what_is_missing() {
        let codes = Requirements {
            is_note_required: false,
            is_project_code_required: true,
            project_codes: vec!["SPRING-26".into()],
        };
        let blank = DownloadForm::new(&codes, " ", "");
        assert_eq!(blank.missing(&codes), Some(Missing::ProjectCode));
        let unknown = DownloadForm::new(&codes, "OTHER", "");
        assert_eq!(unknown.missing(&codes), Some(Missing::ProjectCode));
        let chosen = DownloadForm::new(&codes, "SPRING-26", "");
        assert_eq!(chosen.missing(&codes), None);
        assert_eq!(chosen.project_code.as_deref(), Some("SPRING-26"));

        let free = Requirements {
            project_codes: Vec::new(),
            ..codes.clone()
        };
        assert_eq!(DownloadForm::new(&free, "any", "").missing(&free), None);

        let note = Requirements {
            is_note_required: true,
            ..Requirements::default()
        };
        let form = DownloadForm::new(&note, "ignored", "  ");
        assert_eq!(form.missing(&note), Some(Missing::Note));
        assert_eq!(
            form.project_code, None,
            "a code the product does not ask for is not sent"
        );
        let form = DownloadForm::new(&note, "", " For the front page ");
        assert_eq!(form.missing(&note), None);
        assert_eq!(form.download_notes.as_deref(), Some("For the front page"));
        assert!(DownloadForm::default().is_empty());
        assert!(!form.is_empty());
    }
}
