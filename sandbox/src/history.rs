//! What the account downloaded before: `GET /v3/images/{id}/downloadhistory` and
//! `GET /v3/downloads`, answered from the downloads the sandbox counted (and those a test
//! seeded), with Getty's parameters and refusals.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::clock::{parse_date_param, rfc3339, DAY};
use super::data;
use super::downloads::DownloadRecord;
use super::error::SandboxError;
use super::handlers::{authorize_user, base_url};
use super::images::{signature, DisplaySize};
use super::params::{bool_param, only_known, param, MAX_INT32, MAX_PAGE_SIZE};
use super::Sandbox;
use crate::clock::unix_now;

/// Raw query pairs, read by hand so that bad values get Getty's error shape.
type Params = Query<Vec<(String, String)>>;

/// How far back `GET /v3/downloads` looks when no `date_from` is given.
const DEFAULT_WINDOW: u64 = 30 * DAY;

/// `ProductTypeForDownloads`: the `product_type` values `GET /v3/downloads` takes.
const PRODUCT_TYPES: &[&str] = &[
    "easyaccess",
    "editorialsubscription",
    "imagepack",
    "premiumaccess",
    "royaltyfreesubscription",
    "creditpack",
    "aigen",
];

/// Whose downloads a token may see: its own user's, or with `company_downloads=true` the
/// whole company's (the sandbox's account is enabled for that).
fn visible<'a>(
    log: &'a [DownloadRecord],
    user: &'a str,
    company: bool,
) -> impl DoubleEndedIterator<Item = &'a DownloadRecord> {
    log.iter()
        .filter(move |record| company || record.user == user)
}

/// `GET /v3/images/{id}/downloadhistory[?company_downloads=true]`: who downloaded this image
/// when, under which product, newest first (a user token only).
pub async fn image_history(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    let user = authorize_user(&sandbox, &headers)?;
    only_known(&params, &["company_downloads"])?;
    let company = bool_param(&params, "company_downloads", false)?;
    let asset = data::lookup(&id).ok_or_else(|| SandboxError::ImageNotFound(id.clone()))?;
    let log = sandbox.downloads_log();
    let downloads: Vec<Value> = visible(&log, &user, company)
        .filter(|record| record.id == asset.id)
        .rev()
        .map(|record| {
            json!({
                "date_downloaded": rfc3339(record.at),
                "user": {"username": record.user},
                "product_type": record.product_type,
                "product_id": record.product_id,
                "agreement_name": record.agreement_name,
                "download_notes": record.notes,
                "project_code": record.project_code,
                "download_source": "API",
            })
        })
        .collect();
    Ok(Json(json!({ "id": asset.id, "downloads": downloads })))
}

/// Parameters `GET /v3/downloads` takes.
const DOWNLOADS_PARAMS: &[&str] = &[
    "company_downloads",
    "date_from",
    "date_to",
    "page",
    "page_size",
    "product_type",
    "use_time",
];

/// `GET /v3/downloads`: the account's downloads between `date_from` and `date_to` (by default
/// the last 30 days), newest first, a page at a time (a user token only).
pub async fn downloads(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    let user = authorize_user(&sandbox, &headers)?;
    let base = base_url(&headers)?;
    let query = DownloadsQuery::read(&params, unix_now())?;
    let log = sandbox.downloads_log();
    let matching: Vec<&DownloadRecord> = visible(&log, &user, query.company)
        .filter(|record| (query.from..=query.to).contains(&record.at))
        .filter(|record| {
            query
                .product_type
                .as_deref()
                .is_none_or(|wanted| record.product_type == wanted)
        })
        .rev()
        .collect();
    let skip = (query.page - 1).saturating_mul(query.page_size) as usize;
    let downloads: Vec<Value> = matching
        .iter()
        .skip(skip)
        .take(query.page_size as usize)
        .map(|record| historical(record, &base))
        .collect();
    Ok(Json(json!({
        "result_count": matching.len(),
        "downloads": downloads,
    })))
}

/// One entry of `GET /v3/downloads` (Getty's `HistoricalDownload`).
fn historical(record: &DownloadRecord, base: &str) -> Value {
    let thumb = DisplaySize::Thumb;
    let id = &record.id;
    json!({
        "date_downloaded": rfc3339(record.at),
        "id": id,
        "asset_type": "image",
        "product_type": record.product_type,
        "thumb_uri": format!(
            "{base}/sandbox/media/{}/{id}.png?s={}",
            thumb.as_str(),
            signature(thumb, id)
        ),
        "agreement_name": record.agreement_name,
        "product_id": record.product_id,
        "download_details": {
            "download_notes": record.notes,
            "project_code": record.project_code,
        },
        "download_source": "API",
        "user": {"username": record.user},
    })
}

/// A `GET /v3/downloads` query, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DownloadsQuery {
    /// First instant included (Unix seconds).
    from: u64,
    /// Last instant included.
    to: u64,
    page: u32,
    page_size: u32,
    product_type: Option<String>,
    company: bool,
}

