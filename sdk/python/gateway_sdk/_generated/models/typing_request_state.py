from enum import StrEnum

class TypingRequestState(StrEnum):
    START = "start"
    STOP = "stop"

    def __str__(self) -> str:
        return str(self.value)
