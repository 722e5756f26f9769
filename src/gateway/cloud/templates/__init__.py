"""Message templates of cloud sessions: synced from the WABA, created and deleted at Meta,
their review statuses applied from Meta's notifications, and sends checked against them."""
