# Looks for web links (http, www, .com and similar), except a bare YouTube link in a short comment: votes spam.
import re

LINK = re.compile(r"https?://|\bwww\.|\.(?:com|net|org|ly|tv|info)\b", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
YOUTUBE = re.compile(r"youtube\.com|youtu\.be", re.IGNORECASE)


def label_function(comment):
    if not LINK.search(comment):
        return -1
    urls = URL.findall(comment)
    if urls and all(YOUTUBE.search(u) for u in urls) and len(comment.split()) < 8:
        return -1
    return 1
