from enum import StrEnum

class AuditActorType(StrEnum):
    ADMIN = "admin"
    API_KEY = "api_key"
    SYSTEM = "system"

    def __str__(self) -> str:
        return str(self.value)
