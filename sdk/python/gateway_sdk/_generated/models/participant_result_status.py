from enum import StrEnum

class ParticipantResultStatus(StrEnum):
    ADDED = "added"
    DEMOTED = "demoted"
    FAILED = "failed"
    PROMOTED = "promoted"
    REMOVED = "removed"

    def __str__(self) -> str:
        return str(self.value)
