"""The analyst side's own errors: one base class, a code, and a message in Vietnamese and English.

Texts live in greengrowth/strings_service.yaml under `service_error.<code>` (or
`service_error.<code>.<action>` when the words depend on what was tried), so the web app, the CLI and
tests show and check the same sentence.
"""

from __future__ import annotations

from greengrowth.i18n import strings, t


class ServiceError(ValueError):
    """A refused or impossible analyst action; `code` names the reason, `params` fill its message."""

    def __init__(self, code: str, action: str | None = None, **params: object):
        self.code, self.action, self.params = code, action, params
        super().__init__(f"{self.message('vi')} / {self.message('en')}")

    def __reduce__(self):  # picklable (caches, worker processes) despite the keyword arguments
        return (_rebuild, (self.code, self.action, self.params))

    def message(self, lang: str = "vi") -> str:
        key = f"service_error.{self.code}"
        if self.action and f"{key}.{self.action}" in strings():
            key = f"{key}.{self.action}"
        return t(key, lang, **self.params)


def _rebuild(code: str, action: str | None, params: dict) -> ServiceError:
    return ServiceError(code, action, **params)
