"""Log records carry the request id; by convention they carry IDs, never names."""

import logging

from safepath.core.request_context import current_request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id()
        record.request_id = str(request_id) if request_id else "-"
        return True
