"""The grader's data format and its proxy into the sandbox: plain data only, validated on receipt."""
import base64
import json

import numpy as np
import pytest

from lessons_lib.grade import wire
from lessons_lib.grade.runner import Session, SandboxFunction, rebuild_exception, SandboxError
from lessons_lib.grade.sandbox import Limits


@pytest.mark.parametrize("value", [None, True, 3, -2.5, float("inf"), "text", [1, (2.0, "x")], {"a": [None]},
                                   np.arange(6, dtype=np.int32).reshape(2, 3), np.float64(0.1), ...])
def test_plain_data_survives_a_round_trip_through_json(value):
    back = wire.decode(json.loads(json.dumps(wire.encode(value))))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and (back == value).all()
    else:
        assert back == value and type(back) is type(value)


def test_arrays_keep_their_writeable_flag():
    frozen = np.ones(3)
    frozen.flags.writeable = False
    assert not wire.decode(wire.encode(frozen)).flags.writeable
    assert wire.decode(wire.encode(np.ones(3))).flags.writeable


@pytest.mark.parametrize("bad", [
    {"t": "nd", "dtype": "|O", "shape": [1], "data": base64.b64encode(b"\0" * 8).decode()},   # object dtype
    {"t": "nd", "dtype": "<f8", "shape": [3], "data": base64.b64encode(b"\0" * 8).decode()},  # bytes != shape
    {"t": "nd", "dtype": "<f8", "shape": [-1], "data": ""},
    {"t": "pickle", "data": "gASV"},
    {"t": "float", "v": "1e308"},
    [1, 2],
])
def test_malformed_data_is_rejected(bad):
    with pytest.raises(wire.WireError):
        wire.decode(bad)


def test_objects_that_are_not_data_arrive_as_opaque_values():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    back = wire.decode(wire.encode(AlwaysEqual()))
    assert isinstance(back, wire.Opaque) and back != 1 and back != "a"


def test_exceptions_are_rebuilt_by_type_and_unknown_ones_are_generic():
    assert type(rebuild_exception({"type": "ValueError", "message": "shapes"})) is ValueError
    assert type(rebuild_exception({"type": "NotImplementedError", "message": ""})) is NotImplementedError
    err = rebuild_exception({"type": "SystemExit", "message": "0"})
    assert type(err) is SandboxError and "SystemExit" in str(err)


def test_the_proxy_calls_into_the_sandbox_with_read_only_arrays_kept_read_only():
    session = Session(Limits(cell_timeout=20))
    try:
        assert session.run("import numpy as np\ndef scale(a):\n    a *= 2\n    return a\n"
                           "def flags(a):\n    return bool(a.flags.writeable)")["status"] == "ok"
        scale, flags = session.value("scale"), session.value("flags")
        assert isinstance(scale, SandboxFunction)
        frozen = np.ones(2)
        frozen.flags.writeable = False
        assert flags(frozen) is False and flags(np.ones(2)) is True
        with pytest.raises(ValueError, match="read-only"):
            scale(frozen)
        np.testing.assert_array_equal(scale(np.ones(2)), [2.0, 2.0])
    finally:
        session.close()


def test_every_item_status_has_an_icon_and_the_checks_statuses_come_first():
    from lessons_lib.checks.engine import STATUSES
    from lessons_lib.grade.scoring import ICONS, ITEM_STATUSES, status_label

    assert set(ICONS) == set(ITEM_STATUSES) and ITEM_STATUSES[:len(STATUSES)] == STATUSES
    assert status_label("failed") == "NOT YET" and status_label("reference_used") == "reference used"
