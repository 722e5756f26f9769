from enum import StrEnum

class RetrieveSessionQrFormat(StrEnum):
    IMAGE = "image"
    RAW = "raw"

    def __str__(self) -> str:
        return str(self.value)
