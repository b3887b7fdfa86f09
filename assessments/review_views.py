# Being written: the lead's, chief executive's and staff's views. Placeholder so URLs load.
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


progress = assign = agree_index = agree_dimension = submit = sign_off = results = _todo
history = reopen = _todo
