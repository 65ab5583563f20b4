"""Domains that hand out throwaway addresses. Flagged for moderators, never refused: a person at
risk may well use one on purpose."""

from disposable_email_domains import blocklist


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def is_disposable(email: str) -> bool:
    return domain_of(email) in blocklist
