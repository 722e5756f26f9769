from enum import StrEnum

class ChatTypingState(StrEnum):
    START = "start"
    STOP = "stop"

    def __str__(self) -> str:
        return str(self.value)
