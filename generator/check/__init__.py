"""``draftgen check``: what a 组织部 first review would send back, on paper and in the words.

Rooms: :mod:`.model` (rules as data, findings, the report, switches),
:mod:`.base` (outline, text and house style), :mod:`.reviewer` (voice, rank,
titles, correspondence, reviewing norms), :mod:`.pages` (pagination),
:mod:`.stack` (雷同 and the meeting's set), :mod:`.run` (many files, workers,
Ctrl-C).  The rules themselves are data: templates/rules/check.yaml.
"""

from generator.check.model import FileReport, Finding, Report, Shared, Similar, disabled_rules, rules
from generator.check.run import check_files, check_one, check_read

__all__ = ["FileReport", "Finding", "Report", "Shared", "Similar", "check_files", "check_one", "check_read",
           "disabled_rules", "rules"]
