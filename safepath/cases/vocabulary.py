"""Controlled vocabularies of the case record, aligned with CTDC's fields where CTDC has one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other or non-binary")
    UNKNOWN = "unknown", _("Not known")


class CaseStatus(models.TextChoices):
    """The stages of a case, in order; ``lifecycle.py`` says which moves are allowed."""

    IDENTIFIED = "identified", _("Identified")
    REGISTERED = "registered", _("Registered")
    URGENT_PROTECTION = "urgent_protection", _("Urgent protection")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    IMPLEMENTATION = "implementation", _("Implementation")
    REVIEW = "review", _("Review")
    DURABLE_SOLUTION = "durable_solution", _("Durable solution")
    CLOSED = "closed", _("Closed")
    FOLLOW_UP = "follow_up", _("Follow-up")


# A case is registered in one of these stages; every later stage is reached by a transition.
INITIAL_STATUSES = (CaseStatus.IDENTIFIED, CaseStatus.REGISTERED)


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


class MeansOfControl(models.TextChoices):
    """Means of control; the comment names the CTDC variable (``meansOfControl...``)."""

    DEBT = "debt_bondage", _("Debt bondage")  # meansOfControlDebtBondage
    EARNINGS = "takes_earnings", _("Takes earnings")  # meansOfControlTakesEarnings
    MOVEMENT = "restricts_movement", _("Restricts movement")  # ...RestrictsMovement
    THREATS = "threats", _("Threats")  # meansOfControlThreats
    PSYCHOLOGICAL = "psychological_abuse", _("Psychological abuse")  # ...PsychologicalAbuse
    PHYSICAL = "physical_abuse", _("Physical abuse")  # meansOfControlPhysicalAbuse
    SEXUAL = "sexual_abuse", _("Sexual abuse")  # meansOfControlSexualAbuse
    FALSE_PROMISES = "false_promises", _("False promises")  # meansOfControlFalsePromises
    SUBSTANCES = (
        "psychoactive_substances",
        _("Psychoactive substances"),
    )  # ...Substances
    DOCUMENTS = "withholds_documents", _("Withholds documents")  # ...WithholdsDocuments
    NECESSITIES = "withholds_necessities", _("Withholds necessities")  # ...WithholdsNecessities
    LAW_ENFORCEMENT = "threat_of_law_enforcement", _("Threat of law enforcement")
    OTHER = "other", _("Other means")  # meansOfControlOther


class RecruiterRelation(models.TextChoices):
    """CTDC ``RecruiterRelationship``."""

    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FRIEND = "friend", _("Friend")
    FAMILY = "family", _("Family member")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class Placement(models.TextChoices):
    FAMILY = "family", _("With family")
    KINSHIP = "kinship", _("Kinship care")
    FOSTER = "foster", _("Foster care")
    SHELTER = "shelter", _("Specialised shelter")
    RESIDENTIAL = "residential", _("Residential care")
    SUPPORTED_INDEPENDENT = "supported_independent", _("Supported independent living")
    DETENTION = "detention", _("Detention (to be ended)")
    NONE = "none", _("No placement yet")


class Disability(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


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
    AFTERCARE = "aftercare", _("Young-adult aftercare after the age of 18")


class DataCategory(models.TextChoices):
    """What a consent covers: the parts of the record a receiving agency may read."""

    IDENTITY = "identity", _("Identity: names, date of birth, nationality")
    CONTACT = "contact", _("Contact details and current location")
    CASE_FACTS = "case_facts", _("Trafficking facts: forms of exploitation, countries")
    PLAN = "plan", _("Case plan, tasks and reviews")
    HEALTH = "health", _("Health and disability")
    JUSTICE = "justice", _("Contact with the justice system")
    NOTES = "notes", _("Case notes and documents")


class DecisionKind(models.TextChoices):
    """Decisions at which the child's views must be recorded (ICAT action 3)."""

    PLAN = "plan", _("Case plan")
    PLACEMENT = "placement", _("Placement")
    REFERRAL = "referral", _("Referral")
    DURABLE_SOLUTION = "durable_solution", _("Durable solution")
    CLOSURE = "closure", _("Closure")
    TRANSITION = "transition", _("Transition to adulthood")


class DurableSolution(models.TextChoices):
    LOCAL_INTEGRATION = "local_integration", _("Local integration")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification in the country")
    CROSS_BORDER_REUNIFICATION = (
        "cross_border_reunification",
        _("Family reunification in another country"),
    )
    RETURN = "return", _("Return to the country of origin")
    TRANSFER = "transfer", _("Transfer or resettlement to a third country")
    ALTERNATIVE_CARE = "alternative_care", _("Long-term alternative care")
    INDEPENDENT_LIVING = "independent_living", _("Supported independent living")


# Solutions that take the child across a border need a best-interests determination first
# (UNHCR Best Interests Procedure Guidelines, 2021).
NEEDS_DETERMINATION = frozenset(
    {
        DurableSolution.CROSS_BORDER_REUNIFICATION,
        DurableSolution.RETURN,
        DurableSolution.TRANSFER,
    }
)


class AssessmentKind(models.TextChoices):
    SHORT = "short", _("Short best-interests assessment")
    COMPREHENSIVE = "comprehensive", _("Comprehensive best-interests assessment")


class JusticeContactKind(models.TextChoices):
    """How the child is in contact with the justice system (ICAT non-punishment principle)."""

    ARRESTED = "arrested", _("Arrested")
    CHARGED = "charged", _("Charged")
    DETAINED = "detained", _("Detained")
    PROSECUTED = "prosecuted", _("Prosecuted")
    CONVICTED = "convicted", _("Convicted")
    IMMIGRATION_DETENTION = "immigration_detention", _("In immigration detention")


class CareArrangement(models.TextChoices):
    ACCOMPANIED = "accompanied", _("With parents or usual caregivers")
    SEPARATED = "separated", _("Separated (with other relatives)")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied")
    UNKNOWN = "unknown", _("Not known")


# An unaccompanied or separated child needs a guardian (ICAT action 2; UNHCR, CRC GC 6).
NEEDS_GUARDIAN = frozenset({CareArrangement.SEPARATED, CareArrangement.UNACCOMPANIED})


class AgeMethod(models.TextChoices):
    DOCUMENT = "document", _("Identity or civil document")
    INTERVIEW = "interview", _("Interview")
    PSYCHOSOCIAL = "psychosocial", _("Holistic psychosocial assessment")
    MEDICAL = "medical", _("Medical examination")
    SELF_DECLARED = "self_declared", _("The child's own statement")


class ClosureReason(models.TextChoices):
    SOLUTION_REACHED = "solution_reached", _("Durable solution reached and stable")
    TRANSFERRED = "transferred", _("Case transferred to another agency")
    AFTERCARE_DECLINED = "aftercare_declined", _("Young adult declined aftercare")
    LOST_CONTACT = "lost_contact", _("Contact lost despite efforts")
    DECEASED = "deceased", _("The child died")
