from enum import StrEnum

class GroupLeftDataReason(StrEnum):
    LEFT = "left"
    REMOVED = "removed"

    def __str__(self) -> str:
        return str(self.value)
