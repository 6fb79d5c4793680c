"""The data format between the grader and its sandbox: JSON, with arrays as dtype/shape/base64 bytes.

Nothing from the sandbox is ever unpickled. ``encode(value)`` turns plain data into JSON-ready
objects; ``decode(obj)`` validates and rebuilds it, raising ``WireError`` for anything malformed.

    None, bool, int, float (incl. nan/inf), str  ->  themselves
    list / tuple / dict with str keys             ->  {"t": "list"|"tuple"|"dict", ...}
    numpy array of bool/int/uint/float/complex    ->  {"t": "nd", "dtype", "shape", "data", "writeable"}
    numpy scalar                                   ->  {"t": "np", "dtype", "data"}
    Ellipsis                                       ->  {"t": "ellipsis"}
    a function (sandbox side only)                 ->  {"t": "callable", "handle": k}
    anything else                                  ->  {"t": "opaque", "type": name}  (decoded as ``Opaque``)
"""
import base64
import math

import numpy as np

MAX_DEPTH = 20
MAX_ITEMS = 100_000
MAX_TEXT = 1_000_000
MAX_ARRAY_BYTES = 64 * 1024 * 1024
_KINDS = "biufc"


class WireError(ValueError):
    """A message that is not valid data in the wire format."""


class Opaque:
    """Stands for a sandbox object that is not plain data (it compares equal to nothing but itself)."""

    def __init__(self, type_name, kind="object"):
        self.type_name, self.kind = str(type_name)[:80], kind

    def __repr__(self):
        return f"<a value of type {self.type_name}>"


def _opaque(value):
    try:
        name = type(value).__name__
    except Exception:  # a learner's object may break even this
        name = "object"
    return {"t": "opaque", "type": str(name)[:80]}


def encode(value, handles=None, _depth=0, _count=None):
    """``value`` as JSON-ready data. ``handles`` (a dict) receives callables under a numeric handle;
    without it a callable is opaque. Never calls user code except through numpy's own conversions."""
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_ITEMS or _depth > MAX_DEPTH:
        raise WireError("the value is too large or too deeply nested to send")
    if value is None or type(value) in (bool, str):
        if type(value) is str and len(value) > MAX_TEXT:
            raise WireError("the text is too long to send")
        return value
    if type(value) is int:
        return value if abs(value) < 10 ** 300 else float(value)
    if type(value) is float:
        return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(value, np.ndarray) and type(value) is np.ndarray:
        if value.dtype.kind not in _KINDS and value.dtype.kind != "b":
            return _opaque(value)
        if value.nbytes > MAX_ARRAY_BYTES:
            raise WireError("the array is too large to send")
        data = np.ascontiguousarray(value)
        return {"t": "nd", "dtype": data.dtype.str, "shape": list(data.shape),
                "data": base64.b64encode(data.tobytes()).decode("ascii"),
                "writeable": bool(value.flags.writeable)}
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind not in _KINDS:
            return _opaque(value)
        return {"t": "np", "dtype": value.dtype.str,
                "data": base64.b64encode(value.tobytes()).decode("ascii")}
    if type(value) in (list, tuple):
        return {"t": type(value).__name__, "items": [encode(v, handles, _depth + 1, count) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"t": "dict", "items": {k: encode(v, handles, _depth + 1, count) for k, v in value.items()}}
    if callable(value) and not isinstance(value, type):
        if handles is None:
            return _opaque(value)
        handles[len(handles) + 1] = value
        return {"t": "callable", "handle": len(handles)}
    if hasattr(type(value), "__next__"):
        return {"t": "opaque", "type": "iterator", "kind": "iterator"}
    return _opaque(value)


def _dtype(text):
    try:
        dtype = np.dtype(str(text))
    except TypeError:
        raise WireError(f"bad dtype {text!r}") from None
    if dtype.kind not in _KINDS or dtype.hasobject:
        raise WireError(f"dtype {text!r} is not numeric")
    return dtype


def decode(obj, _depth=0):
    """Rebuild a value from ``encode``'s output, checking every part; ``WireError`` when malformed.

    Arrays come back as fresh arrays with the sent ``writeable`` flag.
    """
    if _depth > MAX_DEPTH:
        raise WireError("too deeply nested")
    if obj is None or type(obj) in (bool, int, float, str):
        return obj
    if type(obj) is not dict or not isinstance(obj.get("t"), str):
        raise WireError(f"unexpected {type(obj).__name__}")
    t = obj["t"]
    if t == "ellipsis":
        return Ellipsis
    if t == "float":
        if obj.get("v") not in ("nan", "inf", "-inf"):
            raise WireError("bad float")
        return float(obj["v"])
    if t in ("list", "tuple"):
        items = obj.get("items")
        if type(items) is not list:
            raise WireError("bad sequence")
        out = [decode(v, _depth + 1) for v in items]
        return out if t == "list" else tuple(out)
    if t == "dict":
        items = obj.get("items")
        if type(items) is not dict:
            raise WireError("bad dict")
        return {str(k): decode(v, _depth + 1) for k, v in items.items()}
    if t in ("nd", "np"):
        dtype = _dtype(obj.get("dtype"))
        try:
            raw = base64.b64decode(str(obj.get("data", "")), validate=True)
        except ValueError:
            raise WireError("bad array bytes") from None
        if t == "np":
            if len(raw) != dtype.itemsize:
                raise WireError("bad scalar size")
            return np.frombuffer(raw, dtype=dtype)[0]
        shape = obj.get("shape")
        if type(shape) is not list or len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape):
            raise WireError("bad shape")
        if math.prod(shape) * dtype.itemsize != len(raw) or len(raw) > MAX_ARRAY_BYTES:
            raise WireError("array bytes do not match dtype and shape")
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        arr.flags.writeable = bool(obj.get("writeable", True))
        return arr
    if t == "callable":
        if type(obj.get("handle")) is not int:
            raise WireError("bad handle")
        return CallableRef(obj["handle"])
    if t == "opaque":
        return Opaque(obj.get("type", "object"), obj.get("kind", "object"))
    raise WireError(f"unknown tag {t!r}")


class CallableRef:
    """A function that lives in the sandbox, known by its handle (see ``runner.SandboxFunction``)."""

    def __init__(self, handle):
        self.handle = handle
