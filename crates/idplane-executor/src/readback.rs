//! The read-back of writes to a collection AWS lists whole (an application's access scopes:
//! [`Provider::reads_back_by_list`](idplane_model::Provider::reads_back_by_list)): each write
//! comes back [`Done::Unread`], and once no change of its collection (same kind, same parent) is
//! left pending or running, the executor reads the collection with one list and checks every
//! write against it, instead of each write reading its object back. The change counts as done
//! only then; waiting for the list holds no slot, so a collection larger than
//! `--parallelism` still needs one list.
//!
//! Why it is safe: the list is made only after every write it serves was answered (none of the
//! collection's changes is pending or running then), so nothing is checked against a list older
//! than its write. An object the list does not show (a list may lag a write) is read on its own
//! before the change fails.

use crate::error::ApplyError;
use crate::step::{Ctx, Done, check_converged, with_address};
use idplane_model::{Action, Address, Change, ErrorClass, Kind, LiveObject, ProviderError, Target};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// A collection: the kind and the parent's address.
pub(crate) type Key = (Kind, Option<Address>);

/// The collection a change writes to.
pub(crate) fn key(change: &Change) -> Key {
    (change.kind, change.parent.clone())
}

/// A write answered and not read back yet.
pub(crate) struct Unread<'a> {
    pub change: &'a Change,
    pub target: Target,
    pub id: String,
}

/// One list of a collection, made by the first read-back that needs it and shared by the
/// read-backs released with it.
pub(crate) type SharedList = Arc<OnceCell<Result<Vec<LiveObject>, ProviderError>>>;

/// Reads `unread` back from `list` (or on its own when the list does not show it) and checks it
/// converged; what the change came to.
pub(crate) async fn read_back<'a>(
    ctx: &Ctx<'_>,
    list: SharedList,
    unread: Unread<'a>,
) -> (&'a Change, Result<Done, ApplyError>) {
    let Unread { change, target, id } = unread;
    let address = &target.address;
    let result = async {
        let Some(parent) = target.parent_id.as_deref() else {
            return Err(ApplyError::ParentUnknown {
                address: address.clone(),
            });
        };
        let listed = list
            .get_or_init(|| ctx.provider.list_under(target.kind, parent))
            .await
            .as_ref()
            .map_err(|e| ApplyError::Provider(with_address(e.clone(), address)))?;
        let live = match listed.iter().find(|o| o.id == id) {
            Some(o) => Some(o.clone()),
            None => ctx
                .call(address, || {
                    ctx.provider.read(target.kind, Some(parent), &id)
                })
                .await
                .map_err(ApplyError::Provider)?,
        };
        let Some(live) = live else {
            return Err(ApplyError::Provider(
                ProviderError::new(
                    ErrorClass::Transient,
                    format!("read back {}", target.kind),
                    "",
                    format!("`{id}` was written, but is not found when read back"),
                )
                .at(address),
            ));
        };
        check_converged(address, &target.attrs, &live)?;
        Ok(match change.action {
            Action::Create => Done::Made {
                outputs: live.outputs,
            },
            Action::Update | Action::Adopt | Action::Replace(_) | Action::Delete | Action::NoOp => {
                Done::Applied {
                    outputs: live.outputs,
                }
            }
        })
    }
    .await;
    (change, result)
}
