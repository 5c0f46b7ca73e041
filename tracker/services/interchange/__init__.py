"""CSV export and import of plans, assignments, milestones, groups and memberships.

Files open in Swedish Excel (UTF-8 with BOM, `;` by option, ISO dates) and cells
that a spreadsheet would run as a formula are neutralised. An import checks every
row of every file first and changes nothing when any row is wrong. Uses models and
services.activity; used by the CLI and the download views.
"""

from tracker.services.interchange.files import CsvOptions
from tracker.services.interchange.loading import (
    ImportProblems,
    import_dir,
    import_files,
)
from tracker.services.interchange.saving import export_dir, export_table

__all__ = [
    "CsvOptions",
    "ImportProblems",
    "export_dir",
    "export_table",
    "import_dir",
    "import_files",
]
