"""Background work of the emergency app (run by ``safepath worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def registrations_duplicates_check(case_ids: list[str]) -> int:
    """Compare newly synced registrations with their agencies' recent cases; likely duplicates
    go to the linkage review queue. Returns the number of pairs proposed."""
    from safepath.linkage.services.registrations import registrations_duplicates_propose

    return sum(run.pair_count for run in registrations_duplicates_propose(case_ids=case_ids))
