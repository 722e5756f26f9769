from enum import StrEnum

class GroupJoinedDataVia(StrEnum):
    ADDED = "added"
    CREATED = "created"
    INVITE = "invite"

    def __str__(self) -> str:
        return str(self.value)
