//! Redirect URI matching (docs/entra-reference.md §2): exact scheme, host, path (case-sensitive) and query; the port is
//! ignored for loopback hosts.

use url::Url;

/// Whether a requested redirect URI matches a registered one.
pub fn matches(registered: &str, requested: &Url) -> bool {
    let Ok(registered) = Url::parse(registered) else {
        return false;
    };
    let loopback = matches!(registered.host_str(), Some("localhost" | "127.0.0.1"));
    registered.scheme() == requested.scheme()
        && registered.host_str() == requested.host_str()
        && registered.path() == requested.path()
        && registered.query() == requested.query()
        && requested.fragment().is_none()
        && (loopback || registered.port_or_known_default() == requested.port_or_known_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    #[test]
    fn ref_2_port_ignored_for_localhost_but_path_case_matters() {
        assert!(matches("http://localhost", &url("http://localhost:51234/")));
        assert!(matches(
            "http://localhost/MyApp",
            &url("http://localhost:8080/MyApp")
        ));
        assert!(!matches(
            "http://localhost/MyApp",
            &url("http://localhost:8080/myapp")
        ));
        assert!(!matches(
            "http://localhost",
            &url("https://localhost:8080/")
        ));
        assert!(!matches("http://localhost", &url("http://127.0.0.1:8080/")));
        assert!(!matches(
            "https://app.example/cb",
            &url("https://app.example:444/cb")
        ));
    }
}
