"""The ServiceAccount admission plugin's refusal, as the API server words it.

Kubernetes ``plugin/pkg/admission/serviceaccount/admission.go`` (``Admit``): a pod whose
service account does not exist (after the plugin's short retry for ``default``) is
refused with ``admission.NewForbidden(a, fmt.Errorf("error looking up service account
%s/%s: %v", ...))``, which the API server returns as 403 ``Forbidden`` with the message
``pods "NAME" is forbidden: error looking up service account NS/SA: serviceaccount "SA"
not found`` (``apierrors.NewForbidden``: ``<resource> "<name>" is forbidden: <err>``).
A client (``oc run``, ``oc create -f``) gets the refusal at once: the pod never exists.
"""

from __future__ import annotations

from simkit.apiserver.errors import Forbidden

__all__ = ["service_account_forbidden", "service_account_lookup_error"]


def service_account_lookup_error(namespace: str, service_account: str) -> str:
    """The admission plugin's error for a service account that does not exist.

    Examples
    --------
    >>> service_account_lookup_error("demo", "default")
    'error looking up service account demo/default: serviceaccount "default" not found'
    """
    return (
        f"error looking up service account {namespace}/{service_account}: "
        f'serviceaccount "{service_account}" not found'
    )


def service_account_forbidden(namespace: str, pod: str, service_account: str) -> Forbidden:
    """The 403 the API server returns for pod ``pod`` whose account is missing.

    Examples
    --------
    >>> print(service_account_forbidden("demo", "web", "default"))
    Error from server (Forbidden): pods "web" is forbidden: error looking up service \
account demo/default: serviceaccount "default" not found
    """
    return Forbidden(
        f'pods "{pod}" is forbidden: ' + service_account_lookup_error(namespace, service_account)
    )
