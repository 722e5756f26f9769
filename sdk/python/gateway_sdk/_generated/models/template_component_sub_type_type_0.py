from enum import StrEnum

class TemplateComponentSubTypeType0(StrEnum):
    COPY_CODE = "copy_code"
    FLOW = "flow"
    QUICK_REPLY = "quick_reply"
    URL = "url"

    def __str__(self) -> str:
        return str(self.value)
