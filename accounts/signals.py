"""What accounts tells the apps built on it, which it never imports."""

from django.dispatch import Signal

# A person was removed from a council, inside the transaction that removed them.
# Sent with user_id and council.
member_removed = Signal()
