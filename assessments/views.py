# Being written: the officer's journey. Placeholder so the URL configuration loads.
from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


index = start = overview = dimension = check_answers = response_submitted = _todo
