//! HTTP handlers of the fake Getty API.

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, HOST, LOCATION,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::auth::{credentials, TokenKind, DELIVERY_LIFETIME, TOKEN_LIFETIME};
use super::data::{self, AssetFamily, Dimensions, Image, ProductType};
use super::downloads::{DownloadData, DownloadRequest};
use super::error::SandboxError;
use super::fields::{self, Fields};
use super::images::{self, DisplaySize, DELIVERY_LONG_EDGE, DELIVERY_MEDIA_TYPE};
use super::params::{bool_param, only_known, param, search_params};
use super::Sandbox;
use crate::clock::unix_now;
use crate::SANDBOX_API_KEY;

pub use super::params::MAX_PHRASE_CHARS;

/// Raw query pairs: parsed by hand so bad values get Getty's error shape, not axum's.
type Params = Query<Vec<(String, String)>>;

/// `http://<Host>` of the request, so that issued URIs work on whatever port the sandbox got.
pub(super) fn base_url(headers: &HeaderMap) -> Result<String, SandboxError> {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-_:[]".contains(&b))
        })
        .ok_or(SandboxError::BadHost)?;
    Ok(format!("http://{host}"))
}

/// Checks the Api-Key and bearer token; whom the token speaks for.
pub(super) fn authorize(sandbox: &Sandbox, headers: &HeaderMap) -> Result<TokenKind, SandboxError> {
    let token = credentials(headers)?;
    sandbox
        .tokens()
        .kind(token, Instant::now())
        .ok_or(SandboxError::InvalidToken)
}

/// As [`authorize`], for the endpoints Getty only answers for a user of the account; the
/// user's name.
pub(super) fn authorize_user(
    sandbox: &Sandbox,
    headers: &HeaderMap,
) -> Result<String, SandboxError> {
    match authorize(sandbox, headers)? {
        TokenKind::User(user) => Ok(user),
        TokenKind::Client => Err(SandboxError::UserTokenRequired),
    }
}

/// Whether a token answer carries a refresh token, as Getty's do for user grants.
enum Refresh {
    None,
    Issue(String),
    Keep(String),
}

const INVALID_CLIENT: SandboxError = SandboxError::OAuth {
    status: StatusCode::UNAUTHORIZED,
    error: "invalid_client",
    description: "Unknown client_id or wrong client_secret.",
};

/// `POST /oauth2/token`: the sandbox's OAuth endpoint (client credentials, password, refresh).
pub async fn oauth_token(
    State(sandbox): State<Sandbox>,
    body: Bytes,
) -> Result<Json<Value>, SandboxError> {
    let form: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .map_err(|_| SandboxError::OAuth {
                status: StatusCode::BAD_REQUEST,
                error: "invalid_request",
                description: "The body must be application/x-www-form-urlencoded.",
            })?
            .into_iter()
            .collect();
    let field = |name: &str| form.get(name).map(String::as_str).filter(|v| !v.is_empty());
    let grant = field("grant_type").ok_or(SandboxError::OAuth {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_request",
        description: "grant_type is required.",
    })?;
    if field("client_id") != Some(SANDBOX_API_KEY)
        || field("client_secret") != Some(sandbox.client_secret())
    {
        return Err(INVALID_CLIENT);
    }
    let invalid_grant = |description| SandboxError::OAuth {
        status: StatusCode::BAD_REQUEST,
        error: "invalid_grant",
        description,
    };
    let (refresh, kind) = match grant {
        "client_credentials" => (Refresh::None, TokenKind::Client),
        "password" => {
            let (Some(user), Some(_)) = (field("username"), field("password")) else {
                return Err(invalid_grant("username and password are required."));
            };
            (
                Refresh::Issue(user.to_owned()),
                TokenKind::User(user.to_owned()),
            )
        }
        "refresh_token" => {
            let known =
                field("refresh_token").ok_or_else(|| invalid_grant("Unknown refresh_token."))?;
            let user = sandbox
                .tokens()
                .refresh_user(known)
                .map(str::to_owned)
                .ok_or_else(|| invalid_grant("Unknown refresh_token."))?;
            (Refresh::Keep(known.to_owned()), TokenKind::User(user))
        }
        _ => {
            return Err(SandboxError::OAuth {
                status: StatusCode::BAD_REQUEST,
                error: "unsupported_grant_type",
                description: "Supported grants: client_credentials, password, refresh_token.",
            })
        }
    };
    let mut tokens = sandbox.tokens();
    let access_token = tokens
        .issue_access(Instant::now(), kind)
        .map_err(|_| SandboxError::Internal)?;
    // Like the seed's example, expires_in is a string.
    let mut answer = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME.as_secs().to_string(),
    });
    let refresh_token = match refresh {
        Refresh::None => None,
        Refresh::Issue(user) => Some(
            tokens
                .issue_refresh(&user)
                .map_err(|_| SandboxError::Internal)?,
        ),
        Refresh::Keep(token) => Some(token),
    };
    if let Some(refresh_token) = refresh_token {
        answer["refresh_token"] = json!(refresh_token);
    }
    Ok(Json(answer))
}

