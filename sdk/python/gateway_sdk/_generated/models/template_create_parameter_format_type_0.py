from enum import StrEnum

class TemplateCreateParameterFormatType0(StrEnum):
    NAMED = "NAMED"
    POSITIONAL = "POSITIONAL"

    def __str__(self) -> str:
        return str(self.value)
