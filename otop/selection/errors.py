"""What the selection committee's rules refuse."""

from __future__ import annotations

from otop.core.errors import Conflict, DomainError, NotAllowed


class InvalidApplication(DomainError):
    code = "invalid_application"


class NotOpenForScoring(Conflict):
    code = "not_open_for_scoring"


class AlreadyScored(Conflict):
    code = "already_scored"


class ConflictOfInterest(NotAllowed):
    code = "conflict_of_interest"


class NotTheChair(NotAllowed):
    code = "not_the_chair"


class AlreadyDecided(Conflict):
    code = "already_decided"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class NotAMember(NotAllowed):
    code = "not_a_committee_member"


class InvalidRule(DomainError):
    """The committee's criteria or decision rule would not work as given; nothing was changed."""

    code = "invalid_rule"
