from enum import StrEnum

class GroupUpdatedDataChangesItem(StrEnum):
    DESCRIPTION = "description"
    PICTURE = "picture"
    SETTINGS = "settings"
    SUBJECT = "subject"

    def __str__(self) -> str:
        return str(self.value)
