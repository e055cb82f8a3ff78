//! A test browser: receives the sign-in link like the system browser would, then walks the
//! provider's pages (plain HTML forms) with a cookie-keeping HTTP client, filling named fields and
//! pressing the named button, until the provider redirects back to the loopback receiver.

use std::time::Duration;

use inbox_connect_core::BrowserOpener;
use scraper::{Html, Selector};
use tokio::sync::mpsc;
use url::Url;

/// Hands opened links to the test instead of a real browser.
pub struct TestBrowser {
    links: mpsc::UnboundedSender<Url>,
}

impl TestBrowser {
    /// The opener and the receiving end of the links it was asked to open.
    pub fn new() -> (TestBrowser, mpsc::UnboundedReceiver<Url>) {
        let (links, rx) = mpsc::unbounded_channel();
        (TestBrowser { links }, rx)
    }
}

impl BrowserOpener for TestBrowser {
    fn open(&self, url: &Url) -> std::io::Result<()> {
        self.links
            .send(url.clone())
            .map_err(|_| std::io::Error::other("the test stopped listening"))
    }
}

/// The last page the walk reached.
#[derive(Debug)]
pub struct Landing {
    /// Its URL (the loopback receiver's clean URL, when the sign-in came back).
    pub url: Url,
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
}

/// The user's answers: field name → value. A named submit button is pressed when its
/// `name=value` pair is among the answers (`decision=accept`, `account=riley@...`); other fields
/// take the first answer with their name.
pub type Answers = Vec<(&'static str, String)>;

/// A cookie-keeping client that follows redirects like a browser.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        // A fresh connection per request: a pooled one the server already closed fails the
        // post with `IncompleteMessage` now and then.
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a test HTTP client")
}

/// Opens `url` and submits the forms on the way until the browser lands on a loopback page.
pub async fn walk(client: &reqwest::Client, url: &Url, answers: &Answers) -> Landing {
    let mut response = client
        .get(url.clone())
        .send()
        .await
        .expect("the sign-in link loads");
    for _ in 0..10 {
        let landing = Landing {
            url: response.url().clone(),
            status: response.status().as_u16(),
            body: response.text().await.expect("a page body"),
        };
        if landing.url.host_str() == Some("localhost") {
            return landing;
        }
        let Some(form) = Form::find(&landing.body, &landing.url, answers) else {
            // No form: an error page of the provider; the test looks at it.
            return landing;
        };
        response = form.submit(client).await;
    }
    panic!("the sign-in pages went on for more than ten forms");
}

/// A cookie-keeping client that does not follow redirects, for [`walk_to_redirect`].
pub fn manual_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a test HTTP client")
}

/// Like [`walk`], but stops at the provider's redirect to the loopback receiver and returns that
/// URL unvisited, so a benchmark can time what happens after the redirect. `client` must not
/// follow redirects ([`manual_client`]).
pub async fn walk_to_redirect(client: &reqwest::Client, url: &Url, answers: &Answers) -> Url {
    let mut response = client
        .get(url.clone())
        .send()
        .await
        .expect("the sign-in link loads");
    for _ in 0..20 {
        let here = response.url().clone();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .expect("a redirect has a Location");
            let next = here.join(location).expect("a valid Location");
            if next.host_str() == Some("localhost") {
                return next;
            }
            response = client.get(next).send().await.expect("the redirect loads");
            continue;
        }
        let body = response.text().await.expect("a page body");
        let form = Form::find(&body, &here, answers)
            .unwrap_or_else(|| panic!("no form and no redirect at {here}: {body}"));
        response = form.submit(client).await;
    }
    panic!("the sign-in pages went on for more than twenty steps");
}

/// A form to submit.
struct Form {
    action: Url,
    fields: Vec<(String, String)>,
}

impl Form {
    async fn submit(self, client: &reqwest::Client) -> reqwest::Response {
        client
            .post(self.action)
            .form(&self.fields)
            .send()
            .await
            .expect("the form posts")
    }

    fn find(html: &str, base: &Url, answers: &Answers) -> Option<Form> {
        let doc = Html::parse_document(html);
        let form_sel = Selector::parse("form").ok()?;
        let input_sel = Selector::parse("input, button").ok()?;
        let form = doc.select(&form_sel).find(|f| {
            f.value()
                .attr("method")
                .is_some_and(|m| m.eq_ignore_ascii_case("post"))
        })?;
        let action = base.join(form.value().attr("action").unwrap_or("")).ok()?;
        let answer = |name: &str| {
            answers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        let mut fields = Vec::new();
        let mut pressed = false;
        for input in form.select(&input_sel) {
            let el = input.value();
            let Some(name) = el.attr("name") else {
                continue;
            };
            let value = el.attr("value").unwrap_or("").to_owned();
            let kind = el.attr("type").unwrap_or(if el.name() == "button" {
                "submit"
            } else {
                "text"
            });
            match kind {
                "submit" => {
                    // Several answers may name the same button (`decision=request`, then
                    // `decision=return` on the next page): the first one on the page is pressed.
                    let wanted = answers.iter().any(|(n, v)| *n == name && *v == value);
                    if !pressed && wanted {
                        fields.push((name.to_owned(), value));
                        pressed = true;
                    }
                }
                "checkbox" | "radio" => {
                    if answer(name).is_some_and(|a| a == value || a == "on") {
                        fields.push((name.to_owned(), value));
                    }
                }
                _ => fields.push((name.to_owned(), answer(name).unwrap_or(value))),
            }
        }
        Some(Form { action, fields })
    }
}

/// Reads a query parameter of a URL.
pub fn query(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The loopback receiver's base URL from a sign-in link's `redirect_uri`.
pub fn loopback_of(sign_in_link: &Url) -> Url {
    let redirect = query(sign_in_link, "redirect_uri").expect("the link carries a redirect_uri");
    Url::parse(&redirect).expect("the redirect_uri is a URL")
}

/// What the loopback receiver answered to a plain request.
#[derive(Debug)]
pub struct Raw {
    /// HTTP status.
    pub status: u16,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// Body text.
    pub body: String,
}

/// Plain GET with no redirects followed, for poking the loopback receiver.
pub async fn get_raw(url: &str) -> Raw {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = client.get(url).send().await.expect("the loopback answers");
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let status = response.status().as_u16();
    Raw {
        status,
        location,
        body: response.text().await.unwrap_or_default(),
    }
}

/// Answers that sign in with these credentials and accept what is asked.
pub fn answers(login: &str, password: &str) -> Answers {
    vec![
        ("login", login.to_owned()),
        ("passwd", password.to_owned()),
        ("password", password.to_owned()),
        ("decision", "accept".to_owned()),
        ("account", login.to_owned()),
    ]
}
