"""``POST images`` and ``PUT images/NAME``: the cluster-scoped Image objects.

Restates openshift-apiserver @56aa2d96 ``pkg/image/apiserver/registry/image/strategy.go``
(``PrepareForCreate``, ``Validate``, ``ValidateUpdate``) and
``pkg/image/apis/image/validation/validation.go`` ``validateImage``: the metadata of a
cluster-scoped object whose name is a path segment, and a ``dockerImageReference`` that
is required and must parse.  Upstream names an image after the digest of its manifest
(``InternalImageWithMetadata`` reads it from ``dockerImageManifest``); simkit keeps no
manifests, so it asks that the name *be* a digest (go-digest's grammar), which is what
every Image the importer and the integrated registry write is called.  Signatures,
layers and manifest lists are not modelled.
"""

from __future__ import annotations

from simkit.apiserver.errors import AlreadyExists, Invalid
from simkit.apiserver.field_errors import FieldError, invalid, required
from simkit.apiserver.objectmeta import validate_path_segment_name
from simkit.refs import InvalidReference, is_digest, parse_pull_spec
from simkit.state.cluster import Transaction
from simkit.state.images import Image

__all__ = [
    "IMAGE_QUALIFIED_KIND",
    "IMAGE_RESOURCE",
    "create_image",
    "update_image",
    "validate_image",
]

KIND = "Image"
IMAGE_RESOURCE = "images.image.openshift.io"
IMAGE_QUALIFIED_KIND = "Image.image.openshift.io"


def validate_image(image: Image) -> list[FieldError]:
    """``validateImage`` (cluster-scoped metadata, ``dockerImageReference``), plus
    simkit's rule that the name is the image's digest.

    Examples
    --------
    >>> [str(e) for e in validate_image(Image("sha256:" + "a" * 64, "", 0))]
    ['dockerImageReference: Required value']
    >>> [str(e) for e in validate_image(Image("app", "quay.io/a/b:1", 0))][0]
    'metadata.name: Invalid value: "app": simkit names an Image by its digest \
(sha256:<64 hex>), as the API server does from its manifest'
    """
    errors: list[FieldError] = []
    if not image.digest:
        errors.append(required("metadata.name", "name or generateName is required"))
    else:
        errors += [
            invalid("metadata.name", image.digest, why)
            for why in validate_path_segment_name(image.digest)
        ]
        if not errors and not is_digest(image.digest):
            errors.append(
                invalid(
                    "metadata.name",
                    image.digest,
                    "simkit names an Image by its digest (sha256:<64 hex>), "
                    "as the API server does from its manifest",
                )
            )
    if not image.docker_image_reference:
        errors.append(required("dockerImageReference"))
    else:
        try:
            parse_pull_spec(image.docker_image_reference)
        except InvalidReference as exc:
            errors.append(invalid("dockerImageReference", image.docker_image_reference, str(exc)))
    return errors


def create_image(tx: Transaction, image: Image) -> None:
    """``POST images``: validated, refused if an Image of that name exists.

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> cluster = Cluster()
    >>> image = Image("sha256:" + "a" * 64, "quay.io/a/b@sha256:" + "a" * 64, 0)
    >>> with cluster.transaction(lambda kind, **f: None) as tx:
    ...     create_image(tx, image)
    >>> cluster.get("Image", ("", image.digest)) == image
    True
    """
    errors = validate_image(image)
    if errors:
        raise Invalid(IMAGE_QUALIFIED_KIND, image.digest, errors)
    if tx.get(KIND, ("", image.digest)) is not None:
        raise AlreadyExists.of(IMAGE_RESOURCE, image.digest)
    tx.put(KIND, ("", image.digest), image)


def update_image(tx: Transaction, image: Image) -> bool:
    """``PUT images/NAME`` of an existing image; whether it changed (an equal object is
    not written).

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> cluster = Cluster()
    >>> image = Image("sha256:" + "a" * 64, "quay.io/a/b@sha256:" + "a" * 64, 0)
    >>> with cluster.transaction(lambda kind, **f: None) as tx:
    ...     create_image(tx, image)
    ...     update_image(tx, image), update_image(tx, Image(image.digest, "quay.io/a/c", 0))
    (False, True)
    """
    errors = validate_image(image)
    if errors:
        raise Invalid(IMAGE_QUALIFIED_KIND, image.digest, errors)
    if tx.get(KIND, ("", image.digest)) == image:
        return False
    tx.put(KIND, ("", image.digest), image)
    return True
