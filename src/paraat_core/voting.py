"""Decision rules of the committee: quorum, outcome and the minority, from the ballots.

The MIT "strives for consensus, but its fixed members formally have voting rights"; its
expert members advise without a vote (evaluation of the MIT, seed 001 §2.2–2.3: the chair
and nine members vote, five expert members do not).  paraat records every ballot and
derives the outcome with these rules (``docs/methodology/voting.md``):

* Only ballots of people with voting rights count (``counted``).  Expert members'
  positions are shown beside the result, never counted.
* **Quorum**: the number of counted ballots (abstentions included: an abstainer takes
  part) must be *more than* ``quorum`` × the number of people with voting rights.  The
  default ``quorum = 0.5`` is the Dutch rule for collegial bodies (Gemeentewet art. 20
  lid 1: "meer dan de helft van het aantal zitting hebbende leden").  ``quorum = 0``
  means any single ballot suffices.
* **Outcome**, over the counted ballots that are not abstentions (Gemeentewet art. 28
  lid 1: a decision takes "meer dan de helft van het aantal uitgebrachte stemmen";
  abstentions are not votes cast):

  - ``no_quorum``  — quorum not reached (no decision);
  - ``no_votes``   — quorum reached but everybody abstained;
  - ``consensus``  — nobody disagrees (agreeing with reservations is agreeing);
  - ``majority``   — more than half agrees, a minority disagrees: its position is
    recorded with the advice;
  - ``rejected``   — half or fewer agree (a tie rejects): the draft is not adopted.

Rapid mode (urgent requests) asks the same question per pre-filled judgement with the
answers agree / disagree / don't know; "don't know" is treated as an abstention.

Dutch terms: quorum, consensus, meerderheid, minderheidsstandpunt, onthouding,
"eens met voorbehoud".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

AGREE: Final = "agree"
AGREE_WITH_RESERVATIONS: Final = "agree_reservations"
DISAGREE: Final = "disagree"
ABSTAIN: Final = "abstain"
DONT_KNOW: Final = "dont_know"

CHOICES: Final = (AGREE, AGREE_WITH_RESERVATIONS, DISAGREE, ABSTAIN)
RAPID_CHOICES: Final = (AGREE, DISAGREE, DONT_KNOW)
_SUPPORT: Final = frozenset({AGREE, AGREE_WITH_RESERVATIONS})
_ABSTAIN: Final = frozenset({ABSTAIN, DONT_KNOW})

NO_QUORUM: Final = "no_quorum"
NO_VOTES: Final = "no_votes"
CONSENSUS: Final = "consensus"
MAJORITY: Final = "majority"
REJECTED: Final = "rejected"
OUTCOMES: Final = (CONSENSUS, MAJORITY, REJECTED, NO_QUORUM, NO_VOTES)
DEFAULT_QUORUM: Final = 0.5


class VotingError(ValueError):
    """Input that the rules cannot apply to (unknown choice, impossible counts)."""


@dataclass(frozen=True)
class Ballot:
    choice: str
    counted: bool = True


@dataclass(frozen=True)
class Tally:
    outcome: str
    eligible: int
    needed: int
    """Counted ballots needed for the quorum."""
    cast: int
    """Counted ballots, abstentions included."""
    agree: int
    agree_with_reservations: int
    disagree: int
    abstain: int
    positions: int
    """Ballots shown but not counted (expert members)."""

    @property
    def quorum_reached(self) -> bool:
        return self.cast >= self.needed

    @property
    def support(self) -> int:
        return self.agree + self.agree_with_reservations

    @property
    def has_minority(self) -> bool:
        return self.outcome == MAJORITY

    def as_dict(self) -> dict[str, int | str | bool]:
        return {
            "outcome": self.outcome,
            "eligible": self.eligible,
            "needed": self.needed,
            "cast": self.cast,
            "agree": self.agree,
            "agree_with_reservations": self.agree_with_reservations,
            "disagree": self.disagree,
            "abstain": self.abstain,
            "positions": self.positions,
            "quorum_reached": self.quorum_reached,
        }


def quorum_needed(*, eligible: int, quorum: float = DEFAULT_QUORUM) -> int:
    """The smallest number of counted ballots that is *more than* ``quorum × eligible``.

    ``quorum = 0.5`` and 10 people with voting rights: more than 5, so 6.  At least one
    ballot is always needed when anybody may vote.
    """
    if isinstance(eligible, bool) or not isinstance(eligible, int) or eligible < 0:
        raise VotingError(f"eligible must be a non-negative whole number, not {eligible!r}")
    if not isinstance(quorum, int | float) or not (0.0 <= float(quorum) < 1.0):
        raise VotingError(f"quorum must be a fraction in [0, 1), not {quorum!r}")
    if eligible == 0:
        return 0
    return max(1, math.floor(float(quorum) * eligible) + 1)


def tally(
    ballots: Iterable[Ballot], *, eligible: int, quorum: float = DEFAULT_QUORUM, rapid: bool = False
) -> Tally:
    """Count ``ballots`` of a round in which ``eligible`` people have voting rights."""
    allowed = RAPID_CHOICES if rapid else CHOICES
    needed = quorum_needed(eligible=eligible, quorum=quorum)
    counts = dict.fromkeys((*CHOICES, DONT_KNOW), 0)
    positions = 0
    for ballot in ballots:
        if ballot.choice not in allowed:
            raise VotingError(f"unknown choice {ballot.choice!r}; expected one of {allowed}")
        if not ballot.counted:
            positions += 1
            continue
        counts[ballot.choice] += 1
    cast = sum(counts.values())
    if cast > eligible:
        raise VotingError(f"{cast} counted ballots but only {eligible} people may vote")
    support = counts[AGREE] + counts[AGREE_WITH_RESERVATIONS]
    against = counts[DISAGREE]
    abstain = counts[ABSTAIN] + counts[DONT_KNOW]
    if cast < needed or cast == 0:
        outcome = NO_QUORUM
    elif support + against == 0:
        outcome = NO_VOTES
    elif against == 0:
        outcome = CONSENSUS
    elif 2 * support > support + against:
        outcome = MAJORITY
    else:
        outcome = REJECTED
    return Tally(
        outcome=outcome,
        eligible=eligible,
        needed=needed,
        cast=cast,
        agree=counts[AGREE],
        agree_with_reservations=counts[AGREE_WITH_RESERVATIONS],
        disagree=against,
        abstain=abstain,
        positions=positions,
    )
