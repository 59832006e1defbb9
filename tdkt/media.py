"""Where media files live: the local file system (``MEDIA_ROOT``) or an object store (``TDKT_MEDIA_STORAGE=s3``).

Code that reads or writes media goes through Django's storage API (``default_storage``, a file field's ``storage``);
what only a local folder can do (``X-Accel-Redirect``, symlink checks, removing empty folders) asks :func:`is_local`
first."""

from django.core.files.storage import FileSystemStorage, default_storage


def is_local(storage=None):
    """True when the storage is a folder of this machine (or a shared mount), False for an object store."""
    return isinstance(storage if storage is not None else default_storage, FileSystemStorage)


def files_under(storage, folder="", skip=()):
    """Every stored name under ``folder`` (``""``: everything), depth first in name order; top-level folders
    in ``skip`` are left out. A folder that does not exist holds nothing."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    for name in sorted(folders):
        if not (folder == "" and name in skip):
            yield from files_under(storage, prefix + name)
    for name in sorted(files):
        yield prefix + name


def media_location(storage=None):
    """Where the media files are, for an operator: the folder, or ``s3://bucket/prefix`` of the object store."""
    storage = storage if storage is not None else default_storage
    if is_local(storage):
        return str(storage.location)
    location = getattr(storage, "location", "")
    return f"s3://{storage.bucket_name}/{location}".rstrip("/")
