"""Tasks and diary dates: a complaint's tasks (list, add) and one task (read, complete, cancel,
reopen, reassign). Thin views over ``complaints.services.tasks``; another firm's complaint or
task is a 404, a role without handle_complaints a 403 on writes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from common.api import error_responses
from common.api_actions import ApiAction, ApiActions
from common.dates import london_date
from complaints import selectors, services
from complaints.access import Perm
from complaints.choices import TaskKind
from complaints.models import Task

from .base import ID_PARAM, ComplaintApiView, ComplaintsApiView

TAG = ["tasks"]
TASK_PARAM = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The task's id (another firm's is a 404)."
)


class TaskSerializer(serializers.ModelSerializer):
    complaint_reference = serializers.CharField(source="complaint.reference", read_only=True)
    title = serializers.CharField(read_only=True)
    state = serializers.SerializerMethodField(help_text="open, done or cancelled.")
    urgency = serializers.SerializerMethodField(
        help_text="overdue (due before today, UK date), today, upcoming, or none when not open."
    )
    contact_adjustments = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="A call back: how and when the complainant asks to be contacted (FG21/1).",
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "complaint",
            "complaint_reference",
            "kind",
            "note",
            "title",
            "due_on",
            "due_time",
            "assignee",
            "state",
            "urgency",
            "contact_adjustments",
            "created_by",
            "created_at",
            "completed_by",
            "completed_at",
            "cancelled_by",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_state(self, task: Task) -> str:
        return task.state.lower()

    def get_urgency(self, task: Task) -> str:
        names = {"breached": "overdue", "soon": "today", "later": "upcoming", "none": "none"}
        return names[task.urgency(self.context["today"])]


class TaskInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TaskKind.choices)
    due_on = serializers.DateField(help_text="The UK day it is due: today or later.")
    due_time = serializers.TimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    assignee = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A user id of an active member of the complaint's firm; default the "
        "complaint's owner (or the caller when nobody owns it).",
    )


def _body(task: Task, now) -> dict[str, Any]:
    return TaskSerializer(task, context={"today": london_date(now)}).data


class ComplaintTasks(ComplaintApiView):
    required_perm: Any = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.HANDLE_COMPLAINTS}
    serializer_class = TaskSerializer

    @extend_schema(
        operation_id="complaint_tasks_list",
        summary="A complaint's tasks and diary dates",
        description="Open tasks first, by due date, then the done and cancelled ones.",
        parameters=[ID_PARAM],
        responses={200: TaskSerializer(many=True), **error_responses(401, 403, 404)},
        tags=TAG,
    )
    def get(self, request, pk: str):
        tasks = selectors.complaint_tasks(self.scoped_object.pk)
        today = london_date(timezone.now())
        return Response(TaskSerializer(tasks, many=True, context={"today": today}).data)

    @extend_schema(
        operation_id="complaint_tasks_create",
        summary="Add a task or diary date",
        description="Chase, call back, review or other, due on a UK day (optionally at a "
        "time), for a member of the firm. Refused with 400 naming the field: a due date before "
        "today (`task_due_in_past`, `due_on`); an assignee outside the firm "
        "(`task_assignee_not_member`, `assignee`). A closed or withdrawn complaint is a 409 "
        "`task_complaint_closed`. Needs handle_complaints.",
        parameters=[ID_PARAM],
        request=TaskInput,
        responses={201: TaskSerializer, **error_responses(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Call back on Friday afternoon",
                value={"kind": "call_back", "due_on": "2026-04-10", "due_time": "14:00"},
                request_only=True,
            )
        ],
        tags=TAG,
    )
    def post(self, request, pk: str):
        data = TaskInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        task = services.task_create(
            self.scoped_object, user=request.user, now=now, **data.validated_data
        )
        return Response(_body(task, now), status=status.HTTP_201_CREATED)


class TaskApiView(ComplaintsApiView):
    required_perm: Any = {"read": Perm.VIEW_COMPLAINTS, "write": Perm.HANDLE_COMPLAINTS}
    scoped_model = Task.objects.select_related("complaint__complainant")


class TaskDetail(TaskApiView):
    serializer_class = TaskSerializer

    @extend_schema(
        operation_id="tasks_retrieve",
        summary="One task",
        parameters=[TASK_PARAM],
        responses={200: TaskSerializer, **error_responses(401, 403, 404)},
        tags=TAG,
    )
    def get(self, request, pk: str):
        return Response(_body(self.scoped_object, timezone.now()))


class ReassignInput(serializers.Serializer):
    assignee_id = serializers.IntegerField(
        help_text="A user id of an active member of the task's firm."
    )


def _action(path: str, service: Any, summary: str, description: str, body: Any = None) -> ApiAction:
    return ApiAction(
        path,
        service,
        summary,
        input=body,
        description=f"{description} Needs handle_complaints in the task's firm.",
        errors=(400, 401, 403, 404, 409) if body else (401, 403, 404, 409),
        operation_id=f"tasks_{path}",
        atomic=True,
    )


ACTIONS = ApiActions(
    [
        _action(
            "complete",
            services.task_complete,
            "Mark a task done",
            "An open task only: a done or cancelled one is a 409 `task_not_open`.",
        ),
        _action(
            "cancel",
            services.task_cancel,
            "Cancel a task",
            "An open task only (409 `task_not_open` otherwise); it stays on the record.",
        ),
        _action(
            "reopen",
            services.task_reopen,
            "Reopen a done or cancelled task",
            "An open one is a 409 `task_already_open`. It keeps its due date.",
        ),
        _action(
            "reassign",
            services.task_reassign,
            "Give a task to another member",
            "An open task only (409 `task_not_open`); someone outside the firm is a 400 "
            "`task_assignee_not_member` on `assignee`. Reassigning the complaint moves its "
            "open tasks for the old owner by itself.",
            ReassignInput,
        ),
    ],
    base=TaskApiView,
    id_keyword="task_id",
    response=TaskSerializer,
    render=lambda call, task: _body(task, call.now),
    name="Task",
    tags=TAG,
    parameters=[TASK_PARAM],
)
