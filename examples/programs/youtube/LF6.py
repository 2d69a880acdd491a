# Looks for comments about the song itself ("song", "love this", "best song") without self-promotion: votes ham.
import re

SONG = re.compile(r"\b(?:song|songs|love\s+(?:this|it|her|him|you)|lyrics|beat|chorus|music\s+video)\b", re.IGNORECASE)
PROMO = re.compile(r"\b(?:my|check|subscribe|channel|https?|www)\b|\.com|\blike\s+this\s+comment\b", re.IGNORECASE)


def label_function(comment):
    if SONG.search(comment) and not PROMO.search(comment):
        return 0
    return -1
