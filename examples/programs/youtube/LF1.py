# Looks for requests to "check out" / "check my" something: votes spam.
import re

CHECK = re.compile(r"\bcheck\s*(?:it\s+)?(?:out|my|this|our)\b|\bcheckout\b", re.IGNORECASE)


def label_function(comment):
    if CHECK.search(comment):
        return 1
    return -1
