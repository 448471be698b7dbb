"""The install plan for another platform, from any OS.

``targets`` names the platforms (uv's triple, pip's tags, the marker
environment), ``pipdriver`` runs pip's own resolver under a target's marker
environment, ``pipplan`` and ``uvplan`` turn each resolver's answer into the
exact files, ``compare`` says why the two disagree, ``wheelpaths`` reads the
deepest path a wheel installs (its MAX_PATH budget), ``pylock`` writes and
checks hash-pinned locks and ``lock`` is ``python -m harness lock``.
"""
