from enum import StrEnum

class ContactErasureIdentifier(StrEnum):
    LID = "lid"
    PHONE_NUMBER = "phone_number"

    def __str__(self) -> str:
        return str(self.value)
