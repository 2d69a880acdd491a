# Looks for short remarks about view counts or the year ("views", "billion", "2015"): votes ham.
import re

VIEWS = re.compile(r"\b(?:views?|viewers?|billion|million|\d{1,3}(?:,\d{3}){2,})\b|\b20[01]\d\b", re.IGNORECASE)
PROMO = re.compile(r"\b(?:like\s+this\s+comment|thumbs\s+up\s+if|check|channel|my|share|earn)\b|subscri|https?://|www\.", re.IGNORECASE)


def label_function(comment):
    if len(comment.split()) <= 20 and VIEWS.search(comment) and not PROMO.search(comment):
        return 0
    return -1
