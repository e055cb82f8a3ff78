//! Reading pages like a browser-less client: forms and their hidden fields, redirects, error pages.

use std::collections::HashMap;

use entra_sandbox::RunningSandbox;
use reqwest::{Client, Response, StatusCode};
use url::Url;

/// A form found on a page.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// Finds `<form id="{id}">` and its hidden inputs.
pub fn find_form(html: &str, id: &str) -> Option<Form> {
    let start = html.find(&format!("<form id=\"{id}\""))?;
    let end = html[start..].find("</form>")? + start;
    let form = &html[start..end];
    let open_end = form.find('>')?;
    let action = attr(&form[..open_end], "action")?;
    let fields = form
        .split("<input ")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| format!(" {tag}")))
        .filter(|tag| attr(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attr(&tag, "name")?, attr(&tag, "value").unwrap_or_default())))
        .collect();
    Some(Form { action, fields })
}

/// Submits a form with extra fields, as a browser would.
pub async fn submit(
    http: &Client,
    sb: &RunningSandbox,
    form: &Form,
    extra: &[(&str, &str)],
) -> Response {
    let mut fields: Vec<(String, String)> = form.fields.clone();
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let url = sb.base_url().join(&form.action).expect("action");
    http.post(url).form(&fields).send().await.expect("post")
}

/// The page's body, asserting the status.
pub async fn page(response: Response) -> String {
    response.text().await.expect("body")
}

/// Parameters of a redirect (query, or fragment for response_mode=fragment).
pub fn redirect_params(response: &Response) -> (Url, HashMap<String, String>) {
    assert_eq!(response.status(), StatusCode::FOUND, "expected a redirect");
    let location = response.headers()["location"].to_str().expect("location");
    let url = Url::parse(location).expect("absolute location");
    let pairs = url
        .query_pairs()
        .chain(url::form_urlencoded::parse(
            url.fragment().unwrap_or("").as_bytes(),
        ))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    (url, pairs)
}

/// The error page's or redirect's AADSTS code check: the page shows `AADSTS{code}`.
pub fn assert_error_page(html: &str, code: u32) {
    assert!(
        html.contains("id=\"error-message\"") && html.contains(&format!("AADSTS{code}: ")),
        "expected an AADSTS{code} error page: {html}"
    );
}

/// Asserts an error redirect's `error`, its `AADSTS{code}` description and the state of the app's
/// usual request.
pub fn assert_redirect_error(params: &HashMap<String, String>, error: &str, code: u32) {
    assert_eq!(params["error"], error, "{params:?}");
    assert!(
        params["error_description"].starts_with(&format!("AADSTS{code}: ")),
        "{params:?}"
    );
    assert_eq!(params["state"], "st-123");
}
