"""The anonymity rules every survey figure obeys (docs/anonymity.md). Pure functions: they know
counts, not models, so the survey results, the exports and the self-reflection all use them.

- ``k``: no figure is shown that rests on fewer than k answers (``K_DEFAULT`` 5; an organiser may
  raise it, never lower it: ``effective_k``).
- Complementary suppression: where cells are hidden and their total is shown, further cells
  (the smallest first) are hidden until the hidden cells together rest on at least k answers,
  so no hidden figure can be found by subtraction (``hidden_cells``; the same at every level:
  groups in a unit, units in a district, districts in the organiser: ``hidden_tree``).
- Free text is shown only where the group has at least ``FREE_TEXT_MIN`` responses
  (``free_text_shown``), and only to the people ``Access.can_read_survey_free_text`` names.
"""

K_DEFAULT = 5
FREE_TEXT_MIN = 10


def effective_k(k=None):
    """The threshold in force: the organiser's own, but never below ``K_DEFAULT``."""
    try:
        k = int(k)
    except (TypeError, ValueError):
        return K_DEFAULT
    return max(K_DEFAULT, k)


def shown(n, k=None):
    """May a figure resting on ``n`` answers be shown on its own?"""
    return n >= effective_k(k)


def hidden_cells(counts, *, k=None, total_shown=True):
    """The keys of ``counts`` ({cell: number of answers}) whose figures must be hidden.

    A cell with fewer than k answers (and at least one) is hidden. When a total over the cells
    is shown, the hidden cells together must rest on at least k answers, else the smallest
    shown cells are hidden too, one by one, so that total minus the shown cells reveals no
    figure below k. A cell with no answers has no figure to hide and is never chosen. When the
    total itself rests on fewer than k answers, everything is hidden (and the total too, see
    ``total_hidden``).
    """
    k = effective_k(k)
    total = sum(counts.values())
    if total_shown and 0 < total < k:
        return {key for key, n in counts.items() if n > 0}
    hidden = {key for key, n in counts.items() if 0 < n < k}
    if not total_shown:
        return hidden
    candidates = sorted((n, str(key), key) for key, n in counts.items() if n > 0 and key not in hidden)
    while hidden and sum(counts[key] for key in hidden) < k and candidates:
        hidden.add(candidates.pop(0)[2])
    return hidden


def total_hidden(counts, *, k=None):
    """Must the total over ``counts`` be hidden (it rests on fewer than k answers)?"""
    total = sum(counts.values())
    return 0 < total < effective_k(k)


def hidden_tree(tree, *, k=None):
    """Suppression at every level of a tree of counts.

    ``tree`` is ``{parent: {child: n}}`` (units per district, say); the parents' totals and a
    grand total are shown. Returns ``(hidden children, hidden parents)``: children hidden within
    their parent (``hidden_cells``), parents hidden within the grand total. A parent that is
    hidden hides all its children too.
    """
    hidden_children, parent_counts = set(), {}
    for parent, children in tree.items():
        hidden_children |= {(parent, child) for child in hidden_cells(children, k=k)}
        parent_counts[parent] = sum(children.values())
    hidden_parents = hidden_cells(parent_counts, k=k)
    for parent in hidden_parents:
        hidden_children |= {(parent, child) for child in tree[parent]}
    return hidden_children, hidden_parents


def free_text_shown(responses):
    """Are a group's free-text answers shown (it has at least ``FREE_TEXT_MIN`` responses)?"""
    return responses >= FREE_TEXT_MIN
