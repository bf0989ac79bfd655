"""Sign-up, and log-in with what an anonymous learner did joining the account.

Every other account page is one of Django's auth views as shipped (``accounts_urls.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from courses.forms import LoginForm, SignupForm
from courses.merge import learner_adopt_session


class LoginView(auth_views.LoginView):
    """Django's ``LoginView`` with a throttled form, merging the anonymous learner.

    Subclassed only to call ``learner_adopt_session`` right after ``login()``, where the
    request (and so the anonymous learner's session) is at hand. The ``user_logged_in``
    signal would also fire for the admin's login and for ``force_login``, and would hide
    the merge from anyone reading this flow.
    """

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        learner_adopt_session(self.request)
        return response


def _safe_next(request: HttpRequest) -> str:
    """The ``next`` parameter if it points at this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    target = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
    if request.user.is_authenticated:
        return HttpResponseRedirect(target)
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.save()
        login(request, user)
        learner_adopt_session(request)
        return HttpResponseRedirect(target)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
