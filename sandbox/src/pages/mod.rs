//! HTML pages: plain accessible HTML and CSS, no JavaScript required, everything echoed escaped.

pub mod authorize;
pub mod blocked;
pub mod error;
pub mod vendor;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Hidden inputs carrying the request's state through a form post.
pub fn hidden_inputs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                esc(k),
                esc(v)
            )
        })
        .collect()
}

const STYLE: &str = "body{margin:0;font-family:'Segoe UI',Helvetica,Arial,sans-serif;background:#f2f2f2;color:#1b1b1b}\
main{max-width:440px;margin:8vh auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}\
.logo{display:flex;align-items:center;gap:8px;font-size:15px;color:#737373;margin-bottom:16px}\
.logo i{display:inline-grid;grid-template-columns:9px 9px;gap:2px}\
.logo i b{width:9px;height:9px;display:block}\
h1{font-size:24px;font-weight:600;margin:16px 0 12px}\
label{display:block;margin:12px 0 4px;font-size:15px}\
textarea{width:100%;box-sizing:border-box;font:inherit}\
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px}\
.error{color:#e81123;margin:8px 0}\
.buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:24px}\
button{min-width:108px;padding:6px 12px;font-size:15px;border:1px solid #8c8c8c;background:#ccc;cursor:pointer}\
button.primary{background:#0067b8;color:#fff;border-color:#0067b8}\
ul.perms{padding-left:20px}ul.perms li{margin:8px 0}ul.perms small{display:block;color:#505050}\
.account{display:block;width:100%;text-align:left;background:#fff;border:0;border-bottom:1px solid #eee;padding:12px}\
.verified{color:#0067b8}.details{font-size:12px;color:#505050;word-break:break-all}";

/// A page in the sign-in box layout.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>{STYLE}</style></head>\n<body><main>\
<div class=\"logo\" aria-label=\"Microsoft\"><i aria-hidden=\"true\"><b style=\"background:#f25022\"></b><b style=\"background:#7fba00\"></b><b style=\"background:#00a4ef\"></b><b style=\"background:#ffb900\"></b></i>Microsoft</div>\n\
{body}</main></body></html>\n",
        title = esc(title)
    );
    (
        status,
        [
            (axum::http::header::CACHE_CONTROL, "no-store, no-cache"),
            (axum::http::header::X_FRAME_OPTIONS, "DENY"),
        ],
        Html(html),
    )
        .into_response()
}
