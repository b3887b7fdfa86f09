"""What accounts tells the apps built on it, which it never imports."""

from django.dispatch import Signal

# A person was removed from a council, inside the transaction that removed them.
# Sent with user_id and council.
member_removed = Signal()

# A person is being erased, inside the transaction that deletes their account: each app makes
# what it keeps about them anonymous (their answers stay, under a label). Sent with user.
person_erasing = Signal()
