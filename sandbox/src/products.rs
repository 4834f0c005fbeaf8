//! The sandbox account's products (`GET /v3/products`): what it may download, and how often.

use serde_json::{json, Value};

use super::clock::next_monthly_reset;
use super::data::AssetFamily;
use crate::clock::unix_now;

/// One product (licence agreement) of the sandbox account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Getty's numeric product id, sent back as `product_id` on downloads.
    pub id: u32,
    /// Display name, e.g. "Premium Access".
    pub name: String,
    /// Product type on the wire, e.g. `premiumaccess`.
    pub product_type: String,
    /// The agreement's display name.
    pub agreement_name: String,
    /// Which images it licenses.
    pub families: Vec<AssetFamily>,
    /// Downloads allowed per period; `None` means unlimited.
    pub download_limit: Option<u32>,
    /// Downloads left in this period; `None` means unlimited.
    pub downloads_remaining: Option<u32>,
    /// When the period resets (`download_limit_reset_utc_date`), if limited.
    pub reset_utc_date: Option<String>,
    /// Whether each download must carry `download_notes`.
    pub note_required: bool,
    /// Whether each download must carry a `project_code`.
    pub project_code_required: bool,
    /// The project codes a download may carry.
    pub project_codes: Vec<String>,
}

impl Product {
    /// Whether this product licenses images of `family`.
    pub fn licenses(&self, family: AssetFamily) -> bool {
        self.families.contains(&family)
    }

    /// The product as `GET /v3/products` lists it; `download_requirements` only when asked for.
    pub fn to_json(&self, with_requirements: bool) -> Value {
        let limited = self.download_limit.is_some();
        let mut out = json!({
            "id": self.id,
            "name": self.name,
            "type": self.product_type,
            "agreement_name": self.agreement_name,
            "status": "active",
            "download_limit": self.download_limit,
            "downloads_remaining": self.downloads_remaining,
            "download_limit_duration": limited.then_some("Monthly"),
            "download_limit_reset_utc_date": self.reset_utc_date,
            "expiration_utc_date": null,
        });
        if with_requirements {
            out["download_requirements"] = json!({
                "is_note_required": self.note_required,
                "is_project_code_required": self.project_code_required,
                "project_codes": self.project_codes,
            });
        }
        out
    }
}

/// One way the account may download an image: a `largest_downloads` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The product's id, a string on the wire as in Getty's answers.
    pub product_id: String,
    /// The product type, e.g. `premiumaccess`.
    pub product_type: String,
    /// The agreement's display name.
    pub agreement_name: String,
}

/// The `largest_downloads` of an image of `family`: one per product licensing it, in account order.
pub fn downloads_for(products: &[Product], family: AssetFamily) -> Vec<Download> {
    products
        .iter()
        .filter(|product| product.licenses(family))
        .map(|product| Download {
            product_id: product.id.to_string(),
            product_type: product.product_type.clone(),
            agreement_name: product.agreement_name.clone(),
        })
        .collect()
}

/// The demo account: an editorial subscription with a monthly limit, an unlimited premium access
/// agreement that requires project codes, and a royalty-free subscription with nothing left.
/// Limited products reset at the start of next month (Getty's limits are monthly), so the
/// dates move with the clock.
pub fn default_products() -> Vec<Product> {
    let reset = next_monthly_reset(unix_now());
    vec![
        Product {
            id: 1001,
            name: "Editorial Subscription".into(),
            product_type: "editorialsubscription".into(),
            agreement_name: "Newsroom 2026".into(),
            families: vec![AssetFamily::Editorial],
            download_limit: Some(50),
            downloads_remaining: Some(12),
            reset_utc_date: Some(reset.clone()),
            note_required: false,
            project_code_required: false,
            project_codes: Vec::new(),
        },
        Product {
            id: 1002,
            name: "Premium Access".into(),
            product_type: "premiumaccess".into(),
            agreement_name: "Marketing 2026".into(),
            families: vec![AssetFamily::Creative, AssetFamily::Editorial],
            download_limit: None,
            downloads_remaining: None,
            reset_utc_date: None,
            note_required: false,
            project_code_required: true,
            project_codes: vec!["SPRING-26".into(), "WEB-HOME".into()],
        },
        Product {
            id: 1003,
            name: "Royalty-Free Subscription".into(),
            product_type: "royaltyfreesubscription".into(),
            agreement_name: "Social team".into(),
            families: vec![AssetFamily::Creative],
            download_limit: Some(10),
            downloads_remaining: Some(0),
            reset_utc_date: Some(reset),
            note_required: false,
            project_code_required: false,
            project_codes: Vec::new(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_account_matches_the_contract() {
        let products = default_products();
        let ids: Vec<u32> = products.iter().map(|p| p.id).collect();
        assert_eq!(ids, [1001, 1002, 1003]);
        let editorial = products[0].to_json(false);
        assert_eq!(editorial["type"], "editorialsubscription");
        assert_eq!(editorial["downloads_remaining"], 12);
        assert_eq!(editorial["download_limit_duration"], "Monthly");
        let reset = editorial["download_limit_reset_utc_date"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(reset, next_monthly_reset(unix_now()));
        assert!(editorial.get("download_requirements").is_none());
        let premium = products[1].to_json(true);
        assert_eq!(premium["download_limit"], Value::Null);
        assert_eq!(premium["download_limit_duration"], Value::Null);
        assert_eq!(
            premium["download_requirements"],
            json!({"is_note_required": false, "is_project_code_required": true,
                   "project_codes": ["SPRING-26", "WEB-HOME"]})
        );
        let creative = downloads_for(&products, AssetFamily::Creative);
        let ids: Vec<&str> = creative.iter().map(|d| d.product_id.as_str()).collect();
        assert_eq!(ids, ["1002", "1003"]);
        assert_eq!(creative[1].agreement_name, "Social team");
        assert!(products[2].licenses(AssetFamily::Creative));
        assert!(!products[2].licenses(AssetFamily::Editorial));
    }
}
