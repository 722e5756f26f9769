"""Every schema of the OpenAPI document as an attrs class (generated): ``SessionCreate``,
``TextSend``, ``MessageOut``, ``MessageReceivedEvent`` … Build a request body with its
constructor; read an answer's fields as attributes; ``to_dict()`` gives the JSON.
"""

from ._generated.models import *  # noqa: F403
from ._generated.models import __all__ as __all__
