//! Which claim values find an Identity Store user under a trusted token issuer's
//! `identity_store_attribute_path` (`userName`, `emails.value`, `externalIds.value`), for
//! `idplane verify`'s identity coverage: by GetUserId per value, or by listing the store's users
//! once, whichever costs fewer requests (see [`list_budget`]). Not a kind.

use super::unique;
use crate::pagination::some_pages;
use crate::{AwsProvider, CONCURRENCY, none_if_missing};
use aws_sdk_identitystore::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::ProviderError;
use std::collections::BTreeSet;

/// Identity Store ListUsers' largest `MaxResults` (1-100).
pub const LIST_USERS_MAX_RESULTS: i32 = 100;

/// How many pages of the store's users to list before looking the rest up one by one, for
/// `values` distinct claim values under `path`.
///
/// GetUserId costs one request per value whatever the store's size; listing costs one request
/// per 100 users of the store, whose size no API tells beforehand. So the listing gets a budget
/// of a quarter of the GetUserId requests: a store of up to 25 users per value (2,500 users for
/// the default `--sample 100`) is read whole in at most that many pages, and a larger one costs
/// at most 1.25 times the GetUserId requests (the values found while listing are not looked
/// up again). Fewer than 4 values: GetUserId only. `externalIds.value` is listed whole:
/// GetUserId finds a user by an external id only together with its issuer (`ExternalId` needs
/// `Issuer` and `Id`), which the mapping does not name, and its unique attributes are only
/// `userName` and `emails.value`.
pub fn list_budget(path: &str, values: usize) -> usize {
    if by_get_user_id(path) {
        values / 4
    } else {
        usize::MAX
    }
}

/// Whether GetUserId's `UniqueAttribute` can find a user by this path ("the only valid paths are
/// userName and emails.value", GetUserId's reference).
fn by_get_user_id(path: &str) -> bool {
    matches!(path, "userName" | "emails.value")
}

/// The values of a store user under the path.
fn values_of(u: &t::User, path: &str) -> Vec<String> {
    match path {
        "userName" => u.user_name().map(str::to_string).into_iter().collect(),
        "emails.value" => u
            .emails()
            .iter()
            .filter_map(|e| e.value().map(str::to_string))
            .collect(),
        "externalIds.value" => u
            .external_ids()
            .iter()
            .map(|x| x.id().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

impl AwsProvider {
    /// The `values` that find a user of the instance's Identity Store under `path` (exact
    /// match). A path other than `userName`, `emails.value` and `externalIds.value` finds none.
    pub async fn identity_store_matches(
        &self,
        path: &str,
        values: &BTreeSet<String>,
    ) -> Result<BTreeSet<String>, ProviderError> {
        let mut found = BTreeSet::new();
        if values.is_empty() || !matches!(path, "userName" | "emails.value" | "externalIds.value") {
            return Ok(found);
        }
        let store = self.instance().await?.identity_store_id;
        let budget = list_budget(path, values.len());
        if budget > 0 {
            let store = store.as_str();
            let listed = some_pages(usize::MAX, budget, |token, _| async move {
                let out = self
                    .call("identitystore:ListUsers", || {
                        self.ids
                            .list_users()
                            .identity_store_id(store)
                            .max_results(LIST_USERS_MAX_RESULTS)
                            .set_next_token(token.clone())
                            .send()
                    })
                    .await?;
                let users: Vec<Vec<String>> =
                    out.users().iter().map(|u| values_of(u, path)).collect();
                Ok((users, out.next_token().map(str::to_string)))
            })
            .await?;
            found.extend(
                listed
                    .items
                    .into_iter()
                    .flatten()
                    .filter(|v| values.contains(v)),
            );
            if listed.complete || !by_get_user_id(path) {
                return Ok(found);
            }
        }
        let rest: Vec<&String> = values.difference(&found).collect();
        let store = store.as_str();
        let more: Vec<Option<String>> = stream::iter(rest)
            .map(|v| async move {
                let alt = unique(path, v)?;
                let out = none_if_missing(
                    self.call("identitystore:GetUserId", || {
                        self.ids
                            .get_user_id()
                            .identity_store_id(store)
                            .alternate_identifier(alt.clone())
                            .send()
                    })
                    .await,
                )?;
                Ok::<_, ProviderError>(out.map(|_| v.clone()))
            })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await?;
        found.extend(more.into_iter().flatten());
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_is_tried_when_it_can_be_cheaper_and_is_the_only_way_for_external_ids() {
        assert_eq!(list_budget("emails.value", 1), 0);
        assert_eq!(list_budget("userName", 3), 0);
        assert_eq!(list_budget("emails.value", 4), 1);
        assert_eq!(list_budget("emails.value", 100), 25);
        assert_eq!(list_budget("externalIds.value", 1), usize::MAX);
    }
}
