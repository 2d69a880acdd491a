# Looks for requests to subscribe (including common misspellings and "sub4sub"): votes spam.
import re

SUBSCRIBE = re.compile(r"\b(?:subscribe|subscribers?|suscribe|subcribe|subscrib|sub\s*4\s*sub|sub\s+to\s+me|subs)\b", re.IGNORECASE)


def label_function(comment):
    if SUBSCRIBE.search(comment):
        return 1
    return -1
