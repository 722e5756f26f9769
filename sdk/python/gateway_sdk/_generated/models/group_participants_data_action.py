from enum import StrEnum

class GroupParticipantsDataAction(StrEnum):
    ADD = "add"
    DEMOTE = "demote"
    JOIN = "join"
    LEAVE = "leave"
    PROMOTE = "promote"
    REMOVE = "remove"

    def __str__(self) -> str:
        return str(self.value)
