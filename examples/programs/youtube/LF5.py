# Looks for begging words like "please", "plz", "pls", "help me": votes spam.
import re

PLEASE = re.compile(r"\b(?:please|plz|pls|plese|pleas|help\s+me)\b", re.IGNORECASE)


def label_function(comment):
    if PLEASE.search(comment):
        return 1
    return -1
