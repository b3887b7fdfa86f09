from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from . import health
from .http import reads


@login_not_required
@never_cache
@reads
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@login_not_required
@reads
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
@reads
def privacy(request: HttpRequest) -> HttpResponse:
    # The settings the purge jobs read, so the notice states the periods actually applied.
    return render(
        request,
        "core/privacy.html",
        {
            "security_event_days": settings.SECURITY_EVENT_RETENTION_DAYS,
            "invitation_days": settings.EXPIRED_INVITATION_RETENTION_DAYS,
            "sign_in_lock_minutes": settings.SIGN_IN_LOCK_MINUTES,
            "report_days": settings.REPORT_EXPIRY_DAYS,
            "inactive_days": settings.INACTIVE_ACCOUNT_DAYS,
            "inactive_warning_days": settings.INACTIVE_WARNING_DAYS,
        },
    )


@login_not_required
@reads
def about_data(request: HttpRequest) -> HttpResponse:
    # The same setting the benchmarks read, so the page states the rule actually applied.
    return render(request, "core/about_data.html", {"min_group": settings.BENCHMARK_MIN_GROUP})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # A stale or tampered form: explain, and let the person go back and try again.
    return render(request, "403_csrf.html", status=403)


@login_not_required
@reads
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers and the admin site ask for /favicon.ico whatever the page links to.
    return redirect(static("images/favicon.svg"), permanent=True)
