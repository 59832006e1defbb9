"""Logs an operator can follow: one line per request and one per background task, each with a request id.

- :class:`RequestLogMiddleware` (first in ``MIDDLEWARE``) gives every request an id — the incoming
  ``X-Request-ID`` when it is sane (nginx sets it, deploy/nginx/tdkt.conf), else a new one — puts it in
  the response's ``X-Request-ID`` header and on the 500 page, and logs one line (logger ``tdkt.request``):
  request id, user id (never a name), method, path, the *names* of the query parameters (never their
  values: a search box carries people's names), status and duration in ms (until the response is handed
  over: a streamed file's transfer is not counted). ``/healthz`` answering ok is logged at DEBUG only (a
  load balancer asks every few seconds).
- Every log record (Django's errors with their traceback included) carries the current request id
  (:class:`RequestIdFilter`); a task run by the worker uses its own task id, and the request that queued it
  logs a ``task queued`` line naming both ids.
- Output: one record per line on stdout, ``text`` or ``json`` (``TDKT_LOG_FORMAT``): :class:`TextFormatter`,
  :class:`JsonFormatter`.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming request id is kept when it looks like one (nginx's $request_id: 32 hex digits; a UUID…).
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}\Z")
MAX_QUERY_KEYS = 20

request_logger = logging.getLogger("tdkt.request")
task_logger = logging.getLogger("tdkt.task")

_request_id = contextvars.ContextVar("tdkt_request_id", default=None)
_in_task = contextvars.ContextVar("tdkt_in_task", default=False)


def current_request_id():
    """The id of the request (or task) being served in this thread, or ``None``."""
    return _request_id.get()


def new_request_id():
    return uuid.uuid4().hex


def incoming_request_id(value):
    """The id sent by the proxy in front, when it is sane; else ``None`` (a new one is made)."""
    return value if value and SANE_REQUEST_ID.match(value) else None


def _user_id(request):
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # the session store may be the thing that failed (database down): the line still goes out
        return None


def query_keys(request):
    """The names of the query parameters, sorted (their values are never logged)."""
    return sorted({key[:40] for key in request.GET.keys()})[:MAX_QUERY_KEYS]


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            log_request(request, response.status_code, duration_ms)
            return response
        finally:
            _request_id.reset(token)


def log_request(request, status, duration_ms):
    level = logging.INFO
    if status >= 500:
        level = logging.ERROR
    elif request.path == "/healthz" and status == 200:
        level = logging.DEBUG
    fields = {"event": "request", "method": request.method, "path": request.path, "query_keys": query_keys(request),
              "status": status, "duration_ms": duration_ms, "user_id": _user_id(request)}
    request_logger.log(level, "%s %s %s %sms", request.method, request.path, status, duration_ms,
                       extra={"request_id": request.request_id, "fields": fields})


# ---------------------------------------------------------------- background tasks

_task_runs = {}  # task result id -> (context tokens, monotonic start)


def _task_name(task_result):
    try:
        return task_result.task.module_path
    except Exception:  # an unimportable task is still logged
        return "?"


def on_task_enqueued(sender, task_result, **kwargs):
    """Links a request to the tasks it queued (INFO); a task queued by another task (the periodic tick) is DEBUG."""
    level = logging.INFO if current_request_id() and not _in_task.get() else logging.DEBUG
    task_logger.log(level, "task queued %s id=%s", _task_name(task_result), task_result.id,
                    extra={"fields": {"event": "task_queued", "task": _task_name(task_result), "task_id": str(task_result.id)}})


def on_task_started(sender, task_result, **kwargs):
    tokens = (_request_id.set(str(task_result.id)), _in_task.set(True))
    _task_runs[str(task_result.id)] = (tokens, time.monotonic())


def on_task_finished(sender, task_result, **kwargs):
    tokens, started = _task_runs.pop(str(task_result.id), (None, None))
    duration_ms = round((time.monotonic() - started) * 1000, 1) if started is not None else None
    status = str(getattr(task_result.status, "value", task_result.status))
    fields = {"event": "task", "task": _task_name(task_result), "task_id": str(task_result.id), "status": status,
              "duration_ms": duration_ms, "user_id": None}
    task_logger.log(logging.ERROR if status == "FAILED" else logging.INFO, "task %s %s %sms", fields["task"], status, duration_ms,
                    extra={"request_id": str(task_result.id), "fields": fields})
    if tokens is not None:
        _request_id.reset(tokens[0])
        _in_task.reset(tokens[1])


def connect_task_signals():
    """Called from ``TdktConfig.ready()``."""
    # Imported here: this module is loaded by the logging configuration, before the apps are ready.
    from django.tasks.signals import task_enqueued, task_finished, task_started

    task_enqueued.connect(on_task_enqueued, dispatch_uid="tdkt.logs.task_enqueued")
    task_started.connect(on_task_started, dispatch_uid="tdkt.logs.task_started")
    task_finished.connect(on_task_finished, dispatch_uid="tdkt.logs.task_finished")


# ---------------------------------------------------------------- formatting

class RequestIdFilter(logging.Filter):
    """Gives every record ``request_id`` (the current request's or task's, ``-`` outside both) and ``fields``."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        if not isinstance(getattr(record, "fields", None), dict):
            record.fields = {}
        return True


def _timestamp(record):
    moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class TextFormatter(logging.Formatter):
    """``2026-05-01T08:00:00.123Z INFO tdkt.request [<request id>] GET /ca-nhan/ 200 12.5ms user_id=3 …``"""

    def format(self, record):
        RequestIdFilter().filter(record)
        line = f"{_timestamp(record)} {record.levelname} {record.name} [{record.request_id}] {record.getMessage()}"
        if record.fields.get("event") == "request":
            line += f" user_id={record.fields['user_id'] if record.fields['user_id'] is not None else '-'}"
            if record.fields["query_keys"]:
                line += f" query_keys={','.join(record.fields['query_keys'])}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id, the record's fields, exc (traceback)."""

    def format(self, record):
        RequestIdFilter().filter(record)
        data = {"ts": _timestamp(record), "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "request_id": record.request_id, **record.fields}
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
