//! The one pagination loop of the provider: every `List*` call that pages with `NextToken`
//! (or Cognito's `PaginationToken`) goes through [`all_pages`], or through [`some_pages`] when
//! only the first items or pages are wanted (verify's bounded reads).

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
    let listed = some_pages(usize::MAX, usize::MAX, |token, _| page(token)).await?;
    Ok(listed.items)
}

/// What a bounded listing read.
#[derive(Debug)]
pub(crate) struct Listed<T> {
    /// At most the bound's number of items, in order.
    pub items: Vec<T>,
    /// Whether the listing reached its last page (nothing was left unread).
    pub complete: bool,
}

/// Fetches pages as [`all_pages`] does, but stops once `max_items` items are read or
/// `max_pages` pages are fetched, whichever comes first. `page` also gets how many items are
/// still wanted (to size its request's limit). A page may hold fewer items than asked for
/// while more follow (AWS pages that way: Cognito's ListUsers does), so a short page with a
/// next token does not end the loop.
pub(crate) async fn some_pages<T, F, Fut>(
    max_items: usize,
    max_pages: usize,
    mut page: F,
) -> Result<Listed<T>, ProviderError>
where
    F: FnMut(Option<String>, usize) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), ProviderError>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        if items.len() >= max_items || pages >= max_pages {
            return Ok(Listed {
                items,
                complete: false,
            });
        }
        let (batch, next) = page(token.take(), max_items - items.len()).await?;
        pages += 1;
        items.extend(batch);
        // A page holding more than asked for: what is cut off is unread.
        let cut = items.len() > max_items;
        items.truncate(max_items);
        match next {
            Some(t) => token = Some(t),
            None => {
                return Ok(Listed {
                    items,
                    complete: !cut,
                });
            }
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

    #[tokio::test]
    async fn a_bounded_listing_stops_at_the_item_or_page_bound() {
        let pages = |token: Option<String>, wanted: usize| async move {
            let start: usize = token.map_or(0, |t| t.parse().unwrap());
            // Pages of at most 2 items, whatever was asked: 0..5 in all.
            let end = (start + wanted.min(2)).min(5);
            let next = (end < 5).then(|| end.to_string());
            Ok(((start..end).collect::<Vec<usize>>(), next))
        };
        let l = some_pages(3, usize::MAX, pages).await.unwrap();
        assert_eq!((l.items, l.complete), (vec![0, 1, 2], false));
        let l = some_pages(usize::MAX, 1, pages).await.unwrap();
        assert_eq!((l.items, l.complete), (vec![0, 1], false));
        let l = some_pages(10, 10, pages).await.unwrap();
        assert_eq!((l.items, l.complete), (vec![0, 1, 2, 3, 4], true));
        let l = some_pages(0, 10, pages).await.unwrap();
        assert_eq!((l.items.len(), l.complete), (0, false));
    }
}
