"""Decision rules of the committee (``paraat_core.voting``): quorum, outcome, minority.

Worked reference examples, each with its source:

* **Composition of the MIT** — evaluation of the MIT (seed 001 §2.3): "De commissieleden
  inclusief de voorzitter […] hebben stemrecht. Naast de voorzitter, bestaat het MIT
  momenteel uit negen van zulke leden" and "vijf commissieleden zonder stemrecht […] de vaste
  expertleden".  So 10 people may vote; the five expert members' positions are shown, never
  counted.
* **Quorum** — Gemeentewet art. 20 lid 1: a collegial body decides only when "meer dan de
  helft van het aantal zitting hebbende leden" takes part.  With ``quorum = 0.5`` and 10
  people with voting rights: more than 5, so **6** ballots are needed (abstentions count for
  the quorum: an abstainer takes part).
* **Outcome** — Gemeentewet art. 28 lid 1: a decision takes "meer dan de helft van het
  aantal uitgebrachte stemmen"; abstentions are not votes cast.  A tie (3 for, 3 against)
  is therefore *not* a majority: the draft is rejected.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paraat_core import voting
from paraat_core.voting import (
    ABSTAIN,
    AGREE,
    AGREE_WITH_RESERVATIONS,
    CONSENSUS,
    DISAGREE,
    DONT_KNOW,
    MAJORITY,
    NO_QUORUM,
    NO_VOTES,
    REJECTED,
    Ballot,
    Tally,
    VotingError,
    quorum_needed,
    tally,
)

#: The MIT in its 2022-2024 composition: chair + nine members with a vote (seed 001 §2.3).
MIT_ELIGIBLE = 10
MIT_EXPERT_MEMBERS = 5


def ballots(*choices: str, counted: bool = True) -> list[Ballot]:
    return [Ballot(choice=c, counted=counted) for c in choices]


def experts(*choices: str) -> list[Ballot]:
    return ballots(*choices, counted=False)


def mit(*choices: str, extra: list[Ballot] | None = None) -> Tally:
    return tally([*ballots(*choices), *(extra or [])], eligible=MIT_ELIGIBLE)


# ------------------------------------------------------------------------------------------
# Worked examples: the MIT composition
# ------------------------------------------------------------------------------------------


def test_quorum_for_the_mit_is_six_of_ten() -> None:
    """Gemeentewet art. 20 lid 1: more than half of 10 is 6."""
    assert quorum_needed(eligible=MIT_ELIGIBLE, quorum=0.5) == 6
    assert quorum_needed(eligible=MIT_ELIGIBLE) == 6  # 0.5 is the default
    assert voting.DEFAULT_QUORUM == 0.5


def test_six_ballots_with_one_dissent_is_a_majority_with_a_minority() -> None:
    result = mit(AGREE, AGREE, AGREE, AGREE, AGREE_WITH_RESERVATIONS, DISAGREE)
    assert result.outcome == MAJORITY
    assert result.has_minority
    assert (result.cast, result.needed, result.eligible) == (6, 6, 10)
    assert (result.agree, result.agree_with_reservations, result.disagree) == (4, 1, 1)
    assert result.support == 5 and result.abstain == 0 and result.quorum_reached


def test_everybody_agrees_is_consensus() -> None:
    result = mit(*[AGREE] * 6)
    assert result.outcome == CONSENSUS and not result.has_minority
    everybody = mit(*[AGREE] * 10)
    assert everybody.outcome == CONSENSUS and everybody.cast == 10


def test_agreeing_with_reservations_is_agreeing() -> None:
    """Reservations are no dissent: nobody disagrees, so it is consensus."""
    result = mit(AGREE, AGREE, AGREE, AGREE_WITH_RESERVATIONS, AGREE_WITH_RESERVATIONS, ABSTAIN)
    assert result.outcome == CONSENSUS
    assert result.support == 5


def test_five_ballots_of_ten_is_no_quorum() -> None:
    result = mit(*[AGREE] * 5)
    assert result.outcome == NO_QUORUM
    assert not result.quorum_reached and result.cast == 5 and result.needed == 6


def test_abstentions_count_for_the_quorum() -> None:
    """An abstainer takes part: 1 agree + 5 abstentions reach the quorum of 6 and, with
    nobody against, the one vote cast decides (art. 28: abstentions are not votes cast)."""
    result = mit(AGREE, ABSTAIN, ABSTAIN, ABSTAIN, ABSTAIN, ABSTAIN)
    assert result.quorum_reached and result.abstain == 5
    assert result.outcome == CONSENSUS


def test_a_tie_with_abstentions_is_rejected() -> None:
    """Gemeentewet art. 28: 3 of the 6 votes cast is not *more than* half; the two
    abstentions are not votes cast and do not break the tie."""
    result = mit(AGREE, AGREE, AGREE_WITH_RESERVATIONS, DISAGREE, DISAGREE, DISAGREE, ABSTAIN)
    assert result.quorum_reached
    assert result.outcome == REJECTED
    with_abstentions = mit(AGREE, AGREE, AGREE, DISAGREE, DISAGREE, DISAGREE, ABSTAIN, ABSTAIN)
    assert with_abstentions.outcome == REJECTED and with_abstentions.abstain == 2
    assert not with_abstentions.has_minority


def test_a_minority_of_supporters_is_rejected() -> None:
    assert mit(AGREE, AGREE, DISAGREE, DISAGREE, DISAGREE, DISAGREE).outcome == REJECTED


def test_all_abstain_is_no_votes() -> None:
    result = mit(*[ABSTAIN] * 6)
    assert result.outcome == NO_VOTES
    assert result.quorum_reached and result.support == 0 and result.disagree == 0


def test_five_expert_positions_do_not_count_for_quorum_or_outcome() -> None:
    """The five expert members (CPB, PBL, SCP, SER, RIVM behavioural unit) advise without
    a vote: their positions are shown (``positions``), never counted."""
    five_against = experts(*[DISAGREE] * MIT_EXPERT_MEMBERS)
    consensus = mit(*[AGREE] * 6, extra=five_against)
    assert consensus.outcome == CONSENSUS
    assert consensus.positions == 5 and consensus.disagree == 0 and consensus.cast == 6
    # Five expert positions in favour do not lift four ballots over the quorum.
    short = mit(*[AGREE] * 4, extra=experts(*[AGREE] * MIT_EXPERT_MEMBERS))
    assert short.outcome == NO_QUORUM and short.cast == 4 and short.positions == 5


def test_as_dict_carries_the_whole_count() -> None:
    result = mit(
        AGREE, AGREE, AGREE, AGREE, AGREE_WITH_RESERVATIONS, DISAGREE, extra=experts(AGREE)
    )
    assert result.as_dict() == {
        "outcome": MAJORITY,
        "eligible": 10,
        "needed": 6,
        "cast": 6,
        "agree": 4,
        "agree_with_reservations": 1,
        "disagree": 1,
        "abstain": 0,
        "positions": 1,
        "quorum_reached": True,
    }


# ------------------------------------------------------------------------------------------
# Rapid mode (urgent requests): agree / disagree / don't know
# ------------------------------------------------------------------------------------------


def test_rapid_dont_know_is_an_abstention() -> None:
    result = tally(
        ballots(AGREE, AGREE, AGREE, DONT_KNOW, DONT_KNOW, DISAGREE),
        eligible=MIT_ELIGIBLE,
        rapid=True,
    )
    assert result.abstain == 2 and result.cast == 6
    assert result.outcome == MAJORITY
    only_dont_know = tally(ballots(*[DONT_KNOW] * 6), eligible=MIT_ELIGIBLE, rapid=True)
    assert only_dont_know.outcome == NO_VOTES


def test_rapid_mode_refuses_reservations_and_abstain() -> None:
    with pytest.raises(VotingError, match="agree_reservations"):
        tally(ballots(AGREE_WITH_RESERVATIONS), eligible=MIT_ELIGIBLE, rapid=True)
    with pytest.raises(VotingError):
        tally(ballots(ABSTAIN), eligible=MIT_ELIGIBLE, rapid=True)


def test_regular_mode_refuses_dont_know() -> None:
    with pytest.raises(VotingError, match="dont_know"):
        tally(ballots(DONT_KNOW), eligible=MIT_ELIGIBLE)


# ------------------------------------------------------------------------------------------
# Refusals and edges
# ------------------------------------------------------------------------------------------


def test_unknown_choice_is_refused_even_as_an_expert_position() -> None:
    with pytest.raises(VotingError, match="unknown choice"):
        tally(ballots("maybe"), eligible=3)
    with pytest.raises(VotingError):
        tally(experts("maybe"), eligible=3)


def test_more_counted_ballots_than_voters_is_refused() -> None:
    with pytest.raises(VotingError, match="only 10 people may vote"):
        mit(*[AGREE] * 11)
    # Positions beyond the number of voters are fine: they are not counted.
    assert mit(*[AGREE] * 10, extra=experts(*[AGREE] * 20)).positions == 20


@pytest.mark.parametrize("quorum", [-0.1, 1.0, 1.5, math.nan, math.inf, "0.5", None])
def test_quorum_must_be_a_fraction_below_one(quorum: object) -> None:
    with pytest.raises(VotingError, match="quorum"):
        quorum_needed(eligible=10, quorum=quorum)  # type: ignore[arg-type]
    with pytest.raises(VotingError, match="quorum"):
        tally([], eligible=10, quorum=quorum)  # type: ignore[arg-type]


@pytest.mark.parametrize("eligible", [-1, True, 1.5, "10", None])
def test_eligible_must_be_a_non_negative_whole_number(eligible: object) -> None:
    with pytest.raises(VotingError, match="eligible"):
        quorum_needed(eligible=eligible)  # type: ignore[arg-type]


def test_quorum_zero_needs_a_single_ballot() -> None:
    assert quorum_needed(eligible=10, quorum=0) == 1
    assert tally(ballots(AGREE), eligible=10, quorum=0).outcome == CONSENSUS
    assert tally([], eligible=10, quorum=0).outcome == NO_QUORUM


def test_nobody_may_vote() -> None:
    assert quorum_needed(eligible=0) == 0
    empty = tally([], eligible=0)
    assert empty.outcome == NO_QUORUM and empty.cast == 0
    assert tally(experts(AGREE), eligible=0).outcome == NO_QUORUM


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------

REGULAR = st.sampled_from(voting.CHOICES)
#: Outcomes from least to most support; one more "agree" never moves down this order.
SUPPORT_ORDER = [NO_QUORUM, NO_VOTES, REJECTED, MAJORITY, CONSENSUS]
quorums = st.floats(min_value=0.0, max_value=0.99, allow_nan=False)


@st.composite
def rounds(draw: st.DrawFn, *, spare: int = 0) -> tuple[list[Ballot], int, float]:
    """Counted ballots and expert positions, with ``eligible`` at least the counted ones."""
    counted = draw(st.lists(REGULAR, max_size=15))
    positions = draw(st.lists(REGULAR, max_size=6))
    eligible = len(counted) + spare + draw(st.integers(min_value=0, max_value=8))
    quorum = draw(quorums)
    return [*ballots(*counted), *experts(*positions)], eligible, quorum


@given(rounds(spare=1))
def test_one_more_agree_never_lowers_the_outcome(case: tuple[list[Ballot], int, float]) -> None:
    cast, eligible, quorum = case
    before = tally(cast, eligible=eligible, quorum=quorum)
    after = tally([*cast, Ballot(AGREE)], eligible=eligible, quorum=quorum)
    assert SUPPORT_ORDER.index(after.outcome) >= SUPPORT_ORDER.index(before.outcome)
    if before.outcome in (CONSENSUS, MAJORITY):
        assert after.outcome == before.outcome
        assert after.outcome != REJECTED


@given(rounds(), st.randoms(use_true_random=False))
def test_order_of_the_ballots_does_not_matter(
    case: tuple[list[Ballot], int, float], rnd: random.Random
) -> None:
    cast, eligible, quorum = case
    shuffled = list(cast)
    rnd.shuffle(shuffled)
    assert tally(shuffled, eligible=eligible, quorum=quorum) == tally(
        cast, eligible=eligible, quorum=quorum
    )


@given(
    st.integers(0, 5),
    st.integers(0, 5),
    st.integers(0, 5),
    st.integers(0, 5),
    st.integers(0, 4),
    quorums,
    st.randoms(use_true_random=False),
)
def test_outcome_depends_only_on_the_counts(
    agree: int,
    reservations: int,
    disagree: int,
    abstain: int,
    spare: int,
    quorum: float,
    rnd: random.Random,
) -> None:
    choices = (
        [AGREE] * agree
        + [AGREE_WITH_RESERVATIONS] * reservations
        + [DISAGREE] * disagree
        + [ABSTAIN] * abstain
    )
    eligible = len(choices) + spare
    result = tally(ballots(*choices), eligible=eligible, quorum=quorum)
    rnd.shuffle(choices)
    assert tally(ballots(*choices), eligible=eligible, quorum=quorum) == result
    # ... and equals the rule written out from the counts
    support, cast = agree + reservations, len(choices)
    if cast < quorum_needed(eligible=eligible, quorum=quorum) or cast == 0:
        expected = NO_QUORUM
    elif support + disagree == 0:
        expected = NO_VOTES
    elif disagree == 0:
        expected = CONSENSUS
    elif support > disagree:
        expected = MAJORITY
    else:
        expected = REJECTED
    assert result.outcome == expected


@given(rounds(), st.lists(REGULAR, max_size=10))
def test_positions_never_change_the_count(
    case: tuple[list[Ballot], int, float], more: list[str]
) -> None:
    cast, eligible, quorum = case
    counted_only = [b for b in cast if b.counted]
    base = tally(counted_only, eligible=eligible, quorum=quorum)
    with_positions = tally([*cast, *experts(*more)], eligible=eligible, quorum=quorum)
    assert with_positions.outcome == base.outcome
    assert {k: v for k, v in with_positions.as_dict().items() if k != "positions"} == {
        k: v for k, v in base.as_dict().items() if k != "positions"
    }
    assert with_positions.positions == len(cast) - len(counted_only) + len(more)


@given(st.integers(0, 500), st.integers(0, 500), quorums, quorums)
def test_quorum_needed_is_monotone_and_more_than_the_fraction(
    e1: int, e2: int, q1: float, q2: float
) -> None:
    small_e, large_e = sorted((e1, e2))
    low_q, high_q = sorted((q1, q2))
    assert quorum_needed(eligible=small_e, quorum=q1) <= quorum_needed(eligible=large_e, quorum=q1)
    assert quorum_needed(eligible=e1, quorum=low_q) <= quorum_needed(eligible=e1, quorum=high_q)
    needed = quorum_needed(eligible=e1, quorum=q1)
    if e1 > 0:
        assert needed > q1 * e1  # *more than* the fraction ...
        assert needed - 1 <= q1 * e1 or needed == 1  # ... and the smallest such number
        assert 1 <= needed <= e1  # always reachable when everybody takes part
    else:
        assert needed == 0
