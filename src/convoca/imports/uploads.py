"""A staff upload streamed straight into the data directory, refused past CONVOCA_IMPORT_MAX_BYTES.

The request body is never held in memory nor left in the system's temporary directory; the file
is private to the server process (mode 0600) and not under any URL.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from convoca.imports import runner


class FileTooLarge(Exception):
    pass


class StoredUpload(UploadedFile):
    def __init__(self, path: Path, name: str, size: int, content_type: str):
        super().__init__(open(path, "rb"), name=name, content_type=content_type, size=size)
        self.path = path


class StoreInDataDir(FileUploadHandler):
    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.path: Path | None = None
        self.handle = None
        self.written = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.handle is not None:  # one file per request
            self.discard()
        directory = runner.directory()
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.path = directory / runner.new_stored_name()
        self.handle = os.fdopen(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self.written = 0
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        self.written += len(raw_data)
        if self.written > self.limit:
            self.discard()
            raise FileTooLarge
        self.handle.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.handle.close()
        self.handle = None
        return StoredUpload(self.path, self.file_name, file_size, self.content_type)

    def upload_interrupted(self):
        self.discard()

    def discard(self):
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
