"""Controlled vocabularies of the case record, aligned with CTDC's fields where CTDC has one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other or non-binary")
    UNKNOWN = "unknown", _("Not known")


class CaseStatus(models.TextChoices):
    """The first two stages; the case-management module adds the rest of the lifecycle."""

    IDENTIFIED = "identified", _("Identified")
    REGISTERED = "registered", _("Registered")


class Exploitation(models.TextChoices):
    """Forms of exploitation; the comment names the CTDC variable each maps to."""

    SEXUAL = "sexual_exploitation", _("Sexual exploitation")  # isSexualExploit
    FORCED_LABOUR = "forced_labour", _("Forced labour")  # isForcedLabour
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")  # typeOfLabourDomesticWork
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")  # isForcedMarriage
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminal activity")  # isForcedCriminality
    BEGGING = "begging", _("Forced begging")  # typeOfLabourBegging
    ARMED_RECRUITMENT = "armed_recruitment", _("Recruitment by armed forces or groups")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")  # isOrganRemoval
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    OTHER = "other", _("Other form")  # isOtherExploit
    NOT_KNOWN = "not_known", _("Not yet known")


class ConsentGiver(models.TextChoices):
    CHILD = "child", _("The child")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    COURT = "court", _("Court or competent authority")


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("Referral to another agency")
    SHARING = "sharing", _("Sharing the case record")
    TRACING = "tracing", _("Family tracing and reunification")
    MATCHING = "matching", _("Cross-border matching of encoded identifiers")
