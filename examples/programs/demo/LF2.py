# Looks for outage words ("down", "offline", "crashing", "unreachable") outside maintenance notices and past events: votes urgent.
import re

OUTAGE = re.compile(r"\b(?:down|offline|crash\w*|dead|died|unreachable|not\s+responding|stopped\s+working|won't\s+start|500\s+errors?|blue\s+screen)\b", re.IGNORECASE)
NOT_NOW = re.compile(r"\b(?:maintenance|planned|reminder|upgrade|last\s+week|working\s+again|is\s+back|fine\s+now|all\s+good|fixed|never\s+mind)\b", re.IGNORECASE)


def label_function(ticket):
    if OUTAGE.search(ticket) and not NOT_NOW.search(ticket):
        return 1
    return -1
