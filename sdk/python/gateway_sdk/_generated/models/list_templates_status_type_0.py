from enum import StrEnum

class ListTemplatesStatusType0(StrEnum):
    APPROVED = "APPROVED"
    ARCHIVED = "ARCHIVED"
    DISABLED = "DISABLED"
    FLAGGED = "FLAGGED"
    IN_APPEAL = "IN_APPEAL"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    PAUSED = "PAUSED"
    PENDING = "PENDING"
    PENDING_DELETION = "PENDING_DELETION"
    REJECTED = "REJECTED"

    def __str__(self) -> str:
        return str(self.value)
