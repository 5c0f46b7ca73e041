"""The files of an export and their columns, in the order they are imported."""

from __future__ import annotations

PLANS = "plans.csv"
GROUPS = "groups.csv"
ASSIGNMENTS = "assignments.csv"
MILESTONES = "milestones.csv"
MEMBERSHIPS = "memberships.csv"

# stable keys: a plan's and a group's slug, an assignment's, milestone's and
# membership's id (empty: a new one); people by e-mail address
COLUMNS: dict[str, tuple[str, ...]] = {
    PLANS: ("slug", "title", "goal", "owner", "position", "state"),
    GROUPS: (
        "slug",
        "name",
        "purpose",
        "starts_on",
        "ends_on",
        "seats",
        "recruitment",
        "state",
        "signup_deadline",
    ),
    ASSIGNMENTS: (
        "id",
        "plan",
        "title",
        "description",
        "stage",
        "responsible",
        "starts_on",
        "ends_on",
        "documents_link",
        "outcome",
        "position",
        "groups",
    ),
    MILESTONES: ("id", "assignment", "title", "due_on", "done"),
    MEMBERSHIPS: ("id", "group", "person", "role", "joined_on", "left_on"),
}
FILES = tuple(COLUMNS)
# several groups of one assignment in one cell
LIST_SEPARATOR = " | "
