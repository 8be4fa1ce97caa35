"""The one error type of subscriptions: input a person can fix."""


class SubscriptionError(ValueError):
    """Input a person can fix; the message says how."""
