//! The one pagination loop of the provider: every `List*` call that pages with `NextToken`
//! goes through [`all_pages`].

use idplane_model::ProviderError;
use std::future::Future;

/// Fetches every page: calls `page` with no token first, then with each page's next token,
/// until a page comes back without one; returns the items of every page in order.
///
/// `page` sends one request (through [`crate::AwsProvider::call`], which owns the retries) and
/// answers the page's items and its next token.
pub(crate) async fn all_pages<T, F, Fut>(mut page: F) -> Result<Vec<T>, ProviderError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (batch, next) = page(token.take()).await?;
        items.extend(batch);
        match next {
            Some(t) => token = Some(t),
            None => return Ok(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_are_fetched_in_order_until_no_token() {
        let mut seen = Vec::new();
        let items = all_pages(|token: Option<String>| {
            seen.push(token.clone());
            async move {
                Ok(match token.as_deref() {
                    None => (vec![1, 2], Some("a".to_string())),
                    Some("a") => (vec![3], Some("b".to_string())),
                    _ => (vec![], None),
                })
            }
        })
        .await
        .unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(seen, [None, Some("a".into()), Some("b".into())]);
    }
}