fn search(
    sandbox: &Sandbox,
    headers: &HeaderMap,
    params: &[(String, String)],
    family: Option<AssetFamily>,
) -> Result<Json<Value>, SandboxError> {
    authorize(sandbox, headers)?;
    let base = base_url(headers)?;
    let query = search_params(family, params)?;
    sandbox.check_display_sizes(query.fields)?;
    let result = data::search_family(query.phrase, family, query.page, query.page_size);
    sandbox.remember_subjects(&result.images, query.phrase);
    let images = rendered(sandbox, headers, &result.images, query.fields, &base);
    Ok(Json(
        json!({"result_count": result.result_count, "images": images}),
    ))
}

/// `images` as an answer carries them: their `fields`, URIs under `base`, downloads from the
/// account's products, titles in the request's language.
pub(super) fn rendered(
    sandbox: &Sandbox,
    headers: &HeaderMap,
    images: &[Image],
    fields: Fields,
    base: &str,
) -> Vec<Value> {
    let language = language(headers);
    let products = sandbox.products();
    images
        .iter()
        .map(|image| {
            let mut rendered = fields::render(image, fields, base, &products);
            // Getty localises titles by Accept-Language; the sandbox marks them so tests can tell.
            if let (Some(language), Some(Value::String(title))) =
                (&language, rendered.get_mut("title"))
            {
                *title = format!("[{language}] {title}");
            }
            rendered
        })
        .collect()
}

/// The primary language of `Accept-Language`, unless it is English (the sandbox's own).
fn language(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(ACCEPT_LANGUAGE)?.to_str().ok()?;
    let primary = value
        .split([',', ';', '-'])
        .next()?
        .trim()
        .to_ascii_lowercase();
    let valid = !primary.is_empty()
        && primary.len() <= 8
        && primary.chars().all(|c| c.is_ascii_alphabetic());
    (valid && primary != "en").then_some(primary)
}

/// `GET /v3/search/images`: both families mixed.
pub async fn search_images(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    search(&sandbox, &headers, &params, None)
}

/// `GET /v3/search/images/creative`.
pub async fn search_creative(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    search(&sandbox, &headers, &params, Some(AssetFamily::Creative))
}

/// `GET /v3/search/images/editorial`.
pub async fn search_editorial(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    search(&sandbox, &headers, &params, Some(AssetFamily::Editorial))
}

/// Any other path under `/v3/`, any method: the gateway's answer to paths it does not route.
pub async fn unknown_path() -> SandboxError {
    SandboxError::UnknownPath
}

/// `GET /v3/countries`: a short constant list, for any valid token (Getty needs the key and a
/// token); the backend asks it whether a token said to be refused still works. Getty's only
/// parameter here is the `Accept-Language` header, so any query parameter is refused.
pub async fn countries(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    authorize(&sandbox, &headers)?;
    only_known(&params, &[])?;
    let countries: Vec<Value> = [
        ("DE", "DEU", "Germany"),
        ("FR", "FRA", "France"),
        ("GB", "GBR", "United Kingdom"),
        ("US", "USA", "United States"),
    ]
    .iter()
    .map(|(alpha_2, alpha_3, name)| {
        json!({"iso_alpha_2": alpha_2, "iso_alpha_3": alpha_3, "name": name})
    })
    .collect();
    Ok(Json(json!({ "countries": countries })))
}

/// `GET /v3/products`: the account's products (user tokens only).
pub async fn products(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    authorize_user(&sandbox, &headers)?;
    only_known(&params, &["fields"])?;
    let mut with_requirements = false;
    // Every item of `fields` must be a `ProductFieldValues`: an empty `fields=` (or an empty
    // item) names none, and Getty refuses it.
    for field in params
        .iter()
        .filter(|(name, _)| name == "fields")
        .flat_map(|(_, value)| value.split(','))
    {
        match field.trim() {
            name if name.eq_ignore_ascii_case("download_requirements") => with_requirements = true,
            other => {
                return Err(SandboxError::InvalidParameter(format!(
                    "{other:?} is not a valid value of the fields parameter."
                )))
            }
        }
    }
    let products: Vec<Value> = sandbox
        .products()
        .iter()
        .map(|product| product.to_json(with_requirements))
        .collect();
    Ok(Json(json!({ "products": products })))
}

/// Query parameters `POST /v3/downloads/images/{id}` takes.
const DOWNLOAD_PARAMS: &[&str] = &[
    "auto_download",
    "file_type",
    "height",
    "product_id",
    "product_type",
    "use_team_credits",
];

