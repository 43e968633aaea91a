"""A small eKYC onboarding client for the CVS API v2 (an example integrator)."""

from .client import (
    BadImage,
    EkycClient,
    NotLive,
    NotSamePerson,
    Onboarded,
    OnboardingError,
    QuotaExhausted,
    ServiceUnavailable,
)

__all__ = [
    "BadImage",
    "EkycClient",
    "NotLive",
    "NotSamePerson",
    "Onboarded",
    "OnboardingError",
    "QuotaExhausted",
    "ServiceUnavailable",
]
