# Looks for business impact or a close deadline ("customers", "nobody can work", "in 20 minutes", "by noon"): votes urgent.
import re

IMPACT = re.compile(r"\b(?:customers?\s+are|every\s+customer|nobody\s+can|can't\s+do\s+anything|cannot\s+take|losing|waiting|blocking|in\s+\d+\s+minutes|in\s+an\s+hour|in\s+one\s+hour|by\s+noon|at\s+\d+\b|today|this\s+afternoon|starts?\s+in|stolen|ransom|phishing|fake\s+login|infected|smoke|water|burst)\b", re.IGNORECASE)


def label_function(ticket):
    if IMPACT.search(ticket):
        return 1
    return -1
