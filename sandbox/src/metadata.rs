//! One image's metadata and its neighbours: `GET /v3/images/{id}`, `GET /v3/images?ids=`,
//! `GET /v3/images/{id}/similar` and `GET /v3/images/{id}/same-series`, with Getty's
//! parameters, field sets and refusals. An image keeps the subject of the search that showed
//! it (see [`crate::subjects`]), and its neighbours share it.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::data::{self, SearchPage, Series};
use super::error::SandboxError;
use super::fields::Fields;
use super::handlers::{authorize, base_url, rendered};
use super::params::{image_params, images_params, neighbour_params, PageParams};
use super::Sandbox;

/// Raw query pairs, read by hand so that bad values get Getty's error shape.
type Params = Query<Vec<(String, String)>>;

/// `GET /v3/images/{id}`: `{"images": [<the image>], "images_not_found": []}`, or `404
/// ImageNotFound`.
pub async fn image(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    authorize(&sandbox, &headers)?;
    let base = base_url(&headers)?;
    let fields = image_params(&params)?;
    sandbox.check_display_sizes(fields)?;
    let image = data::image(&id, &sandbox.subject_of(&id))
        .ok_or_else(|| SandboxError::ImageNotFound(id.clone()))?;
    let images = rendered(&sandbox, &headers, &[image], fields, &base);
    Ok(Json(json!({"images": images, "images_not_found": []})))
}

/// `GET /v3/images?ids=<id>,…`: the images found, in the order asked, and the ids of those
/// that are not.
pub async fn images(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    authorize(&sandbox, &headers)?;
    let base = base_url(&headers)?;
    let (ids, fields) = images_params(&params)?;
    sandbox.check_display_sizes(fields)?;
    let (mut found, mut not_found) = (Vec::new(), Vec::new());
    for id in ids {
        match data::image(id, &sandbox.subject_of(id)) {
            Some(image) => found.push(image),
            None => not_found.push(id),
        }
    }
    let images = rendered(&sandbox, &headers, &found, fields, &base);
    Ok(Json(
        json!({"images": images, "images_not_found": not_found}),
    ))
}

/// `GET /v3/images/{id}/similar`: images like this one, shaped as a search answer.
pub async fn similar(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    let (query, base) = neighbours_query(&sandbox, &headers, &params)?;
    let phrase = sandbox.subject_of(&id);
    let page = data::similar(&id, &phrase, query.page, query.page_size)
        .ok_or_else(|| SandboxError::ImageNotFound(id.clone()))?;
    Ok(neighbours(
        &sandbox,
        &headers,
        &page,
        &phrase,
        query.fields,
        &base,
    ))
}

/// `GET /v3/images/{id}/same-series`: the other images of a creative image's shoot, shaped as
/// a search answer (none for an image shot alone). Getty keeps series for creative images only
/// ("this functionality will not work for editorial assets"): an editorial id is not found.
pub async fn same_series(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, SandboxError> {
    let (query, base) = neighbours_query(&sandbox, &headers, &params)?;
    let phrase = sandbox.subject_of(&id);
    match data::same_series(&id, &phrase, query.page, query.page_size) {
        None => Err(SandboxError::ImageNotFound(id)),
        Some(Series::Editorial) => Err(SandboxError::NoSeries(id)),
        Some(Series::Creative(page)) => Ok(neighbours(
            &sandbox,
            &headers,
            &page,
            &phrase,
            query.fields,
            &base,
        )),
    }
}

/// The checks every neighbour request passes before its image is looked up: token, host,
/// parameters, display sizes; the query and the base of the URIs to answer with.
fn neighbours_query(
    sandbox: &Sandbox,
    headers: &HeaderMap,
    params: &[(String, String)],
) -> Result<(PageParams, String), SandboxError> {
    authorize(sandbox, headers)?;
    let base = base_url(headers)?;
    let query = neighbour_params(params)?;
    sandbox.check_display_sizes(query.fields)?;
    Ok((query, base))
}

/// A page of neighbours as a search answer; they keep the subject of the image they neighbour.
fn neighbours(
    sandbox: &Sandbox,
    headers: &HeaderMap,
    page: &SearchPage,
    phrase: &str,
    fields: Fields,
    base: &str,
) -> Json<Value> {
    sandbox.remember_subjects(&page.images, phrase);
    let images = rendered(sandbox, headers, &page.images, fields, base);
    Json(json!({"result_count": page.result_count, "images": images}))
}
