"""The one exception a user can cause. The CLI prints its message as one line and exits 2."""


class ViewcastError(ValueError):
    """Bad input or settings: the message says what, where, and how to fix it."""


class DataError(ViewcastError):
    """A series that cannot be read or used as it is."""


class SpecError(ViewcastError):
    """A model spec string that does not follow the grammar."""
