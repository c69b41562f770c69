//! `continuationToken` / `continuationUri` paging.

use crate::error::ApiError;
use crate::http::{Ctx, Query};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// One page of `all`, as `{value, continuationToken?, continuationUri?}`; both continuation
/// fields are left out on the last page.
pub(crate) fn page(all: Vec<Value>, query: &Query, ctx: &Ctx, page_size: usize) -> Result<Value, ApiError> {
    let start = match query.get("continuationToken") {
        Some(token) => decode(token)?,
        None => 0,
    };
    let end = start.saturating_add(page_size).min(all.len());
    let value: Vec<Value> = all.get(start..end).map(<[Value]>::to_vec).unwrap_or_default();
    let mut body = Map::new();
    body.insert("value".into(), Value::Array(value));
    if end < all.len() {
        let token = encode(end, page_size);
        let mut uri = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &query.0 {
            if !k.eq_ignore_ascii_case("continuationToken") {
                uri.append_pair(k, v);
            }
        }
        uri.append_pair("continuationToken", &token);
        body.insert("continuationToken".into(), Value::from(token));
        body.insert(
            "continuationUri".into(),
            Value::from(format!("{}{}?{}", ctx.base_url, ctx.path, uri.finish())),
        );
    }
    Ok(Value::Object(body))
}

/// The token holds `,offset,pageSize,0` like the service's (`LDEsMTAwMDAwLDA=`), in URL-safe
/// base64 so that it survives being pasted into a query string unencoded.
fn encode(offset: usize, page_size: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!(",{offset},{page_size},0"))
}

fn decode(token: &str) -> Result<usize, ApiError> {
    let invalid = || ApiError::bad_request("InvalidContinuationToken", "The continuation token is invalid");
    let bytes = URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let offset = text.split(',').nth(1).ok_or_else(invalid)?;
    offset.parse().map_err(|_| invalid())
}
