"""Framework lineages: rounds are compared only with rounds on the same framework.

A lineage is a framework key of one owner (the shipped frameworks, or one organiser's own):
its versions are linked by ``Framework.previous``, and an indicator follows its
``Indicator.previous_key`` from one version to the one before. Trends, comparisons and the
carrying over of open actions stay within a lineage; an organiser's own framework beside the
shipped one is another lineage, never mixed with it.
"""

from stegvis.frameworks.models import Framework, Indicator

MAX_VERSIONS = 50  # a guard against a cycle in ``previous``


def lineage(framework):
    """The lineage a framework belongs to: (owner id or None, framework key)."""
    return (framework.organizer_id, framework.key)


def same_lineage(rounds, round):
    """The rounds (in the order given) on the lineage of ``round``'s framework."""
    wanted = lineage(round.framework)
    return [r for r in rounds if lineage(r.framework) == wanted]


def lineages(rounds):
    """[(lineage, [rounds])] in the order the rounds come (newest first gives newest lineage first)."""
    groups = {}
    for r in rounds:
        groups.setdefault(lineage(r.framework), []).append(r)
    return list(groups.items())


def previous_round(rounds, round):
    """The round before ``round`` on its lineage (by opening date), or None. ``rounds`` any order."""
    earlier = [
        r for r in same_lineage(rounds, round) if (r.opens_on, r.pk) < (round.opens_on, round.pk) and r.pk != round.pk
    ]
    return max(earlier, key=lambda r: (r.opens_on, r.pk), default=None)


def _ancestors(framework):
    """The framework and its earlier versions, newest first."""
    chain, seen, fw = [], set(), framework
    while fw is not None and fw.pk not in seen and len(chain) < MAX_VERSIONS:
        chain.append(fw)
        seen.add(fw.pk)
        fw = Framework.objects.filter(pk=fw.previous_id).first() if fw.previous_id else None
    return chain


def _step_back(framework):
    """{indicator key in ``framework``: its key in the version before}."""
    return {
        key: previous or key
        for key, previous in Indicator.objects.filter(framework=framework).values_list("key", "previous_key")
    }


def key_map(*, older, newer):
    """{key of an indicator of ``newer``: the key of the same indicator in ``older``}, for two
    versions of one lineage, following ``previous_key`` through the versions between them (one
    step when ``older`` is not linked as an earlier version). The identity on the same framework."""
    keys = list(Indicator.objects.filter(framework=newer).values_list("key", flat=True))
    if older.pk == newer.pk:
        return {k: k for k in keys}
    chain = _ancestors(newer)
    ids = [fw.pk for fw in chain]
    steps = chain[: ids.index(older.pk)] if older.pk in ids else [newer]
    mapping = {k: k for k in keys}
    for fw in steps:
        back = _step_back(fw)
        mapping = {k: back.get(v, v) for k, v in mapping.items()}
    return mapping
