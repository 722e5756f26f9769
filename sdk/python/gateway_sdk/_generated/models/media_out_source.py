from enum import StrEnum

class MediaOutSource(StrEnum):
    BASE64 = "base64"
    INBOUND = "inbound"
    UPLOAD = "upload"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
