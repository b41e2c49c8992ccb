"""The data model: one module per aggregate."""

from models.application import ApplicationStatus, SupportApplication
from models.audit import AuditEntry
from models.base import Model
from models.category import Category, CategoryText, event_category
from models.credentials import AccountToken, AccountTokenPurpose, RecoveryCode
from models.event import Event, EventStatus, EventText, event_organiser
from models.news import NewsPost, NewsStatus, NewsText
from models.outbox import OutboxMessage, OutboxStatus
from models.partner import City, CityText, Network, NetworkMember, NetworkText, Relation
from models.question import Answer, Question, QuestionKind, QuestionText
from models.registration import Registration, RegistrationGroup, RegistrationStatus
from models.search import SearchDocument
from models.sign_in import SignInFailure
from models.site_version import SiteVersion
from models.token import RegistrationToken, TokenPurpose
from models.user import Role, User

__all__ = [
    "AccountToken",
    "AccountTokenPurpose",
    "Answer",
    "ApplicationStatus",
    "AuditEntry",
    "Category",
    "CategoryText",
    "City",
    "CityText",
    "Event",
    "event_category",
    "event_organiser",
    "EventStatus",
    "EventText",
    "Model",
    "Network",
    "NetworkMember",
    "NetworkText",
    "NewsPost",
    "NewsStatus",
    "NewsText",
    "OutboxMessage",
    "OutboxStatus",
    "Question",
    "QuestionKind",
    "QuestionText",
    "RecoveryCode",
    "Registration",
    "RegistrationGroup",
    "RegistrationStatus",
    "RegistrationToken",
    "Relation",
    "Role",
    "SearchDocument",
    "SignInFailure",
    "SiteVersion",
    "SupportApplication",
    "TokenPurpose",
    "User",
]
