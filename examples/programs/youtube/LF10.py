# Looks for comments naming the singer or video (Katy Perry, Eminem, Shakira, Psy, LMFAO) without promotion: votes ham.
import re

ARTIST = re.compile(r"\b(?:katy|perry|eminem|rihanna|shakira|psy|lmfao|gangnam|roar|waka|party\s+rock|shuffl\w*)\b", re.IGNORECASE)
PROMO = re.compile(r"\b(?:check|channel|my|please|plz|free|share|vote|win|like\s+this\s+comment)\b|subscri|https?://|www\.|\.com", re.IGNORECASE)


def label_function(comment):
    if ARTIST.search(comment) and not PROMO.search(comment):
        return 0
    return -1
