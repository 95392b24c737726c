"""Pure functions of state, no clock: tags and tag history, import selection, triggers, pruning,
RBAC evaluation, the pull decision, backoff and throttle arithmetic, each restating one upstream
function or file (cited in its module's docstring).
"""
