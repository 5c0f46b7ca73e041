"""Personal data: one registry of every table and column that can hold a person's or
an applicant's data (registry), and from it the purge of old applications (purge)
and a person's complete export (export); who may be named in what is published
(consent). Uses models and activity; used by views, the CLI, jobs and the digest.
"""

from tracker.services.privacy.export import export
from tracker.services.privacy.purge import expire_mail_bodies, purge

__all__ = ["expire_mail_bodies", "export", "purge"]
