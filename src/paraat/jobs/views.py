from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from paraat.jobs.selectors import job_get_for_user, job_list_for_user


def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_get_for_user(job_id=job_id, user=request.user)  # type: ignore[arg-type]
    if job is None:
        raise Http404
    return render(request, "jobs/job_detail.html", {"job": job})


def job_status(request: HttpRequest, job_id: str) -> JsonResponse:
    job = job_get_for_user(job_id=job_id, user=request.user)  # type: ignore[arg-type]
    if job is None:
        raise Http404
    return JsonResponse(
        {
            "id": str(job.pk),
            "status": job.status,
            "status_display": job.get_status_display(),
            "percent": job.percent,
            "current": job.progress_current,
            "total": job.progress_total,
            "message": job.message,
            "error": job.error,
            "finished": job.is_finished,
        }
    )


def job_list(request: HttpRequest) -> HttpResponse:
    jobs = job_list_for_user(user=request.user)[:100]  # type: ignore[arg-type]
    return render(request, "jobs/job_list.html", {"jobs": jobs})
