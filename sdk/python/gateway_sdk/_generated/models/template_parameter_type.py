from enum import StrEnum

class TemplateParameterType(StrEnum):
    ACTION = "action"
    COUPON_CODE = "coupon_code"
    CURRENCY = "currency"
    DATE_TIME = "date_time"
    DOCUMENT = "document"
    IMAGE = "image"
    LOCATION = "location"
    PAYLOAD = "payload"
    TEXT = "text"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
