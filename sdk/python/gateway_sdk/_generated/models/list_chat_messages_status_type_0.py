from enum import StrEnum

class ListChatMessagesStatusType0(StrEnum):
    CANCELLED = "cancelled"
    DELIVERED = "delivered"
    FAILED = "failed"
    PLAYED = "played"
    QUEUED = "queued"
    READ = "read"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
