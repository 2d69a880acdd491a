# Looks for relaxed timing phrases ("no rush", "whenever", "low priority", "not urgent"): votes routine.
import re

CALM = re.compile(r"\b(?:no\s+rush|no\s+hurry|whenever|when\s+you\s+get\s+a\s+chance|when\s+possible|low\s+prio\w*|not\s+urgent|no\s+urgency|take\s+your\s+time|can\s+wait|not\s+a\s+big\s+deal|next\s+sprint|sometime|just\s+for\s+your\s+list|fyi)\b", re.IGNORECASE)


def label_function(ticket):
    if CALM.search(ticket):
        return 0
    return -1
