"""The read-side fixtures: English pages and the worked example of docs/maturity.md."""

from tests.read_side import _english, example  # noqa: F401
