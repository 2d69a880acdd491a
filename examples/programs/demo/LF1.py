# Looks for alarm words such as "urgent", "ASAP", "emergency", "immediately", skipping "not urgent" and questions about urgent tickets: votes urgent.
import re

ALARM = re.compile(r"\b(?:urgent|urgently|asap|emergency|immediately|right\s+now)\b|緊急", re.IGNORECASE)
SKIP = re.compile(r"\b(?:not|no|non)[\s-]+(?:urgent|emergency)\b|\b(?:ticket|tickets|message|issue|process|contact\s+list)\b|\?", re.IGNORECASE)


def label_function(ticket):
    if ALARM.search(ticket) and not SKIP.search(ticket):
        return 1
    return -1
