"""Batch planning: which bank entries and set phrases each member's draft takes, for the whole batch at once.

Before any draft is written the planner assigns bank entries to members
greedily: each entry goes to the member for whom it is least used and shares
least with the members already seen, so a branch's drafts do not read like
copies (balanced assignment, not independent random draws).  Only entries the
member may say are candidates (:mod:`generator.roles`: voice, rank, setting,
duty).  Causes and measures follow the chosen problems through the bank's
``answers`` (then ``group``, then closeness of wording); a member's fact pins
the problem it is closest to, independent of the seed.  Clause alternatives
``{甲|乙}`` are expanded here, sentence by sentence, to the option used in the
fewest drafts so far, so no long sentence reaches a third draft while the
bank offers another way to say it.  All choices are made up front from the
spec and seed (:func:`seeded_random`), so a draft is a pure function of its
plan, and plans can be packed (:meth:`Planner.share`) for worker processes
that adopt them (:meth:`Planner.adopt`) instead of planning.
"""

from generator.plan.fit import fits_member, fits_voice, post_words_match, voice_rules, wording_data
from generator.plan.model import PackedPicks, PackedPlan, Pick, Plan, pick_text, pick_title, seeded_index, seeded_random
from generator.plan.planner import FURTHER, Planner, Plans, first_clause, months_later
from generator.plan.spread import Member, Usage

__all__ = ["FURTHER", "Member", "PackedPicks", "PackedPlan", "Pick", "Plan", "Planner", "Plans", "Usage",
           "first_clause", "fits_member", "fits_voice", "months_later", "pick_text", "pick_title", "post_words_match",
           "seeded_index", "seeded_random", "voice_rules", "wording_data"]
