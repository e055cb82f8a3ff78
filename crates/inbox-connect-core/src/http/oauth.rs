//! oauth2's token requests over our [`HttpClient`] through [`TokenHttp`] (oauth2 5 takes any `AsyncHttpClient`; its own
//! `reqwest` feature would pin another reqwest). Server trouble (5xx, 429) is retried once after
//! `Retry-After`, then reported as such: it is never a refusal of the user's sign-in.

use std::future::Future;
use std::pin::Pin;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

use super::{retry, HttpClient, NetworkFailure};

/// Why a token request got no usable HTTP answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TokenTransportError {
    /// The call failed on the way.
    #[error(transparent)]
    Network(NetworkFailure),
    /// The service answered 5xx or 429, also on the retry.
    #[error("the sign-in service answered HTTP {status}")]
    ServiceTrouble {
        /// The last HTTP status.
        status: u16,
    },
    /// oauth2 built a request reqwest cannot send (a bug, not the network).
    #[error("the token request could not be sent: {0}")]
    Request(String),
}

/// The adapter oauth2 calls: `request_async(&TokenHttp(&http))`.
pub(crate) struct TokenHttp<'a>(pub(crate) &'a HttpClient);

impl<'c> AsyncHttpClient<'c> for TokenHttp<'_> {
    type Error = TokenTransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let first = self.0.send_token_request(&request).await?;
            let status = first.status().as_u16();
            if !retry::is_server_trouble(status) {
                return Ok(first);
            }
            let Some(wait) = retry::token_retry_wait(retry::retry_after_header(first.headers()))
            else {
                return Err(TokenTransportError::ServiceTrouble { status });
            };
            tracing::info!(
                status,
                wait_ms = wait.as_millis() as u64,
                "the token endpoint is in trouble; one retry"
            );
            tokio::time::sleep(wait).await;
            let second = self.0.send_token_request(&request).await?;
            match second.status().as_u16() {
                status if retry::is_server_trouble(status) => {
                    Err(TokenTransportError::ServiceTrouble { status })
                }
                _ => Ok(second),
            }
        })
    }
}

impl HttpClient {
    async fn send_token_request(
        &self,
        request: &HttpRequest,
    ) -> Result<HttpResponse, TokenTransportError> {
        let url = request.uri().to_string();
        let failed = |e: reqwest::Error| TokenTransportError::Network(self.failure(&url, &e));
        let response = self
            .request(request.method().clone(), &url)
            .headers(request.headers().clone())
            .body(request.body().clone())
            .send()
            .await
            .map_err(failed)?;
        let mut answer = oauth2::http::Response::builder()
            .status(response.status())
            .version(response.version());
        for (name, value) in response.headers() {
            answer = answer.header(name, value);
        }
        let body = response.bytes().await.map_err(failed)?;
        answer
            .body(body.to_vec())
            .map_err(|e| TokenTransportError::Request(e.to_string()))
    }
}
