from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from paraat.jobs.models import Job
from paraat.jobs.selectors import job_list_for_user


class JobSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "percent",
            "progress_current",
            "progress_total",
            "message",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Background jobs (imports) with their progress; a user sees their own jobs."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    queryset = Job.objects.none()  # schema only; rows come from the selector

    def get_queryset(self) -> QuerySet[Job]:
        return job_list_for_user(user=self.request.user)  # type: ignore[arg-type]
