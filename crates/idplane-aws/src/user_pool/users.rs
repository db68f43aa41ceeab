//! The users of a pool, read for `idplane verify`'s identity coverage: the first N users with
//! their attributes (ListUsers, bounded) and the pool's estimated number of users
//! (DescribeUserPool). Not a kind: idplane never manages pool users.

use crate::AwsProvider;
use crate::pagination::some_pages;
use crate::verify::{PoolUser, PoolUsers};
use idplane_model::ProviderError;
use std::collections::BTreeMap;

/// ListUsers' largest `Limit` ("Maximum value of 60"; more is an `InvalidParameterException`).
pub const LIST_USERS_LIMIT: usize = 60;

impl AwsProvider {
    /// The first `max` users of the pool with every attribute, paged by ListUsers (`Limit` at
    /// most 60, continued while a page is short and a `PaginationToken` follows), and the
    /// pool's `EstimatedNumberOfUsers`. `max` 0 reads no user (one DescribeUserPool).
    ///
    /// No `AttributesToGet`: AWS answers an error when a user of the page lacks an attribute
    /// asked for that is not required, and the claim's attribute often is not required.
    pub async fn pool_users(&self, pool_id: &str, max: usize) -> Result<PoolUsers, ProviderError> {
        let pool = super::pool::describe(self, pool_id).await?;
        let estimated = u64::try_from(pool.estimated_number_of_users()).ok();
        let users = if max == 0 {
            Vec::new()
        } else {
            some_pages(max, usize::MAX, |token, wanted| {
                let limit = wanted.min(LIST_USERS_LIMIT) as i32;
                async move {
                    let out = self
                        .call("cognito-idp:ListUsers", || {
                            self.cip
                                .list_users()
                                .user_pool_id(pool_id)
                                .limit(limit)
                                .set_pagination_token(token.clone())
                                .send()
                        })
                        .await?;
                    let users = out
                        .users()
                        .iter()
                        .map(|u| PoolUser {
                            username: u.username().unwrap_or_default().to_string(),
                            attributes: u
                                .attributes()
                                .iter()
                                .map(|a| {
                                    (
                                        a.name().to_string(),
                                        a.value().unwrap_or_default().to_string(),
                                    )
                                })
                                .collect::<BTreeMap<_, _>>(),
                        })
                        .collect();
                    Ok((users, out.pagination_token().map(str::to_string)))
                }
            })
            .await?
            .items
        };
        Ok(PoolUsers { estimated, users })
    }
}
