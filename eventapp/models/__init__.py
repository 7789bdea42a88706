"""All models, importable from one place: ``from eventapp.models import Conference``."""

from .audit import AuditEntry
from .base import UTCDateTime, new_short_code, new_token, utcnow
from .budget import BudgetLine, SpendingNorm
from .checkin import CheckIn, DeskEnrolment, Device, Scan
from .conference import Conference
from .directory import Agency, AgencyGroup, Venue
from .documents import DOCUMENT_KINDS, IssuedDocument
from .enums import (
    AgendaKind,
    AttendanceStatus,
    Audience,
    BudgetCategory,
    CheckInMethod,
    ConferenceKind,
    ConferenceStatus,
    DelegateKind,
    DelegateStatus,
    InvitationKind,
    InvitationStatus,
    MailStatus,
    PaperStatus,
    Role,
    ScanResult,
    TaskStatus,
)
from .hall import Attendance, Conclusion, ConclusionNotice, Hall, Speaker, SpeakerList
from .handouts import Handout, WithdrawnLink
from .invitations import Delegate, Invitation
from .mail import OutboxMessage
from .org import Department, HostAgency, User
from .organizing import MAIL_KINDS, InvitationImport, MailWording, RemovedInvitation, SendBatch
from .papers import AgendaItem, Paper, PaperEvent, PaperFile
from .tasks import Task, TaskTemplateItem, WorkProgramItem, task_coordinator, task_template_coordinator

__all__ = [
    "DOCUMENT_KINDS",
    "Agency",
    "AgencyGroup",
    "AgendaItem",
    "AgendaKind",
    "Attendance",
    "AttendanceStatus",
    "AuditEntry",
    "Audience",
    "BudgetCategory",
    "BudgetLine",
    "CheckIn",
    "DeskEnrolment",
    "CheckInMethod",
    "Conclusion",
    "ConclusionNotice",
    "Conference",
    "ConferenceKind",
    "ConferenceStatus",
    "Delegate",
    "DelegateKind",
    "DelegateStatus",
    "Department",
    "Device",
    "Hall",
    "IssuedDocument",
    "Handout",
    "HostAgency",
    "Invitation",
    "InvitationImport",
    "InvitationKind",
    "InvitationStatus",
    "MAIL_KINDS",
    "MailStatus",
    "MailWording",
    "OutboxMessage",
    "Paper",
    "PaperEvent",
    "PaperFile",
    "PaperStatus",
    "RemovedInvitation",
    "Role",
    "Scan",
    "ScanResult",
    "SendBatch",
    "Speaker",
    "SpeakerList",
    "SpendingNorm",
    "Task",
    "TaskStatus",
    "TaskTemplateItem",
    "User",
    "UTCDateTime",
    "Venue",
    "WithdrawnLink",
    "WorkProgramItem",
    "new_token",
    "new_short_code",
    "task_coordinator",
    "task_template_coordinator",
    "utcnow",
]
