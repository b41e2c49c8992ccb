"""The data model: one module per aggregate."""

from models.audit import AuditEntry
from models.base import Model
from models.event import Event, EventStatus, EventText, event_organiser
from models.outbox import OutboxMessage, OutboxStatus
from models.registration import Registration, RegistrationStatus
from models.token import RegistrationToken, TokenPurpose
from models.user import Role, User

__all__ = [
    "AuditEntry",
    "Event",
    "EventStatus",
    "EventText",
    "Model",
    "OutboxMessage",
    "OutboxStatus",
    "Registration",
    "RegistrationStatus",
    "RegistrationToken",
    "Role",
    "TokenPurpose",
    "User",
    "event_organiser",
]
