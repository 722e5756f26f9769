from enum import StrEnum

class BillingSubscriptionStatus(StrEnum):
    ACTIVE = "active"
    CANCELED = "canceled"
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    NONE = "none"
    PAST_DUE = "past_due"
    PAUSED = "paused"
    TRIALING = "trialing"
    UNPAID = "unpaid"

    def __str__(self) -> str:
        return str(self.value)
