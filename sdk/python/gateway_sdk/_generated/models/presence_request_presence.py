from enum import StrEnum

class PresenceRequestPresence(StrEnum):
    AVAILABLE = "available"
    COMPOSING = "composing"
    PAUSED = "paused"
    RECORDING = "recording"
    UNAVAILABLE = "unavailable"

    def __str__(self) -> str:
        return str(self.value)