/// `POST /v3/downloads/images/{id}`: spends one download of the account and answers a delivery
/// link, or a redirect to it (Getty's default).
pub async fn download(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
    body: Bytes,
) -> Result<Response, SandboxError> {
    let user = authorize_user(&sandbox, &headers)?;
    let base = base_url(&headers)?;
    let request = download_request(&id, &params, &headers, &body)?;
    let auto_download = bool_param(&params, "auto_download", true)?;
    let record = sandbox.account().spend(request, &user, unix_now())?;
    // Getty's form, `https://delivery.gettyimages.com/downloads/<id>?k=…&e=…`: the last path
    // segment names the image.
    let id = record.id;
    let query = sandbox.delivery_query(&id, unix_now() + DELIVERY_LIFETIME.as_secs());
    let uri = format!("{base}/sandbox/delivery/downloads/{id}?{query}");
    Ok(if auto_download {
        (StatusCode::SEE_OTHER, [(LOCATION, uri)]).into_response()
    } else {
        Json(json!({ "uri": uri })).into_response()
    })
}

/// Reads and checks everything a download request says, before anything is spent.
fn download_request(
    id: &str,
    params: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<DownloadRequest, SandboxError> {
    only_known(params, DOWNLOAD_PARAMS)?;
    bool_param(params, "use_team_credits", false)?;
    if let Some(file_type) = param(params, "file_type") {
        if !["jpg", "eps"].contains(&file_type) {
            return Err(SandboxError::InvalidParameter(format!(
                "{file_type:?} is not a valid file_type (jpg, eps)."
            )));
        }
    }
    let requested = param(params, "product_type").ok_or_else(|| {
        SandboxError::MissingParameter("The product_type parameter is required.".to_owned())
    })?;
    let product_type = ProductType::parse(requested).ok_or_else(|| {
        SandboxError::InvalidParameter(format!("{requested:?} is not a valid product_type."))
    })?;
    let product_id = param(params, "product_id")
        .map(|raw| {
            raw.parse::<u32>().map_err(|_| {
                SandboxError::InvalidParameter(format!(
                    "The product_id parameter must be an integer, not {raw:?}."
                ))
            })
        })
        .transpose()?;
    let asset = data::lookup(id).ok_or_else(|| SandboxError::ImageNotFound(id.to_owned()))?;
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    Ok(DownloadRequest {
        id: asset.id,
        family: asset.asset_family,
        product_type: product_type.as_str(),
        product_id,
        data: DownloadData::parse(content_type, body)?,
    })
}

fn id_of_file(file: &str) -> Result<&str, SandboxError> {
    file.strip_suffix(".png")
        .filter(|id| data::lookup(id).is_some())
        .ok_or_else(|| SandboxError::ImageNotFound(file.to_owned()))
}

async fn png(size: Dimensions, id: &str, watermarked: bool) -> Result<Vec<u8>, SandboxError> {
    let seed = data::fnv1a(id.as_bytes());
    // Encoding a large image is CPU work; keep it off the async workers.
    tokio::task::spawn_blocking(move || images::gradient_png(size, seed, watermarked))
        .await
        .map_err(|_| SandboxError::Internal)?
        .map_err(|error| {
            tracing::error!(%error, "PNG encoding failed");
            SandboxError::Internal
        })
}

/// `GET /sandbox/media/{size}/{id}.png?s=…`: a watermarked rendition (thumb, preview, comp).
pub async fn media(
    Path((size, file)): Path<(String, String)>,
    Query(params): Params,
) -> Result<Response, SandboxError> {
    let id = id_of_file(&file)?;
    let size =
        DisplaySize::parse(&size).ok_or_else(|| SandboxError::ImageNotFound(file.clone()))?;
    if param(&params, "s") != Some(images::signature(size, id).as_str()) {
        return Err(SandboxError::BadSignature);
    }
    let original = data::lookup(id).ok_or_else(|| SandboxError::ImageNotFound(file.clone()))?;
    let body = png(
        images::fit(original.max_dimensions, size.long_edge()),
        id,
        true,
    )
    .await?;
    Ok((
        [
            (CONTENT_TYPE, "image/png"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response())
}

/// `GET /sandbox/delivery/downloads/{id}?k=…&e=…`: the "downloaded" file, only through a
/// link the download endpoint signed, as `GettyImages-<id>.png`, its pixels in the original's
/// aspect ratio.
pub async fn delivery(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Response, SandboxError> {
    let original = data::lookup(&id).ok_or_else(|| SandboxError::ImageNotFound(id.clone()))?;
    let expires = param(&params, "e")
        .and_then(|e| e.parse::<u64>().ok())
        .ok_or(SandboxError::BadSignature)?;
    let expected = sandbox.delivery_query(&original.id, expires);
    if param(&params, "k").map(|key| format!("k={key}&e={expires}")) != Some(expected) {
        return Err(SandboxError::BadSignature);
    }
    if expires <= unix_now() {
        return Err(SandboxError::LinkExpired);
    }
    let body = png(
        images::fit(original.max_dimensions, DELIVERY_LONG_EDGE),
        &original.id,
        false,
    )
    .await?;
    // As Getty's delivery: the browser saves the file rather than showing it, under Getty's name.
    let disposition = format!("attachment; filename=\"GettyImages-{}.png\"", original.id);
    Ok((
        [
            (CONTENT_TYPE, DELIVERY_MEDIA_TYPE.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
