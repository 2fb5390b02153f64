"""The background job: render one review and keep its bytes."""

import logging

from django.utils import translation
from django_tasks import task

from reporting.document import Cover
from reporting.rendering import RenderError
from reporting.selectors import LanguageUnavailable, language_check
from reporting.services import review_render

from .models import ReviewRender

log = logging.getLogger("dcplan.renders")

# A worker answers no request, so the web's time limit does not apply; this
# one only stops a render that will never end.
JOB_TIMEOUT = 30 * 60


@task()
def render_review(render_id: int) -> None:
    render = ReviewRender.objects.select_related("plan").get(pk=render_id)
    if render.state_choice.is_finished:
        return
    render.start()
    try:
        # Texts may have been removed since the request: check again, never mix.
        language_check(render.plan, render.as_of, render.language)
        with translation.override(render.language):
            result = review_render(
                plan=render.plan,
                as_of=render.as_of,
                cover=Cover.from_json(render.cover),
                timeout=JOB_TIMEOUT,
                language=render.language,
            )
    except LanguageUnavailable as refused:
        render.fail(str(refused))
        return
    except RenderError as error:
        log.error("review render %s failed: %s", render.pk, error.detail)
        render.fail(str(error))
        return
    render.finish(result.pdf)
