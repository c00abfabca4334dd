"""The permissions behind the management pages of the societal picture."""

IMPORT_PERM = "indicators.add_observation"
RULE_ADD_PERM = "indicators.add_signalrule"
RULE_CHANGE_PERM = "indicators.change_signalrule"
RECOMPUTE_PERM = "indicators.add_compositerun"
INDICATOR_ADD_PERM = "indicators.add_indicator"
INDICATOR_CHANGE_PERM = "indicators.change_indicator"
#: Any one of these opens the management overview (and shows its link in the navigation).
MANAGE_PERMS = (
    IMPORT_PERM,
    RULE_ADD_PERM,
    RULE_CHANGE_PERM,
    RECOMPUTE_PERM,
    INDICATOR_ADD_PERM,
    INDICATOR_CHANGE_PERM,
)
