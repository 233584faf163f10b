"""Framework lineages: rounds are compared only with rounds on the same framework.

A lineage is the versions of one framework, followed through ``Framework.previous`` whatever
their owner: two frameworks are on the same lineage when one is reachable from the other through
``previous`` links, or when they have the same owner (the shipped frameworks, or one
organiser's own) and the same key; and so on, step by step (a lineage is the connected group of
those links). An organiser that adapts a shipped version into its own, naming the shipped one
as its ``previous``, stays on the shipped lineage; an indicator follows its
``Indicator.previous_key`` from one version to the one before. Trends, comparisons, the unit
picture, the board report and the carrying over of open actions stay within a lineage; an
organiser's own framework that names no shipped version as ``previous`` is another lineage,
never mixed with the shipped one, even under the same key.

Frameworks are few: the lineages are worked out once per call from one query over the shared
frameworks and the owners' own (``_graph``); a cycle in ``previous`` does no harm.
"""

from django.db.models import Q

from stegvis.frameworks.models import Framework, Indicator

MAX_VERSIONS = 50  # a guard against a cycle in ``previous`` when walking a chain


def _graph(owners):
    """{framework id: (owner id, key, previous id)} of the shared frameworks and those of ``owners``."""
    owners = {o for o in owners if o is not None}
    return {
        pk: (owner, key, previous)
        for pk, owner, key, previous in Framework.objects.filter(
            Q(organizer__isnull=True) | Q(organizer_id__in=owners)
        ).values_list("pk", "organizer_id", "key", "previous_id")
    }


def _components(graph):
    """{framework id: lineage id (the lowest framework id on the lineage)} by union-find."""
    parent = {pk: pk for pk in graph}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    def join(a, b):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first = {}
    for pk, (owner, key, previous) in graph.items():
        join(pk, first.setdefault((owner, key), pk))
        if previous in graph:
            join(pk, previous)
    return {pk: root(pk) for pk in graph}


def lineage_ids(frameworks):
    """{framework id: lineage id} for ``frameworks`` (one query); equal ids, same lineage."""
    frameworks = list(frameworks)
    found = _components(_graph(fw.organizer_id for fw in frameworks))
    return {fw.pk: found.get(fw.pk, ("framework", fw.pk)) for fw in frameworks}


def lineage(framework):
    """The lineage id of one framework (one query); compare it only with ids from this module."""
    return lineage_ids([framework])[framework.pk]


def lineage_members(framework):
    """The ids of the frameworks on ``framework``'s lineage (among the shared ones and its owner's)."""
    found = _components(_graph([framework.organizer_id]))
    wanted = found.get(framework.pk)
    return {pk for pk, lin in found.items() if lin == wanted} if wanted is not None else {framework.pk}


def _ids_of_rounds(rounds, *extra):
    frameworks = {r.framework_id: r.framework for r in [*rounds, *extra]}
    return lineage_ids(frameworks.values())


def same_lineage(rounds, round):
    """The rounds (in the order given) on the lineage of ``round``'s framework."""
    rounds = list(rounds)
    ids = _ids_of_rounds(rounds, round)
    wanted = ids[round.framework_id]
    return [r for r in rounds if ids[r.framework_id] == wanted]


def lineages(rounds):
    """[(lineage id, [rounds])] in the order the rounds come (newest first gives newest lineage first)."""
    rounds = list(rounds)
    ids = _ids_of_rounds(rounds)
    groups = {}
    for r in rounds:
        groups.setdefault(ids[r.framework_id], []).append(r)
    return list(groups.items())


def previous_round(rounds, round):
    """The round before ``round`` on its lineage (by opening date), or None. ``rounds`` any order."""
    earlier = [
        r for r in same_lineage(rounds, round) if (r.opens_on, r.pk) < (round.opens_on, round.pk) and r.pk != round.pk
    ]
    return max(earlier, key=lambda r: (r.opens_on, r.pk), default=None)


def _chain(pk, graph):
    """The framework id and its earlier versions' ids, newest first (stops at a cycle)."""
    chain, seen = [], set()
    while pk is not None and pk in graph and pk not in seen and len(chain) < MAX_VERSIONS:
        chain.append(pk)
        seen.add(pk)
        pk = graph[pk][2]
    return chain


def key_map(*, older, newer):
    """{key of an indicator of ``newer``: the key of the same indicator in ``older``}, for two
    versions of one lineage, following ``previous_key`` through the versions between them,
    whatever their owner. When ``older`` is not an earlier version of ``newer`` (an organiser's
    adaptation beside a later shipped version), both are followed back to the newest version
    they share and met there; with no shared version, one step back from ``newer``. The
    identity on the same framework."""
    keys = list(Indicator.objects.filter(framework=newer).values_list("key", flat=True))
    if older.pk == newer.pk:
        return {k: k for k in keys}
    graph = _graph([older.organizer_id, newer.organizer_id])
    new_chain, old_chain = _chain(newer.pk, graph), _chain(older.pk, graph)
    meet = next((pk for pk in new_chain if pk in set(old_chain)), None)
    if meet is None:
        new_steps, old_steps = new_chain[:1] or [newer.pk], []
    else:
        new_steps, old_steps = new_chain[: new_chain.index(meet)], old_chain[: old_chain.index(meet)]
    back = {}
    for fw, key, previous in Indicator.objects.filter(framework_id__in={*new_steps, *old_steps}).values_list(
        "framework_id", "key", "previous_key"
    ):
        back.setdefault(fw, {})[key] = previous or key

    def walk(mapping, steps):
        for fw in steps:
            step = back.get(fw, {})
            mapping = {k: step.get(v, v) for k, v in mapping.items()}
        return mapping

    mapping = walk({k: k for k in keys}, new_steps)  # newer key -> key in the meeting version
    if old_steps:
        old_keys = Indicator.objects.filter(framework=older).values_list("key", flat=True)
        in_meet = walk({k: k for k in old_keys}, old_steps)  # older key -> key in the meeting version
        to_older = {}
        for old_key, met in sorted(in_meet.items(), key=lambda item: item[0] != item[1]):
            to_older[met] = old_key  # an indicator that names its predecessor wins over a same key
        mapping = {k: to_older.get(v, v) for k, v in mapping.items()}
    return mapping
