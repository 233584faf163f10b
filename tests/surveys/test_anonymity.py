"""The anonymity rules, tried against the ways one could break them (docs/anonymity.md)."""

from stegvis.surveys import anonymity


def test_k_is_never_below_five():
    assert anonymity.effective_k(3) == 5
    assert anonymity.effective_k(None) == 5
    assert anonymity.effective_k(8) == 8


def test_a_cell_below_k_is_hidden_and_its_complement_too():
    # class 4A 5 answers, 4B 1, the total 6 shown: 4B hidden, and 4A too, else 6 - 5 reveals 4B
    assert anonymity.hidden_cells({"4A": 5, "4B": 1}) == {"4A", "4B"}


def test_complement_is_the_next_smallest_cell():
    assert anonymity.hidden_cells({"a": 2, "b": 7, "c": 30}) == {"a", "b"}


def test_hidden_cells_together_rest_on_at_least_k():
    counts = {"a": 1, "b": 1, "c": 1, "d": 20, "e": 25}
    hidden = anonymity.hidden_cells(counts)
    assert {"a", "b", "c"} <= hidden
    assert sum(counts[c] for c in hidden) >= 5


def test_nothing_hidden_when_every_cell_reaches_k():
    assert anonymity.hidden_cells({"a": 5, "b": 9}) == set()


def test_without_a_total_only_small_cells_are_hidden():
    assert anonymity.hidden_cells({"a": 2, "b": 7}, total_shown=False) == {"a"}


def test_a_small_total_hides_everything():
    assert anonymity.hidden_cells({"a": 2, "b": 2}) == {"a", "b"}
    assert anonymity.total_hidden({"a": 2, "b": 2})


def test_empty_cells_are_not_secrets():
    assert anonymity.hidden_cells({"a": 0, "b": 8}) == set()


def test_raised_k_applies():
    assert anonymity.hidden_cells({"a": 6, "b": 20}, k=7) == {"a", "b"}


def test_no_figure_can_be_found_by_subtraction_at_any_level():
    tree = {"north": {"u1": 3, "u2": 12, "u3": 9}, "south": {"u4": 2, "u5": 2}, "west": {"u6": 40}}
    hidden_units, hidden_districts = anonymity.hidden_tree(tree)
    # south rests on 4 answers: hidden, and the next-smallest district too
    assert "south" in hidden_districts and "north" in hidden_districts
    assert ("south", "u4") in hidden_units and ("north", "u1") in hidden_units
    # every level: the hidden cells of a shown total rest on at least k answers together
    for district, units in tree.items():
        if district in hidden_districts:  # its total is hidden too: all its units are
            assert all((district, u) in hidden_units for u in units)
            continue
        hidden = [n for u, n in units.items() if (district, u) in hidden_units]
        assert not hidden or sum(hidden) >= 5
    assert sum(sum(tree[d].values()) for d in hidden_districts) >= 5


def test_free_text_needs_ten_responses():
    assert not anonymity.free_text_shown(9)
    assert anonymity.free_text_shown(10)
