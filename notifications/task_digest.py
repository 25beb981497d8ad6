"""The daily task digest: each member gets, per firm, the list of their open tasks and diary
dates (``complaints.models.Task``) that are overdue or due today, overdue first. Once a day per
member and firm (the notice ledger is keyed by the day); nobody with nothing due hears anything.

No complainant data: notices are e-mailed. A line names the complaint's reference, the task and
its due date; a call back says how the complainant asks to be contacted (their reasonable
adjustment, FG21/1) and that their contact times are on the complaint. The note stays there too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse

from common.dates import london_date, uk_date
from complaints.choices import ContactChannel, TaskKind
from complaints.models import Membership, Task

from .models import Category, Level
from .services import Draft, _issue_and_email


def _line(task: Task, today: date) -> str:
    state = "OVERDUE" if task.due_on < today else "today"
    when = uk_date(task.due_on) + (f", {task.due_time:%H:%M}" if task.due_time else "")
    line = f"- [{state}] {task.complaint.reference}: {task.get_kind_display()}, due {when}"
    if task.kind == TaskKind.CALL_BACK:
        person = task.complaint.complainant
        said = []
        if person.preferred_channel and person.preferred_channel != ContactChannel.PHONE:
            said.append(f"prefers {person.get_preferred_channel_display().lower()} to a call")
        if person.contact_times:
            said.append("contact times on the complaint")
        if said:
            line += f" ({'; '.join(said)})"
    return line


def task_digest_send(*, now: datetime, send_emails: bool = True) -> int:
    """Send today's task digests: one per member and firm with open tasks due today or
    overdue, to that member. Returns the digests issued."""
    today = london_date(now)
    member = Membership.objects.filter(user_id=OuterRef("assignee_id"), firm_id=OuterRef("firm_id"))
    due = (
        Task.objects.due_by(today)
        .filter(Exists(member), assignee__is_active=True)
        .select_related("firm", "assignee", "complaint__complainant")
        .order_by("firm_id", "assignee_id", "due_on", "due_time", "id")
    )
    by_person: dict[tuple[int, int], list[Task]] = defaultdict(list)
    for task in due:
        if task.assignee is not None:  # always: filtered on the assignee's membership
            by_person[(task.firm_id, task.assignee.pk)].append(task)
    link = reverse("complaints:my_tasks")
    drafts = []
    for (firm_id, user_id), tasks in by_person.items():
        overdue = sum(1 for t in tasks if t.due_on < today)
        firm = tasks[0].firm
        drafts.append(
            Draft(
                object_key=f"tasks:{firm_id}:{user_id}",
                kind=f"task_digest:{today.isoformat()}",
                level=Level.INFO,
                source="tasks",
                firm_id=firm_id,
                category=Category.TASKS,
                title=f"Your tasks, {firm.name}: {overdue} overdue, {len(tasks) - overdue} "
                "due today",
                body=f"Your tasks at {uk_date(today)} for {firm.name}:\n"
                + "\n".join(_line(t, today) for t in tasks),
                recipients=[t.assignee for t in tasks[:1] if t.assignee is not None],
                due=today,
                link=link,
            )
        )
    return _issue_and_email(drafts, now=now, send_emails=send_emails)
