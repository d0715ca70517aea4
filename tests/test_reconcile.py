"""Reconciliation of printed totals and deviations: the report's 1-tkr rounding is found, reported, and kept."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ks_data import reconcile as r
from ks_data import schema as s
from tests.helpers import FIXTURES_DIR, real_frames

POLITIK = "politik, stöd- och ledningsfunktioner som IT, offentlig service, ekonomi- och upphandling samt HR"
BOLAG = "kommunalägda bolag och kommunförbund"

# (table, row label, column, printed, computed): every difference between printed and computed in the 2020 report.
EXPECTED_MISMATCHES = sorted([
    (s.OPERATING, "Verksamhetens nettokostnader", s.OUTCOME_PREV, -90034, -90035),
    (s.NET_COSTS, POLITIK, s.DEVIATION, 1377, 1378),
    (s.NET_COSTS, BOLAG, s.DEVIATION, -2214, -2215),
    (s.NET_COSTS, "Summa", s.OUTCOME, -104869, -104868),
    (s.NET_COSTS, "Summa", s.DEVIATION, 677, 678),
    (s.INVESTMENTS, "Summa investeringar", s.DEVIATION, 1104, 1105),
    (s.INVESTMENTS, "Summa investeringar", s.DEVIATION, 1104, 1105),
])


def _as_tuples(mism: pd.DataFrame) -> list[tuple]:
    return sorted((t, lbl, c, int(p), int(q)) for t, lbl, c, p, q in
                  mism[[r.TABLE, r.ROW_LABEL, r.COLUMN, r.PRINTED, r.COMPUTED]].itertuples(index=False))


def test_real_data_has_exactly_the_seven_printed_rounding_differences():
    rec = r.calc_reconciliation(real_frames())
    mism = r.get_mismatches(rec)
    assert _as_tuples(mism) == EXPECTED_MISMATCHES
    assert (mism[r.DIFFERENCE] == mism[r.PRINTED] - mism[r.COMPUTED]).all()
    assert set(mism[r.DIFFERENCE].abs()) == {1}
    assert set(mism[s.YEAR]) == {2020}


def test_investment_sum_is_reported_once_per_check():
    mism = r.get_mismatches(r.calc_reconciliation(real_frames()))
    inv = mism[mism[r.TABLE] == s.INVESTMENTS]
    assert sorted(inv[r.CHECK]) == ["Avvikelse = budget − utfall", "Summaraden = summan av raderna ovanför"]


def test_real_reconciliation_covers_every_check():
    rec = r.calc_reconciliation(real_frames())
    checks = rec.groupby(r.TABLE)[r.CHECK].apply(set).to_dict()
    assert "Avvikelse = utfall − budget" in checks[s.OPERATING]
    assert "Raden = summan av dess varav-rader" in checks[s.NET_COSTS]
    assert "Summaraden = driftredovisningens 'Verksamhetens nettokostnader'" in checks[s.NET_COSTS]
    assert "Avvikelse = budget − utfall" in checks[s.INVESTMENTS]
    # The net cost sum row agrees with the operating statement on budget, outcome and deviation.
    cross = rec[rec[r.CHECK].str.startswith("Summaraden = driftredovisningens")]
    assert sorted(cross[r.COLUMN]) == sorted([s.BUDGET, s.OUTCOME, s.DEVIATION])
    assert (cross[r.DIFFERENCE] == 0).all()
    # The varav rows add up to Kommunledningskontor in every column.
    varav = rec[rec[r.CHECK] == "Raden = summan av dess varav-rader"]
    assert set(varav[r.ROW_LABEL]) == {"Kommunledningskontor"}
    assert (varav[r.DIFFERENCE] == 0).all()


@pytest.mark.parametrize(("table", "label", "column", "printed"), [
    (s.OPERATING, "Verksamhetens nettokostnader", s.OUTCOME_PREV, -90034),
    (s.NET_COSTS, POLITIK, s.DEVIATION, 1377),
    (s.NET_COSTS, BOLAG, s.DEVIATION, -2214),
    (s.NET_COSTS, "Summa", s.OUTCOME, -104869),
    (s.NET_COSTS, "Summa", s.DEVIATION, 677),
    (s.INVESTMENTS, "Summa investeringar", s.DEVIATION, 1104),
])
def test_mismatching_figures_stay_as_printed_in_the_data(table, label, column, printed):
    df = real_frames()[table]
    row = df[df[r.LABEL_COLUMN[table]] == label]
    assert len(row) == 1
    assert row.iloc[0][column] == printed


def test_calc_deviation_sign_per_table():
    budget, outcome = pd.Series([100, 0]), pd.Series([80, 2538])
    assert r.calc_deviation(budget, outcome, s.OPERATING).tolist() == [-20, 2538]
    assert r.calc_deviation(budget, outcome, s.NET_COSTS).tolist() == [-20, 2538]
    assert r.calc_deviation(budget, outcome, s.INVESTMENTS).tolist() == [20, -2538]


def test_reconciliation_of_missing_or_empty_tables_is_empty():
    assert r.calc_reconciliation({}).empty
    frames = real_frames()
    empty = {t: frames[t].iloc[0:0] for t in (s.OPERATING, s.NET_COSTS, s.INVESTMENTS)}
    rec = r.calc_reconciliation(empty)
    assert rec.empty
    assert list(rec.columns) == r.RESULT_COLUMNS


# --- a small frozen consistent economy (tests/data/economy_consistent.toml) ------------------------------------

PERTURBABLE = {
    s.OPERATING: (s.BUDGET, s.OUTCOME, s.DEVIATION, s.OUTCOME_PREV),
    s.NET_COSTS: (s.BUDGET, s.OUTCOME, s.DEVIATION),
    s.INVESTMENTS: (s.BUDGET, s.OUTCOME, s.DEVIATION),
}
_FIXTURE_DOC = tomllib.loads((FIXTURES_DIR / "economy_consistent.toml").read_text(encoding="utf-8"))


def _fixture_frames() -> dict[str, pd.DataFrame]:
    frames = {}
    for table, rows in _FIXTURE_DOC.items():
        df = pd.DataFrame(rows)
        df.insert(0, s.YEAR, 2020)
        frames[table] = df
    return frames


def test_frozen_consistent_economy_reconciles_without_difference():
    rec = r.calc_reconciliation(_fixture_frames())
    # 3 + 5 + 3 deviation checks, 4 + 3 + 3 sum checks, 3 varav checks, 3 cross checks.
    assert len(rec) == 27
    assert r.get_mismatches(rec).empty


FIXTURE_CELLS = [(table, i, col) for table, cols in PERTURBABLE.items()
                 for i in range(len(_FIXTURE_DOC[table])) for col in cols]


@pytest.mark.parametrize(("table", "i", "column"), FIXTURE_CELLS)
def test_every_changed_figure_of_the_frozen_economy_is_reported(table, i, column):
    frames = _fixture_frames()
    df = frames[table]
    label = df.at[i, r.LABEL_COLUMN[table]]
    df.loc[i, column] += 7
    mism = r.get_mismatches(r.calc_reconciliation(frames))
    assert not mism.empty
    assert set(mism[r.DIFFERENCE].abs()) == {7}
    assert set(mism[r.TABLE]) <= {table, s.NET_COSTS}  # a changed operating sum also disagrees with net costs
    if column == s.OUTCOME_PREV and df.at[i, s.ROW_KIND] == "post":
        assert mism[r.ROW_LABEL].tolist() == ["Verksamhetens nettokostnader"]
    else:
        assert label in set(mism[r.ROW_LABEL])


# --- properties on random consistent tables ----------------------------------------------------------------

amounts = st.integers(min_value=-500_000, max_value=500_000)


@st.composite
def consistent_frames(draw) -> dict[str, pd.DataFrame]:
    """Random operating, net cost and investment tables whose sums and deviations are all exact."""
    year = draw(st.integers(min_value=2015, max_value=2030))

    def row(table, label, kind, budget, outcome, **extra):
        dev = (outcome - budget) * r.DEVIATION_SIGN[table]
        return {s.YEAR: year, r.LABEL_COLUMN[table]: label, s.ROW_KIND: kind, s.BUDGET: budget, s.OUTCOME: outcome,
                s.DEVIATION: dev, **extra}

    # Net costs: units, some of which are split into varav rows, and a sum row.
    n_units = draw(st.integers(min_value=1, max_value=5))
    nc_rows = []
    for u in range(n_units):
        n_varav = draw(st.sampled_from([0, 0, 2, 3]))
        if n_varav:
            parts = [(draw(amounts), draw(amounts)) for _ in range(n_varav)]
            nc_rows.append(row(s.NET_COSTS, f"enhet {u}", "post", sum(b for b, _ in parts), sum(o for _, o in parts),
                               **{s.PARENT: None}))
            nc_rows += [row(s.NET_COSTS, f"del {u}.{k}", "varav", b, o, **{s.PARENT: f"enhet {u}"})
                        for k, (b, o) in enumerate(parts)]
        else:
            nc_rows.append(row(s.NET_COSTS, f"enhet {u}", "post", draw(amounts), draw(amounts), **{s.PARENT: None}))
    posts = [x for x in nc_rows if x[s.ROW_KIND] == "post"]
    nc_budget, nc_outcome = sum(x[s.BUDGET] for x in posts), sum(x[s.OUTCOME] for x in posts)
    nc_rows.append(row(s.NET_COSTS, "Summa", "summa", nc_budget, nc_outcome, **{s.PARENT: None}))

    # Operating: revenues and costs that add up to the same net cost, with previous year's outcome.
    rev_b, rev_o, rev_p, cost_p = draw(amounts), draw(amounts), draw(amounts), draw(amounts)
    op_rows = [
        row(s.OPERATING, "Intäkter", "post", rev_b, rev_o, **{s.OUTCOME_PREV: rev_p}),
        row(s.OPERATING, "Kostnader", "post", nc_budget - rev_b, nc_outcome - rev_o, **{s.OUTCOME_PREV: cost_p}),
        row(s.OPERATING, "Nettokostnader", "summa", nc_budget, nc_outcome, **{s.OUTCOME_PREV: rev_p + cost_p}),
    ]

    # Investments.
    n_inv = draw(st.integers(min_value=1, max_value=6))
    inv_rows = [row(s.INVESTMENTS, f"projekt {k}", "post", draw(amounts), draw(amounts)) for k in range(n_inv)]
    inv_rows.append(row(s.INVESTMENTS, "Summa investeringar", "summa", sum(x[s.BUDGET] for x in inv_rows),
                        sum(x[s.OUTCOME] for x in inv_rows)))

    def frame(rows):
        df = pd.DataFrame(rows)
        for col in (s.BUDGET, s.OUTCOME, s.DEVIATION, s.OUTCOME_PREV):
            if col in df:
                df[col] = df[col].astype("int64")
        return df

    return {s.OPERATING: frame(op_rows), s.NET_COSTS: frame(nc_rows), s.INVESTMENTS: frame(inv_rows)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=consistent_frames())
def test_consistent_tables_have_no_mismatch(frames):
    rec = r.calc_reconciliation(frames)
    assert len(rec) > 0
    assert r.get_mismatches(rec).empty


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=consistent_frames(), data=st.data(),
       d=st.integers(min_value=1, max_value=100_000) | st.integers(min_value=-100_000, max_value=-1))
def test_one_perturbed_figure_gives_a_mismatch_of_that_size(frames, data, d):
    # Choose the table and the kind of row first, so that rare rows (a unit with varav rows) are perturbed often.
    roles = {}
    for name, frame in frames.items():
        role = frame[s.ROW_KIND].where(~frame[r.LABEL_COLUMN[name]].isin(frame.get(s.PARENT, [])), "parent")
        for kind in sorted(set(role)):
            roles[(name, kind)] = list(frame.index[role == kind])
    table, kind = data.draw(st.sampled_from(sorted(roles)))
    df = frames[table]
    i = data.draw(st.sampled_from(roles[(table, kind)]))
    column = data.draw(st.sampled_from(PERTURBABLE[table]))
    label = df.at[i, r.LABEL_COLUMN[table]]
    kind = df.at[i, s.ROW_KIND]  # "post" again for a unit with varav rows
    df.loc[i, column] += d

    mism = r.get_mismatches(r.calc_reconciliation(frames))
    assert not mism.empty
    # Every reported difference is the perturbation itself, seen from one side or the other.
    assert set(mism[r.DIFFERENCE].abs()) == {abs(d)}
    here = mism[(mism[r.TABLE] == table) & (mism[r.ROW_LABEL] == label)]
    if column == s.DEVIATION:
        # The row's own deviation check sees exactly +d.
        own = here[(here[r.COLUMN] == s.DEVIATION) & here[r.CHECK].str.startswith("Avvikelse")]
        assert own[r.DIFFERENCE].tolist() == [d]
    if kind == "summa":
        own = here[(here[r.COLUMN] == column) & (here[r.CHECK] == "Summaraden = summan av raderna ovanför")]
        assert own[r.DIFFERENCE].tolist() == [d]
    if kind == "varav":
        parent = df.at[i, s.PARENT]
        whole = mism[(mism[r.ROW_LABEL] == parent) & (mism[r.CHECK] == "Raden = summan av dess varav-rader")]
        assert whole[r.DIFFERENCE].tolist() == [-d]
    if kind == "post" and column in (s.BUDGET, s.OUTCOME):
        # A changed budget or outcome shows in the row's own deviation check, with the table's sign ...
        sign = r.DEVIATION_SIGN[table] * (1 if column == s.BUDGET else -1)
        own = here[here[r.CHECK].str.startswith("Avvikelse")]
        assert own[r.DIFFERENCE].tolist() == [sign * d]
        # ... in the check against its varav rows, if it has any ...
        whole = here[here[r.CHECK] == "Raden = summan av dess varav-rader"]
        has_parts = table == s.NET_COSTS and (df[s.PARENT] == label).any()
        assert whole[r.DIFFERENCE].tolist() == ([d] if has_parts else [])
        # ... and, as a part, in the sum row.
        total = mism[(mism[r.TABLE] == table) & (mism[r.COLUMN] == column)
                     & (mism[r.CHECK] == "Summaraden = summan av raderna ovanför")]
        assert total[r.DIFFERENCE].tolist() == [-d]


@pytest.mark.parametrize(("check", "expected"), [
    ("Avvikelse = utfall − budget", "avvikelsen räknad ur budget och utfall"),
    ("Avvikelse = budget − utfall", "avvikelsen räknad ur budget och utfall"),
    ("Summaraden = summan av raderna ovanför", "summan av raderna ovanför"),
    ("Raden = summan av dess varav-rader", "summan av varav-raderna"),
    ("Summaraden = driftredovisningens 'Verksamhetens nettokostnader'", "jämfört med driftredovisningens summarad"),
    ("En ny kontroll", "En ny kontroll"),
])
def test_format_check(check, expected):
    assert r.format_check(check) == expected
