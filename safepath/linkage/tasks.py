"""Background work of the linkage app (run by ``safepath worker``)."""

from __future__ import annotations

from django_tasks import task

from safepath.linkage.models import RunScope


@task()
def linkage_run_execute(run_id: str) -> str:
    """Score one queued deduplication run and store its candidate pairs."""
    from safepath.linkage.services import match_run_execute

    return str(match_run_execute(run_id=run_id).status)


@task()
def linkage_national_run(threshold: float = 0.9) -> str:
    """A national deduplication run over every case (schedule it, for example weekly).

    Its pairs are routed by the policy: each supervisor sees a pair as a full review when they
    may see both cases, as a notice when they see one, and not at all otherwise.
    """
    from safepath.audit.models import Channel
    from safepath.linkage.services import match_run_start

    return str(
        match_run_start(
            user=None, scope=RunScope.NATIONAL, threshold=threshold, channel=Channel.SYSTEM
        ).pk
    )


@task()
def linkage_registration_check(case_id: str, agency: bool = False) -> int:
    """A newly registered case against the national register (and against its agency's own
    register when that was too large to check while the page waited). Pairs go to the review
    queue; returns how many were proposed."""
    from safepath.linkage.services.registrations import registrations_duplicates_propose

    runs = registrations_duplicates_propose(case_ids=[case_id], recent_days=None, national=True)
    if agency:
        runs += registrations_duplicates_propose(case_ids=[case_id], recent_days=None)
    return sum(run.pair_count for run in runs)
