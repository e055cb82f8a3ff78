//! The query of a request to the receiver, read as RFC 6749 §3.1 wants it: no parameter may
//! appear twice (a map that keeps the last copy would let `state=WRONG&state=REAL` through).

use std::collections::HashMap;

/// A query that names a parameter more than once.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("a parameter appears more than once")]
pub(crate) struct RepeatedParameter;

/// Each parameter of `query` (percent-decoded), or an error when one repeats.
pub(crate) fn unique_params(query: &str) -> Result<HashMap<String, String>, RepeatedParameter> {
    let mut params = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if params
            .insert(name.into_owned(), value.into_owned())
            .is_some()
        {
            return Err(RepeatedParameter);
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_parameter_once_is_read_and_decoded() {
        let params = unique_params("code=a%2Bb&state=s+1&iss=https%3A%2F%2Fx").unwrap();
        assert_eq!(params["code"], "a+b");
        assert_eq!(params["state"], "s 1");
        assert_eq!(params["iss"], "https://x");
        assert!(unique_params("").unwrap().is_empty());
    }

    #[test]
    fn a_repeated_parameter_is_refused_whatever_its_values() {
        for query in [
            "state=WRONG&state=REAL",
            "state=REAL&state=REAL",
            "code=a&state=s&code=b",
            "error=x&error=x",
            // The same name spelled with percent-encoding is the same parameter.
            "state=a&st%61te=b",
        ] {
            assert_eq!(unique_params(query), Err(RepeatedParameter), "{query}");
        }
    }
}
