"""``analyse``: worked examples, brute-force references, pinned MCDA methods, properties.

Sources: SMAA-2 after Lahdelma, R. & Salminen, P. (2001), "SMAA-2: Stochastic multicriteria
acceptability analysis for group decision making", *Operations Research* 49(3), 444–454
(rank acceptability, central weights, confidence factors, pairwise winning indices as in
Tervonen, T. & Figueira, J. R. (2008), "A survey on stochastic multicriteria acceptability
analysis methods", *J. Multi-Criteria Decision Analysis* 15, 1–14).  The worked examples are
computed by hand in the docstrings; paraat's two-level weights are documented in
docs/methodology/assessment.md.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paraat_core.assessment import AssessmentError, analyse, load

from ._docs import LEVEL_NAMES, full_doc, grid_doc

ROOT = Path(__file__).resolve().parents[3]


def run(doc: dict[str, Any], **kw: Any) -> dict[str, Any]:
    kw.setdefault("samples", 4_000)
    kw.setdefault("seed", 7)
    return analyse(load(doc), **kw)


def rank_acc(result: dict[str, Any]) -> np.ndarray:
    return np.array([o["rank_acceptability"] for o in result["options"]])


# --------------------------------------------------------------------------- worked examples


def test_two_level_worked_example() -> None:
    """2 options, domains d0, d1 × groups g0, g1; point judgements (certainty high).

    A = +3 in (d0, g0), −3 elsewhere → v_A = 1 in (d0, g0), else 0.
    B = +3 in (d1, g0) and (d1, g1), −3 elsewhere → v_B = 1 in row d1.
    Domain weights (s, 1 − s), group weights (t, 1 − t), s, t ~ U(0, 1) independent:
      u_A = s·t,  u_B = 1 − s.  A first ⟺ s(1 + t) > 1 ⟺ s > 1/(1 + t).
      b_A^1 = ∫₀¹ (1 − 1/(1 + t)) dt = 1 − ln 2 ≈ 0.3069.
      Central weights of A: E[s | A first] = ∫₀¹ (1 − 1/(1 + t)²)/2 dt / (1 − ln 2)
        = ¼ / (1 − ln 2) ≈ 0.8146;  E[t | A first] = ∫₀¹ t²/(1 + t) dt / (1 − ln 2)
        = (ln 2 − ½) / (1 − ln 2) ≈ 0.6293.
      Per group (domains weighed): in g0 q_A = s, q_B = 1 − s → A wins iff s > ½: ½;
        in g1 q_A = 0 < q_B = 1 − s → B always wins.
      Judgements are exact, so both confidence factors are 1.
    """
    doc = grid_doc([[[3, -3], [-3, -3]], [[-3, -3], [3, 3]]], option_ids=["a", "b"])
    r = run(doc, samples=40_000, seed=3)
    p = 1 - math.log(2)
    np.testing.assert_allclose(rank_acc(r), [[p, 1 - p], [1 - p, p]], atol=0.01)
    cw = r["options"][0]["central_weights"]
    assert cw["domains"]["d0"] == pytest.approx(0.25 / p, abs=0.01)
    assert cw["groups"]["g0"] == pytest.approx((math.log(2) - 0.5) / p, abs=0.01)
    assert sum(cw["domains"].values()) == pytest.approx(1.0)
    assert r["options"][0]["confidence"] == 1.0 and r["options"][1]["confidence"] == 1.0
    assert r["group_winning"]["g0"][0][1] == pytest.approx(0.5, abs=0.01)
    assert r["group_winning"]["g1"][0][1] == 0.0 and r["group_winning"]["g1"][1][0] == 1.0
    assert r["winning"][0][1] == pytest.approx(p, abs=0.01)
    # explicit (equal weights ¼): S_A = ¼·3 + ¾·(−3) = −1.5, S_B = ½·3 + ½·(−3) = 0
    assert [o["score"]["explicit"] for o in r["options"]] == [-1.5, 0.0]
    assert [x["option"] for x in r["ladder"]] == ["b", "a"]
    assert r["ladder"][0]["beats_next"] == pytest.approx(1 - p, abs=0.01)
    assert r["robustness"]["level"] == "depends_on_weights"


def test_flat_worked_example_lahdelma_two_by_two() -> None:
    """One group, two domains: A = (+3, −3), B = (−3, +3) (the smaa.py worked example).

    w = (t, 1 − t), t ~ U(0, 1): A first iff t > ½: b^1 = ½ each; central weights A (¾, ¼),
    B (¼, ¾); expected rank 1.5; holistic (linear meta-weights (1, 0)) = ½.
    """
    doc = grid_doc([[[3], [-3]], [[-3], [3]]])
    r = run(doc, samples=40_000)
    np.testing.assert_allclose(rank_acc(r), 0.5, atol=0.01)
    a, b = r["options"]
    assert a["central_weights"]["domains"]["d0"] == pytest.approx(0.75, abs=0.01)
    assert b["central_weights"]["domains"]["d0"] == pytest.approx(0.25, abs=0.01)
    assert a["central_weights"]["groups"] == {"g0": 1.0}
    assert a["expected_rank"] == pytest.approx(1.5, abs=0.01)
    assert a["holistic"] == pytest.approx(0.5, abs=0.01)
    assert r["robustness"]["level"] == "depends_on_weights"


def test_explicit_view_hand_computed() -> None:
    """Weights domains (3, 1) → (¾, ¼); groups equal (½, ½); reach shares as given.

    Option z: all none → score 0.  Option m: d0/g0 small_negative reach 0.5 (−0.5),
    d1/g1 large_positive (+3): score = ¾·½·(−0.5) + ¼·½·3 = −0.1875 + 0.375 = 0.1875.
    Explicit order m, z; contributions of m sum to its score.
    """
    doc = grid_doc([[[0, 0], [0, 0]], [[-1, 0], [0, 3]]], option_ids=["z", "m"])
    doc["judgements"][4]["reach"] = {"share": 0.5}
    doc["weights"] = {"domains": {"d0": 3, "d1": 1}}
    r = run(doc)
    scores = {o["id"]: o["score"]["explicit"] for o in r["options"]}
    assert scores == {"z": 0.0, "m": pytest.approx(0.1875)}
    assert [rung["option"] for rung in r["ladder"]] == ["m", "z"]
    assert r["options"][1]["explicit_rank"] == 1
    parts = r["explanation"]["m"]
    assert sum(p["contribution"] for p in parts) == pytest.approx(0.1875)
    first = parts[0]
    assert first == {
        "domain": "d0",
        "group": "g0",
        "state": "assessed",
        "value": -0.5,
        "weight": 0.375,
        "contribution": -0.1875,
    }
    assert r["parameters"]["weights"]["domains"] == {"d0": 0.75, "d1": 0.25}
    assert r["parameters"]["weights_source"] == "file"


def test_sensitivity_switch_point_hand_computed() -> None:
    """Domains d0, d1, one group: A = (+2, −2), B = (0, 0).

    Score_A(t) = t·2 + (1 − t)·(−2) = 4t − 2 with t the weight of d0; B = 0.  They swap at
    t = ½: below B is first, above A.
    """
    doc = grid_doc([[[0], [0]], [[2], [-2]]], option_ids=["b", "a"])
    r = run(doc, samples=500)
    s0 = next(s for s in r["sensitivity"] if s["domain"] == "d0")
    assert s0["current"] == 0.5
    assert s0["weights"][0] == 0.0 and s0["weights"][-1] == 1.0 and len(s0["weights"]) == 11
    assert s0["orders"][0] == ["b", "a"] and s0["orders"][-1] == ["a", "b"]
    assert s0["switch_points"] == [{"weight": 0.5, "up": "a", "down": "b"}]


# --------------------------------------------------------------------------- brute force


def _simplex_grid(n: int, steps: int) -> np.ndarray:
    """Centroids of the equal-volume cells of the 1- or 2-simplex (uniform reference)."""
    if n == 1:
        return np.ones((1, 1))
    if n == 2:
        t = (np.arange(steps) + 0.5) / steps
        return np.column_stack([t, 1 - t])
    pts = []
    for i in range(steps):
        for j in range(steps - i):
            pts.append(((i + 1 / 3) / steps, (j + 1 / 3) / steps))
            if i + j <= steps - 2:
                pts.append(((i + 2 / 3) / steps, (j + 2 / 3) / steps))
    p = np.array(pts)
    return np.column_stack([p, 1 - p.sum(axis=1)])


def _brute_force(values: np.ndarray, n_dom: int, n_grp: int, steps: int = 60) -> np.ndarray:
    """Rank acceptabilities by enumerating (domain simplex × group simplex) on a fine grid."""
    m = values.shape[0]
    a = _simplex_grid(n_dom, steps)
    b = _simplex_grid(n_grp, steps)
    v = (values + 3) / 6
    util = np.einsum("idg,pd,qg->pqi", v, a, b).reshape(-1, m)
    counts = np.zeros((m, m))
    for u in util:
        greater = (u[None, :] - u[:, None] > 1e-12).sum(axis=1)
        ties = (np.abs(u[None, :] - u[:, None]) <= 1e-12).sum(axis=1)
        for i in range(m):
            for k in range(ties[i]):
                counts[i, greater[i] + k] += 1 / ties[i]
    return counts / len(util)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rank_acceptability_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_dom, n_grp = 3, 2
    values = rng.integers(-3, 4, size=(3, n_dom, n_grp))
    doc = grid_doc(values.tolist())
    r = run(doc, samples=30_000, seed=seed)
    np.testing.assert_allclose(rank_acc(r), _brute_force(values, n_dom, n_grp), atol=0.015)


def test_constraints_match_brute_force_on_the_constrained_region() -> None:
    """Constraint d0 ≥ d1 (domains) keeps the grid points with a_0 ≥ a_1 (uniform there)."""
    values = np.array([[[3], [-3], [0]], [[-3], [3], [1]], [[0], [0], [-1]]])
    doc = grid_doc(values.tolist())
    doc["constraints"] = [{"level": "domain", "more": "d0", "less": "d1"}]
    r = run(doc, samples=30_000, seed=5)
    a = _simplex_grid(3, 90)
    a = a[a[:, 0] >= a[:, 1]]
    u = np.einsum("id,pd->pi", (values[:, :, 0] + 3) / 6, a)
    first = np.bincount(u.argmax(axis=1), minlength=3) / len(u)
    np.testing.assert_allclose(rank_acc(r)[:, 0], first, atol=0.015)
    assert r["parameters"]["acceptance"] == pytest.approx(0.5, abs=0.02)


def test_interval_judgements_match_a_brute_force_over_values() -> None:
    """One criterion cell each, fixed weights: A uniform on [−1, 1] (certainty low, spread 1,
    uniform distribution) against B = +0.5 exactly: P(A > B) = P(U > 0.5) = 0.25."""
    doc = grid_doc([[[0]], [[0]]], option_ids=["a", "b"])
    doc["judgements"][0]["certainty"] = "low"
    doc["judgements"][1]["effect"] = "none"
    doc["judgements"][1]["reach"] = {"share": 1.0}
    doc["judgements"][1]["certainty"] = "high"
    doc["judgements"][1]["low"] = "none"
    doc["parameters"] = {"distribution": "uniform"}
    # B: value 0 exactly; A: uniform [−1, 1] → P(A > B) = ½
    r = run(doc, samples=40_000, seed=11)
    assert r["winning"][0][1] == pytest.approx(0.5, abs=0.01)
    assert r["options"][0]["score"]["p05"] == pytest.approx(-0.9, abs=0.03)
    assert r["options"][0]["score"]["p95"] == pytest.approx(0.9, abs=0.03)


# --------------------------------------------------------------------------- pinned methods


def _explicit_inputs(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    rng = np.random.default_rng(seed)
    values = rng.integers(-3, 4, size=(5, 3, 4))
    dw = rng.uniform(0.1, 3, 3).round(3)
    gw = rng.uniform(0.1, 3, 4).round(3)
    doc = grid_doc(values.tolist())
    doc["weights"] = {
        "domains": {f"d{k}": float(w) for k, w in enumerate(dw)},
        "groups": {f"g{k}": float(w) for k, w in enumerate(gw)},
    }
    return values, dw, gw, doc


@pytest.mark.parametrize("seed", [0, 1])
def test_explicit_ranking_pinned_against_pymcdm_wsm(seed: int) -> None:
    methods = pytest.importorskip("pymcdm.methods", reason="pymcdm is not installed")
    values, dw, gw, doc = _explicit_inputs(seed)
    r = run(doc, samples=200)
    w = np.outer(dw / dw.sum(), gw / gw.sum()).ravel()
    x = values.reshape(len(values), -1).astype(float)
    wsm = methods.WSM(normalization_function=lambda col, cost=False: (col + 3) / 6)
    pref = wsm(x, w, np.ones(x.shape[1]))
    ours = np.array([o["score"]["explicit"] for o in r["options"]])
    np.testing.assert_allclose((ours + 3) / 6, pref, atol=1e-6)
    np.testing.assert_array_equal(
        [o["explicit_rank"] for o in r["options"]], wsm.rank(pref).astype(int)
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_explicit_ranking_pinned_against_scikit_criteria(seed: int) -> None:
    skc = pytest.importorskip("skcriteria", reason="scikit-criteria is not installed")
    from skcriteria.agg.simple import WeightedSumModel

    values, dw, gw, doc = _explicit_inputs(seed)
    r = run(doc, samples=200)
    w = np.outer(dw, gw).ravel()
    x = (values.reshape(len(values), -1) + 3) / 6
    dm = skc.mkdm(x, [max] * x.shape[1], weights=w / w.sum())
    res = WeightedSumModel().evaluate(dm)
    ours = np.array([o["score"]["explicit"] for o in r["options"]])
    np.testing.assert_allclose((ours + 3) / 6, res.e_.score, atol=1e-6)
    np.testing.assert_array_equal([o["explicit_rank"] for o in r["options"]], res.rank_)


# --------------------------------------------------------------------------- properties

small_grids = st.integers(2, 4).flatmap(
    lambda m: st.integers(1, 3).flatmap(
        lambda nd: st.integers(1, 3).flatmap(
            lambda ng: st.lists(
                st.lists(
                    st.lists(st.integers(-3, 3), min_size=ng, max_size=ng),
                    min_size=nd,
                    max_size=nd,
                ),
                min_size=m,
                max_size=m,
            )
        )
    )
)
PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(small_grids, st.data())
def test_permuting_options_permutes_results(values: list[Any], data: st.DataObject) -> None:
    m = len(values)
    perm = data.draw(st.permutations(range(m)))
    ids = [f"o{i}" for i in range(m)]
    doc = grid_doc(values, option_ids=ids)
    shuffled = copy.deepcopy(doc)
    shuffled["options"] = [doc["options"][p] for p in perm]
    r1, r2 = run(doc, samples=500, seed=1), run(shuffled, samples=500, seed=1)
    by_id = {o["id"]: o for o in r2["options"]}
    for o in r1["options"]:
        other = by_id[o["id"]]
        # weights do not depend on the option order; values are exact, so results agree
        np.testing.assert_allclose(o["rank_acceptability"], other["rank_acceptability"])
        assert o["score"] == other["score"] and o["explicit_rank"] == other["explicit_rank"]
    assert {(d["better"], d["worse"]) for d in r1["dominance"]} == {
        (d["better"], d["worse"]) for d in r2["dominance"]
    }


@PROPS
@given(small_grids, st.integers(0, 2**16))
def test_dominated_option_never_ranks_first(values: list[Any], seed: int) -> None:
    """Add D = option 0 made one level worse in one cell (clipped): dominated by option 0."""
    v = np.array(values)
    dom = v[0].copy()
    idx = np.unravel_index(int(np.argmax(dom)), dom.shape)
    if dom[idx] == -3:
        return  # cannot be made worse
    dom[idx] -= 1
    doc = grid_doc([*values, dom.tolist()])
    r = run(doc, samples=1_000, seed=seed)
    d = r["options"][-1]
    assert any(x["better"] == "o0" and x["worse"] == d["id"] for x in r["dominance"])
    # exact dominance: u_o0 − u_D = w_cell / 6 > 0 in every sample, so D is never first
    assert d["rank_acceptability"][0] == 0.0
    assert r["winning"][len(values)][0] == 0.0


@PROPS
@given(small_grids, st.floats(0.01, 1000))
def test_scaling_explicit_weights_changes_nothing(values: list[Any], factor: float) -> None:
    doc = grid_doc(values)
    n_dom, n_grp = len(values[0]), len(values[0][0])
    doc["weights"] = {
        "domains": {f"d{k}": k + 1.0 for k in range(n_dom)},
        "groups": {f"g{k}": 2.0 for k in range(n_grp)},
    }
    scaled = copy.deepcopy(doc)
    for level in scaled["weights"].values():
        for k in level:
            level[k] *= factor
    r1, r2 = run(doc, samples=300), run(scaled, samples=300)
    assert [o["score"]["explicit"] for o in r1["options"]] == pytest.approx(
        [o["score"]["explicit"] for o in r2["options"]], abs=1e-6
    )
    assert r1["ladder"] == r2["ladder"]
    assert r1["sensitivity"] == r2["sensitivity"]


@PROPS
@given(small_grids, st.integers(0, 1000))
def test_rank_acceptability_rows_and_columns_sum_to_one(values: list[Any], seed: int) -> None:
    doc = grid_doc(values, certainty="low")  # intervals
    r = run(doc, samples=400, seed=seed)
    b = rank_acc(r)
    np.testing.assert_allclose(b.sum(axis=0), 1.0, atol=1e-9)
    np.testing.assert_allclose(b.sum(axis=1), 1.0, atol=1e-9)
    w = np.array(r["winning"])
    assert ((w + w.T) <= 1 + 1e-9).all()


def test_not_assessed_is_not_none() -> None:
    """A not-assessed cell is sampled over the whole scale, not read as 'no effect'."""
    base = [[[0, 0]], [[1, 0]]]
    with_none = run(grid_doc(base), samples=5_000)
    missing = copy.deepcopy(base)
    missing[1][0][1] = None
    with_gap = run(grid_doc(missing), samples=5_000)
    unknown = copy.deepcopy(base)
    unknown[1][0][1] = "unknown"
    with_unknown = run(grid_doc(unknown), samples=5_000)
    # With "none" option 1 is always better (exact); a gap makes it uncertain.
    assert with_none["options"][1]["rank_acceptability"][0] == 1.0
    assert with_gap["options"][1]["rank_acceptability"][0] < 0.9
    gap_cell = with_gap["distribution"]["o1"][0][1]
    assert gap_cell["state"] == "not_assessed" and gap_cell["value"] is None
    assert (gap_cell["low"], gap_cell["high"]) == (-3.0, 3.0)
    assert with_unknown["distribution"]["o1"][0][1]["state"] == "unknown"
    assert with_gap["options"][1]["cells"] == {
        "assessed": 1,
        "unknown": 0,
        "not_assessed": 1,
        "ungraded": 0,
    }
    assert with_gap["options"][1]["score"]["p95"] > with_none["options"][1]["score"]["p95"]
    assert any(w["code"] == "explicit_unknown" for w in with_gap["warnings"])
    # same numbers for unknown and not assessed (both: whole scale), different states
    assert (
        with_gap["options"][1]["rank_acceptability"]
        == with_unknown["options"][1]["rank_acceptability"]
    )


def test_unknown_effect_with_a_reach_ranges_over_that_share_only() -> None:
    """An unknown effect reaching 10 % of a group ranges over −0.3 … +0.3, uniformly.

    Hand check (one domain, one group, equal weights): option o1 has an unknown effect with
    reach 0.1, so its value is U(−0.3, 0.3); the zero option o0 has "small negative" (−1) on
    the whole group. o1 is then always better: its worst value −0.3 beats −1.
    """
    doc = grid_doc([[[-1]], [["unknown"]]])
    doc["judgements"][1]["reach"] = {"share": 0.1}
    r = run(doc, samples=5_000)
    cell = r["distribution"]["o1"][0][0]
    assert cell["state"] == "unknown" and cell["value"] is None
    assert (cell["low"], cell["high"], cell["reach"]) == (-0.3, 0.3, 0.1)
    assert r["options"][1]["rank_acceptability"] == [1.0, 0.0]
    p05, p95 = r["options"][1]["score"]["p05"], r["options"][1]["score"]["p95"]
    assert -0.3 <= p05 < -0.2 and 0.2 < p95 <= 0.3  # uniform: 5 % and 95 % of ±0.3
    # without the reach the same cell spans the whole scale and o1 is no longer always first
    doc["judgements"][1].pop("reach")
    wide = run(doc, samples=5_000)
    assert 0.5 < wide["options"][1]["rank_acceptability"][0] < 0.9


def test_same_seed_same_result_and_seed_reported() -> None:
    doc = full_doc()
    assert run(doc) == run(doc)
    r = analyse(load(doc), samples=300)
    again = analyse(load(doc), samples=300, seed=r["parameters"]["seed"])
    assert again == r


# --------------------------------------------------------------------------- result parts


def test_result_is_strict_json_and_has_the_contract_keys() -> None:
    r = run(full_doc(), mask_confidential=True)
    text = json.dumps(r, allow_nan=False)
    assert json.loads(text) == r
    assert list(r) == [
        "schema", "assessment", "parameters", "domains", "groups", "options", "ladder",
        "robustness", "dominance", "winning", "group_winning", "explanation", "sensitivity",
        "matrix", "distribution", "stacking", "rights", "lenses", "etd", "evidence", "warnings",
    ]  # fmt: skip
    assert r["schema"] == "paraat-assessment-result/1"
    for o in r["options"]:
        assert {"id", "name", "rank_acceptability"} <= set(o)
        assert sum(o["rank_acceptability"]) == pytest.approx(1.0)
    assert len(r["distribution"]["masks"]) == 3 and len(r["distribution"]["masks"][0]) == 2


def test_confidential_effectiveness_is_masked_everywhere() -> None:
    doc = full_doc()
    doc["options"][1]["effectiveness"]["source"] = "GEHEIM-OMT-42"
    masked = run(doc, mask_confidential=True)
    text = json.dumps(masked)
    assert "GEHEIM-OMT-42" not in text and "-0.05" not in text
    assert masked["options"][1]["effectiveness"] == {"confidential": True, "masked": True}
    row = masked["matrix"][1]
    assert row["masked"] is True and row["effect"] is None and row["source"] is None
    shown = run(doc)
    assert shown["matrix"][1]["effect"] == -0.05 and shown["matrix"][1]["masked"] is False
    assert masked["matrix"][2]["effect"] == -0.02  # not confidential


def test_full_document_parts() -> None:
    r = run(full_doc(), samples=3_000)
    opts = {o["id"]: o for o in r["options"]}
    # reach: 40,000 of 50,000 travellers → 0.8 × −2 = −1.6
    cell = r["distribution"]["test-duty"][2][1]
    assert cell["value"] == pytest.approx(-1.6) and cell["reach"] == pytest.approx(0.8)
    # range from low/high: small_negative with low moderate_negative, high none
    edu = r["distribution"]["masks"][1][0]
    assert (edu["low"], edu["value"], edu["high"]) == (-2.0, -1.0, 0.0)
    # certainty spread: moderate 0.5 on small_negative (reach 1) → [−1.5, −0.5]
    mh = r["distribution"]["test-duty"][0][0]
    assert (mh["low"], mh["high"]) == (-1.5, -0.5)
    assert opts["masks"]["certainty"] == "low"
    assert opts["test-duty"]["certainty"] == "very_low"
    assert r["etd"]["masks"]["certainty_computed"] == "low"
    assert r["etd"]["masks"]["advice"] == "conditional_for"
    assert r["etd"]["zero"]["certainty_computed"] == ""  # its only cell has no effect
    # stacking for the preferred option (masks): young people, vulnerable, 2 negative domains
    young = next(s for s in r["stacking"] if s["group"] == "young-people")
    assert young["option"] == "masks" and young["negative_domains"] == 2
    # burden = Σ_d a_d min(0, x): a = (½, ¼, ¼); mental −1·0.1, education −1
    assert young["burden"] == pytest.approx(-0.5 * 0.1 - 0.25 * 1)
    assert young["cumulative"] == pytest.approx(-1.5 - 0.3)
    assert young["flag"] and set(young["reasons"]) == {
        "vulnerable_multiple_domains",
        "cumulative_grows",
    }
    travellers = next(s for s in r["stacking"] if s["group"] == "travellers")
    assert not travellers["flag"] and travellers["burden_by_option"]["test-duty"] == pytest.approx(
        0.25 * -1.6
    )
    rights = r["rights"]["masks"]
    assert rights["tests"]["legitimate_aim"] == {"answer": "yes", "note": "volksgezondheid"}
    assert rights["open_questions"] == 14 - 2  # 7 tests + 7 checklist; 2 answered yes
    assert rights["touched"][0]["article"] == "8" and rights["absolute_touched"] == 0
    lenses = r["lenses"]["masks"]
    assert lenses["justice"]["vulnerable_groups_negative"] == ["young-people"]
    assert lenses["justice"]["note"] == "rechtvaardigheid"
    assert lenses["solidarity"]["groups_net_negative"] == ["young-people"]
    assert [c["domain"] for c in lenses["equal_opportunities"]["cells"]] == ["education"]
    assert [c["domain"] for c in r["lenses"]["test-duty"]["future_generations"]["cells"]] == [
        "economy"
    ]  # irreversible
    assert {e["ref"]: e["cells"] for e in r["evidence"]} == {"scp-2022": 2, "panel-2023": 1}
    codes = {w["code"] for w in r["warnings"]}
    assert {"synthetic", "reach_assumed", "explicit_unknown"} <= codes
    assert r["parameters"]["constraints"] == [
        {"level": "domain", "more": "mental-health", "less": "economy"}
    ]


def test_ladder_robustness_and_dominance() -> None:
    """o1 dominates o0 (certainly: point values), o0 dominates o2: a robust ladder."""
    doc = grid_doc([[[0, 0], [0, 0]], [[1, 1], [1, 0]], [[-1, 0], [0, -2]]])
    r = run(doc)
    assert [x["option"] for x in r["ladder"]] == ["o1", "o0", "o2"]
    assert r["ladder"][0]["rank1_share"] == 1.0 and r["ladder"][0]["beats_next"] == 1.0
    assert r["ladder"][-1]["beats_next"] is None
    assert r["robustness"]["level"] == "robust"
    assert {(d["better"], d["worse"], d["certain"]) for d in r["dominance"]} == {
        ("o1", "o0", True),
        ("o1", "o2", True),
        ("o0", "o2", True),
    }
    assert r["robustness"]["statement_facts"]["dominated"] == ["o0", "o2"]
    assert r["options"][2]["central_weights"] is None and r["options"][2]["confidence"] is None


def test_interval_dominance_is_not_certain_when_ranges_overlap() -> None:
    doc = grid_doc([[[0]], [[2]]], certainty="moderate")  # ±0.5: [−0.5, 0.5] vs [1.5, 2.5]
    r = run(doc)
    assert r["dominance"] == [{"better": "o1", "worse": "o0", "certain": True}]
    doc = grid_doc([[[0]], [[1]]], certainty="moderate")  # touching: 0.5 = 0.5, not strict
    assert run(doc)["dominance"] == [{"better": "o1", "worse": "o0", "certain": False}]
    doc = grid_doc([[[0]], [[1]]], certainty="low")  # ±1: overlapping
    r = run(doc)
    assert r["dominance"] == [{"better": "o1", "worse": "o0", "certain": False}]
    assert 0.9 < r["ladder"][0]["beats_next"] < 1.0  # overlapping ranges: not always


def test_unknown_cells_rule_out_dominance() -> None:
    r = run(grid_doc([[[0, 0]], [[1, "unknown"]]]))
    assert r["dominance"] == []


def test_decisive_domains_name_the_domain_that_splits_the_leaders() -> None:
    """A is better in d0, B in d1, both equal in d2: d0 and d1 decide, d2 does not."""
    doc = grid_doc([[[3], [-3], [0]], [[-3], [3], [0]]])
    r = run(doc, samples=20_000)
    assert set(r["robustness"]["decisive_domains"][:2]) == {"d0", "d1"}
    assert "d2" not in r["robustness"]["decisive_domains"]


def test_override_weights_and_bad_overrides() -> None:
    doc = grid_doc([[[0], [0]], [[2], [-2]]])
    r = analyse(load(doc), samples=300, seed=1, fixed_weights_override={"domains": {"d0": 1}})
    assert r["parameters"]["weights_source"] == "override"
    assert r["options"][1]["score"]["explicit"] == 2.0
    assert any(w["code"] == "weights_missing" for w in r["warnings"])
    with pytest.raises(AssessmentError) as info:
        analyse(load(doc), fixed_weights_override={"domains": {"dx": 1, "d0": -1}})
    assert {p.path for p in info.value.problems} == {
        "weights.domains.dx",
        "weights.domains.d0",
        "weights.domains",
    }
    with pytest.raises(AssessmentError):
        analyse(load(doc), samples=0)


def test_constraints_that_sampling_cannot_meet_raise_assessment_error() -> None:
    n = 9
    doc = grid_doc([[[0]] * n, [[1]] * n])
    doc["constraints"] = [
        {"level": "domain", "more": f"d{k}", "less": f"d{k + 1}"} for k in range(n - 1)
    ]  # a full order of 9: 1/9! ≈ 0.0003 % of the draws
    with pytest.raises(AssessmentError) as info:
        run(doc, samples=200)
    assert info.value.problems[0].path == "constraints"


def test_not_assessed_warning() -> None:
    r = run(grid_doc([[[0, None, None]], [[1, None, None]]]))
    assert any(w["code"] == "not_assessed" for w in r["warnings"])


@pytest.mark.parametrize("name", ["china-travel-2023.json", "school-closure-synthetic.json"])
def test_examples_analyse(name: str) -> None:
    from paraat_core.assessment import load_file

    path = ROOT / "examples/assessments" / name
    if not path.exists():
        pytest.skip(f"{name} is not there")
    r = analyse(load_file(path), samples=1_000, seed=1)
    assert json.dumps(r, allow_nan=False)
    assert all(sum(o["rank_acceptability"]) == pytest.approx(1.0) for o in r["options"])


def test_level_names_cover_the_scale() -> None:
    assert sorted(LEVEL_NAMES) == list(range(-3, 4))


cells_st = st.one_of(st.none(), st.just("unknown"), st.integers(-3, 3))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda m: st.lists(
            st.lists(st.lists(cells_st, min_size=2, max_size=2), min_size=2, max_size=2),
            min_size=m,
            max_size=m,
        )
    ),
    st.sampled_from(["high", "moderate", "low", "very_low", ""]),
    st.sampled_from(["triangular", "uniform"]),
    st.floats(0, 1),
    st.booleans(),
)
def test_any_valid_assessment_analyses_to_strict_json(
    values: list[Any], certainty: str, distribution: str, share: float, constrain: bool
) -> None:
    doc = grid_doc(values, certainty=certainty)
    doc["parameters"] = {"distribution": distribution}
    for j in doc["judgements"][::2]:
        if j["effect"] != "unknown":
            j["reach"] = {"share": share}
    if constrain:
        doc["constraints"] = [{"level": "group", "more": "g1", "less": "g0"}]
    r = run(doc, samples=300, seed=3, mask_confidential=True)
    json.dumps(r, allow_nan=False)
    b = rank_acc(r)
    np.testing.assert_allclose(b.sum(axis=1), 1.0, atol=1e-9)
    for o in r["options"]:
        s = o["score"]
        assert -3 <= s["p05"] <= s["p50"] <= s["p95"] <= 3
        assert -3 <= s["explicit"] <= 3
        assert sum(o["cells"][k] for k in ("assessed", "unknown", "not_assessed")) == 4


def test_rights_questions_added_as_data_keep_their_key() -> None:
    """A question a beheerder added (editable data) travels in the file under its own key and is
    reported after the standard ones; a key that is not a slug is refused with its path."""
    doc = full_doc()
    option = next(o for o in doc["options"] if o.get("rights"))
    option["rights"].setdefault("checklist", {})["doenvermogen"] = {
        "answer": "partly",
        "note": "Kunnen mensen dit opbrengen?",
    }
    r = run(doc, samples=200)
    checklist = r["rights"][option["id"]]["checklist"]
    assert list(checklist)[-1] == "doenvermogen"
    assert checklist["doenvermogen"]["answer"] == "partly"
    option["rights"]["checklist"]["Niet Goed!"] = {"answer": "yes"}
    with pytest.raises(AssessmentError) as caught:
        load(doc)
    assert any("checklist" in p.path for p in caught.value.problems)
