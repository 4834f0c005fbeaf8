//! Spending downloads: which product pays, what it requires, and the log of what was spent.

use serde::Deserialize;

use super::data::AssetFamily;
use super::error::SandboxError;
use super::products::{default_products, Product};

/// One successful download, as the sandbox recorded it (tests assert what the picker sent);
/// the download history endpoints answer from these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRecord {
    /// The image id.
    pub id: String,
    /// The product charged.
    pub product_id: u32,
    /// That product's type, e.g. `editorialsubscription`.
    pub product_type: String,
    /// That product's agreement.
    pub agreement_name: String,
    /// The `project_code` of the JSON body, if any.
    pub project_code: Option<String>,
    /// The `download_notes` of the JSON body, if any.
    pub notes: Option<String>,
    /// Who downloaded it: the username of the token's grant.
    pub user: String,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
}

/// A download made before the sandbox started (a test seeds the company's history with it):
/// charged to one of the account's products, without spending any of its allowance now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastDownload {
    /// The image id.
    pub id: String,
    /// The product it was charged to (one of the account's).
    pub product_id: u32,
    /// Who downloaded it.
    pub user: String,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
    /// Its project code, if any.
    pub project_code: Option<String>,
    /// Its note, if any.
    pub notes: Option<String>,
}

/// The JSON body a download may carry (Getty's `PremiumAccessDownloadData`, no other keys).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownloadData {
    /// The project the download is charged to.
    pub project_code: Option<String>,
    /// Free text the account keeps with the download.
    pub download_notes: Option<String>,
}

impl DownloadData {
    /// Reads a request body: empty, or JSON sent as `application/json`.
    pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Self, SandboxError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let is_json = content_type
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(SandboxError::UnsupportedMediaType);
        }
        // `null` is what a client serialising an absent body sends.
        serde_json::from_slice::<Option<Self>>(body)
            .map(Option::unwrap_or_default)
            .map_err(|error| {
                SandboxError::InvalidParameter(format!(
                    "The request body must be {{\"project_code\", \"download_notes\"}}: {error}"
                ))
            })
    }

    fn project_code(&self) -> Option<&str> {
        non_blank(self.project_code.as_deref())
    }

    fn notes(&self) -> Option<&str> {
        non_blank(self.download_notes.as_deref())
    }
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// A download request whose query has been read and whose image exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadRequest {
    /// The image id.
    pub id: String,
    /// The image's family (what a product must license).
    pub family: AssetFamily,
    /// The `product_type` asked for, as Getty spells it.
    pub product_type: &'static str,
    /// The `product_id` asked for, if any.
    pub product_id: Option<u32>,
    /// The JSON body.
    pub data: DownloadData,
}

/// The sandbox account: its products and the downloads spent on them.
#[derive(Debug)]
pub struct Account {
    /// The products, in the order `GET /v3/products` lists them.
    pub products: Vec<Product>,
    /// Every successful download, oldest first.
    pub log: Vec<DownloadRecord>,
}

impl Default for Account {
    fn default() -> Self {
        Self {
            products: default_products(),
            log: Vec::new(),
        }
    }
}

impl Account {
    /// Checks `request` by `user` against the account and, if it may be made, spends one
    /// download at `at` (Unix seconds).
    pub fn spend(
        &mut self,
        request: DownloadRequest,
        user: &str,
        at: u64,
    ) -> Result<DownloadRecord, SandboxError> {
        let product = self.product_for(&request)?;
        let code = request.data.project_code();
        if product.project_code_required && code.is_none() {
            return Err(SandboxError::ProjectCodeRequired(product.id));
        }
        if let Some(code) = code {
            if !product.project_codes.is_empty() && !product.project_codes.iter().any(|c| c == code)
            {
                return Err(SandboxError::InvalidProjectCode {
                    product_id: product.id,
                    code: code.to_owned(),
                });
            }
        }
        if product.note_required && request.data.notes().is_none() {
            return Err(SandboxError::DownloadNotesRequired(product.id));
        }
        match &mut product.downloads_remaining {
            Some(0) => return Err(SandboxError::OverageLimitReached(product.id)),
            Some(remaining) => *remaining -= 1,
            None => {}
        }
        let record = DownloadRecord {
            id: request.id.clone(),
            product_id: product.id,
            product_type: product.product_type.clone(),
            agreement_name: product.agreement_name.clone(),
            project_code: code.map(str::to_owned),
            notes: request.data.notes().map(str::to_owned),
            user: user.to_owned(),
            at,
        };
        self.record(record.clone());
        Ok(record)
    }

    /// Adds `past` to the log as if it had been downloaded then; nothing is spent. Refused if
    /// its product is not one of the account's.
    pub fn seed(&mut self, past: PastDownload) -> Result<DownloadRecord, SandboxError> {
        let product = self
            .products
            .iter()
            .find(|p| p.id == past.product_id)
            .ok_or_else(|| {
                SandboxError::InvalidParameter(format!(
                    "product_id {} is not one of the account's products.",
                    past.product_id
                ))
            })?;
        let record = DownloadRecord {
            id: past.id,
            product_id: product.id,
            product_type: product.product_type.clone(),
            agreement_name: product.agreement_name.clone(),
            project_code: past.project_code,
            notes: past.notes,
            user: past.user,
            at: past.at,
        };
        self.record(record.clone());
        Ok(record)
    }

    /// Keeps the log oldest first, a seeded past download included.
    fn record(&mut self, record: DownloadRecord) {
        let at = self.log.partition_point(|earlier| earlier.at <= record.at);
        self.log.insert(at, record);
    }

