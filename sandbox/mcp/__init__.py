"""``sandbox mcp``: a scenario served over the Model Context Protocol (a leaf: nothing imports it).

Needs the ``mcp`` extra: ``pip install 'agent-sandbox[mcp]'``.
"""