impl DownloadsQuery {
    /// Reads `params` as Getty does at `now`: dates are whole days unless `use_time=true`;
    /// `date_to` defaults to today or 30 days after `date_from`, whichever is earlier, and
    /// `date_from` to 30 days before `date_to`.
    fn read(params: &[(String, String)], now: u64) -> Result<Self, SandboxError> {
        only_known(params, DOWNLOADS_PARAMS)?;
        let use_time = bool_param(params, "use_time", false)?;
        let company = bool_param(params, "company_downloads", false)?;
        let date = |name: &str| -> Result<Option<(u64, Option<u64>)>, SandboxError> {
            param(params, name)
                .map(|value| {
                    parse_date_param(value).ok_or_else(|| {
                        SandboxError::InvalidParameter(format!(
                            "{value:?} is not a valid value of the {name} parameter (an ISO \
                             8601 date, YYYY-MM-DD)."
                        ))
                    })
                })
                .transpose()
        };
        // The whole day unless times are to be used.
        let from = date("date_from")?.map(|(day, at)| match at {
            Some(at) if use_time => at,
            _ => day,
        });
        let to = date("date_to")?.map(|(day, at)| match at {
            Some(at) if use_time => at,
            _ => day + DAY - 1,
        });
        let (from, to) = match (from, to) {
            (Some(from), Some(to)) => (from, to),
            (Some(from), None) => (from, now.min(from.saturating_add(DEFAULT_WINDOW))),
            (None, Some(to)) => (to.saturating_sub(DEFAULT_WINDOW), to),
            (None, None) => (now.saturating_sub(DEFAULT_WINDOW), now),
        };
        if from > to {
            return Err(SandboxError::InvalidParameter(
                "date_from must not be after date_to.".to_owned(),
            ));
        }
        let whole = |name: &str, max: u32, default: u32| -> Result<u32, SandboxError> {
            match param(params, name) {
                None => Ok(default),
                Some(raw) => raw
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        SandboxError::InvalidParameter(format!(
                            "{raw:?} is not a valid value of the {name} parameter (a whole \
                             number from 1 to {max})."
                        ))
                    }),
            }
        };
        let product_type = param(params, "product_type")
            .map(|value| {
                PRODUCT_TYPES
                    .iter()
                    .find(|known| known.eq_ignore_ascii_case(value))
                    .map(|known| (*known).to_owned())
                    .ok_or_else(|| {
                        SandboxError::InvalidParameter(format!(
                            "{value:?} is not a valid value of the product_type parameter ({}).",
                            PRODUCT_TYPES.join(", ")
                        ))
                    })
            })
            .transpose()?;
        Ok(Self {
            from,
            to,
            page: whole("page", MAX_INT32, 1)?,
            page_size: whole("page_size", MAX_PAGE_SIZE, 30)?,
            product_type,
            company,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(query: &str, now: u64) -> Result<DownloadsQuery, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        DownloadsQuery::read(&pairs, now).map_err(|error| error.to_string())
    }

    /// 2026-11-03T10:00:00Z
    const NOV_3: u64 = 1_793_700_000;

    #[test]
    fn default_window_is_the_last_thirty_days() {
        let query = read("", NOV_3).expect("valid");
        assert_eq!((query.from, query.to), (NOV_3 - 30 * DAY, NOV_3));
        assert_eq!((query.page, query.page_size), (1, 30));
        assert!(!query.company && query.product_type.is_none());
    }

    #[test]
    fn dates_are_whole_days_unless_times_are_used() {
        let day = NOV_3 - 10 * 3600;
        let query = read(
            "date_from=2026-11-03T10:00:00&date_to=2026-11-03",
            NOV_3 + DAY,
        )
        .expect("valid");
        assert_eq!((query.from, query.to), (day, day + DAY - 1));
        let query = read(
            "date_from=2026-11-03T10:00:00&date_to=2026-11-03T11:00:00Z&use_time=true",
            NOV_3 + DAY,
        )
        .expect("valid");
        assert_eq!((query.from, query.to), (NOV_3, NOV_3 + 3600));
        // From a start date: 30 days on, or today if that is earlier.
        let query = read("date_from=2026-11-03", NOV_3 + 2 * DAY).expect("valid");
        assert_eq!((query.from, query.to), (day, NOV_3 + 2 * DAY));
        let query = read("date_to=2026-11-03", NOV_3 + 90 * DAY).expect("valid");
        assert_eq!(query.from, day + DAY - 1 - 30 * DAY);
    }

    #[test]
    fn refuses_what_getty_refuses() {
        for bad in [
            "page_size=101",
            "page_size=0",
            "page=0",
            "page=2147483648",
            "page=x",
            "product_type=stockphoto",
            "date_from=yesterday",
            "date_from=2026-11-04&date_to=2026-11-03",
            "company_downloads=yes",
            "use_time=1",
            "sort=newest",
        ] {
            assert!(read(bad, NOV_3).is_err(), "{bad}");
        }
        assert!(read("page=2147483647", NOV_3).is_ok());
        let query = read(
            "page=2&page_size=100&product_type=EditorialSubscription&company_downloads=true",
            NOV_3,
        )
        .expect("valid");
        assert_eq!((query.page, query.page_size), (2, 100));
        assert_eq!(query.product_type.as_deref(), Some("editorialsubscription"));
        assert!(query.company);
    }
}