    /// The product `request` is charged to: the one named by `product_id`, else the first of
    /// its type that licenses the image.
    fn product_for(&mut self, request: &DownloadRequest) -> Result<&mut Product, SandboxError> {
        let not_entitled = || SandboxError::NotEntitled {
            id: request.id.clone(),
            product_type: request.product_type.to_owned(),
        };
        let Some(product_id) = request.product_id else {
            return self
                .products
                .iter_mut()
                .find(|p| p.product_type == request.product_type && p.licenses(request.family))
                .ok_or_else(not_entitled);
        };
        let product = self
            .products
            .iter_mut()
            .find(|p| p.id == product_id)
            .ok_or_else(|| {
                SandboxError::InvalidParameter(format!(
                    "product_id {product_id} is not one of the account's products."
                ))
            })?;
        if product.product_type != request.product_type {
            return Err(SandboxError::InvalidParameter(format!(
                "product_id {product_id} is a {} product, not {}.",
                product.product_type, request.product_type
            )));
        }
        if !product.licenses(request.family) {
            return Err(not_entitled());
        }
        Ok(product)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(product_type: &'static str, product_id: Option<u32>) -> DownloadRequest {
        DownloadRequest {
            id: "1000000001".into(),
            family: AssetFamily::Editorial,
            product_type,
            product_id,
            data: DownloadData::default(),
        }
    }

    fn code(code: &str) -> DownloadData {
        DownloadData {
            project_code: Some(code.into()),
            download_notes: None,
        }
    }

    #[test]
    fn bodies_are_empty_or_json() {
        let json = Some("application/json; charset=utf-8");
        assert_eq!(DownloadData::parse(None, b""), Ok(DownloadData::default()));
        assert_eq!(
            DownloadData::parse(json, b"null"),
            Ok(DownloadData::default())
        );
        assert_eq!(
            DownloadData::parse(json, br#"{"project_code": "X", "download_notes": null}"#),
            Ok(code("X"))
        );
        assert_eq!(
            DownloadData::parse(Some("text/plain"), b"{}"),
            Err(SandboxError::UnsupportedMediaType)
        );
        for bad in [&b"{"[..], br#"{"project": "X"}"#, br#"{"project_code": 7}"#] {
            assert!(matches!(
                DownloadData::parse(json, bad),
                Err(SandboxError::InvalidParameter(_))
            ));
        }
    }

    #[test]
    fn limits_count_down_to_overage() {
        let mut account = Account::default();
        for remaining in (0..12).rev() {
            let record = account.spend(request("editorialsubscription", None), "ed", 1);
            assert_eq!(record.map(|r| r.product_id), Ok(1001));
            assert_eq!(account.products[0].downloads_remaining, Some(remaining));
        }
        assert_eq!(
            account.spend(request("editorialsubscription", Some(1001)), "ed", 2),
            Err(SandboxError::OverageLimitReached(1001))
        );
        assert_eq!(account.log.len(), 12);
    }

    #[test]
    fn project_codes_are_required_and_checked() {
        let mut account = Account::default();
        assert_eq!(
            account.spend(request("premiumaccess", None), "ed", 1),
            Err(SandboxError::ProjectCodeRequired(1002))
        );
        let mut wrong = request("premiumaccess", Some(1002));
        wrong.data = code("AUTUMN");
        assert!(matches!(
            account.spend(wrong, "ed", 1),
            Err(SandboxError::InvalidProjectCode {
                product_id: 1002,
                ..
            })
        ));
        let mut right = request("premiumaccess", Some(1002));
        right.data = code(" WEB-HOME ");
        let record = account.spend(right, "ed", 1);
        assert_eq!(record.map(|r| r.project_code), Ok(Some("WEB-HOME".into())));
        assert_eq!(account.products[1].downloads_remaining, None);
        assert_eq!(account.log.len(), 1);
    }

    #[test]
    fn product_ids_must_match_type_and_family() {
        let mut account = Account::default();
        assert!(matches!(
            account.spend(request("premiumaccess", Some(1001)), "ed", 1),
            Err(SandboxError::InvalidParameter(_))
        ));
        assert!(matches!(
            account.spend(request("editorialsubscription", Some(4242)), "ed", 1),
            Err(SandboxError::InvalidParameter(_))
        ));
        assert!(matches!(
            account.spend(request("royaltyfreesubscription", Some(1003)), "ed", 1),
            Err(SandboxError::NotEntitled { .. })
        ));
        assert!(matches!(
            account.spend(request("easyaccess", None), "ed", 1),
            Err(SandboxError::NotEntitled { .. })
        ));
        account.products[0].note_required = true;
        assert_eq!(
            account.spend(request("editorialsubscription", None), "ed", 1),
            Err(SandboxError::DownloadNotesRequired(1001))
        );
        assert!(account.log.is_empty());
    }

    #[test]
    fn past_downloads_join_the_log_in_time_order_and_spend_nothing() {
        let mut account = Account::default();
        let spent = account.spend(request("editorialsubscription", None), "ed", 500);
        assert!(spent.is_ok());
        let past = |at, product_id| PastDownload {
            id: "1000000001".into(),
            product_id,
            user: "ann".into(),
            at,
            project_code: None,
            notes: Some("front page".into()),
        };
        let seeded = account.seed(past(100, 1001));
        assert_eq!(
            seeded.map(|r| (r.product_type, r.agreement_name, r.user)),
            Ok((
                "editorialsubscription".to_owned(),
                "Newsroom 2026".to_owned(),
                "ann".to_owned()
            ))
        );
        assert!(account.seed(past(900, 1002)).is_ok());
        let times: Vec<u64> = account.log.iter().map(|r| r.at).collect();
        assert_eq!(times, [100, 500, 900]);
        assert_eq!(account.products[0].downloads_remaining, Some(11));
        assert!(matches!(
            account.seed(past(1, 4242)),
            Err(SandboxError::InvalidParameter(_))
        ));
    }
}
