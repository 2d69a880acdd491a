# Looks for requests and questions ("could I get", "requesting", a question mark) without alarm words: votes routine.
import re

REQUEST = re.compile(r"\b(?:could\s+i\s+get|can\s+i\s+get|can\s+you\s+arrange|requesting|i'd\s+like|new\s+starter|order\s+a\s+new|need\s+a\s+new)\b|\?", re.IGNORECASE)
ALARM = re.compile(r"\b(?:help|call\s+me|right\s+now|down|crash\w*|what\s+do\s+i\s+do)\b|!!", re.IGNORECASE)


def label_function(ticket):
    if REQUEST.search(ticket) and not ALARM.search(ticket):
        return 0
    return -1
