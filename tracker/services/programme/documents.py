"""An assignment's documents link: which addresses are accepted and how they show."""

from __future__ import annotations

import enum
import re

from flask_babel import lazy_gettext as _l

from tracker.errors import DomainError

# Web and file addresses: no spaces and none of <>" (they are written %3C and so on)
WEB = re.compile(r'https?://[^\s/?#<>"]+[^\s<>"]*', re.IGNORECASE)
FILE = re.compile(r'file://[^\s<>"]+', re.IGNORECASE)
# Folder paths: spaces allowed, not the characters Windows refuses in names
UNC = re.compile(r'\\\\[^\\/\s<>"|?*:]+\\[^\\/<>"|?*:]+[^<>"|?*:]*')  # \\server\share
DRIVE = re.compile(r'[A-Za-z]:[\\/][^<>"|?*:]*')  # G:\Allmänt\Handlingsplaner – AMF


class LinkKind(enum.Enum):
    """How a documents link is shown."""

    NONE = "none"  # empty
    WEB = "web"  # a link to follow
    PATH = "path"  # a file path to copy: browsers do not open them from a web page
    TEXT = "text"  # an older value that is neither: shown as plain text only


def link_kind(link: str) -> LinkKind:
    """Whether *link* is a web address, a file path, empty or something else."""
    if not link:
        return LinkKind.NONE
    if any(ord(char) < 32 or ord(char) == 127 for char in link):
        return LinkKind.TEXT
    if WEB.fullmatch(link):
        return LinkKind.WEB
    if FILE.fullmatch(link) or UNC.fullmatch(link) or DRIVE.fullmatch(link):
        return LinkKind.PATH
    return LinkKind.TEXT


def check_link(link: str) -> None:
    """Refuse anything but http(s)://, file://, UNC and drive paths."""
    if link_kind(link) is LinkKind.TEXT:
        raise DomainError(
            _l(
                "Write a web address that starts with https:// or http://, or a "
                "folder path such as \\\\server\\share\\folder or G:\\Folder."
            ),
            field="documents_link",
        )
