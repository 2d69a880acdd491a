# Looks for very short comments (at most 5 words) without links or requests: votes ham.
import re

REQUEST = re.compile(r"https?://|www\.|\.com|subscri|\b(?:check|channel|my|please|plz|follow|share|like\s+this\s+comment|give\s+it\s+a\s+like)\b", re.IGNORECASE)


def label_function(comment):
    words = comment.split()
    if 0 < len(words) <= 5 and not REQUEST.search(comment):
        return 0
    return -1
