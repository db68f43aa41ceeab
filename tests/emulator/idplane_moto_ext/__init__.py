"""idplane's extension of moto 5.2.5: the AWS operations moto lacks and AWS's update semantics.

`install()` must run before moto's server handles its first request.
"""

_INSTALLED = False


def install() -> None:
    """Patches moto in place. Safe to call more than once."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    from . import (
        accounts,
        cognitoidentity,
        cognitoidp,
        domains,
        identitystore,
        ssoadmin,
        ssooidc,
    )

    accounts.install()
    ssoadmin.install()
    cognitoidp.install()
    domains.install()
    cognitoidentity.install()
    identitystore.install()
    ssooidc.install()
