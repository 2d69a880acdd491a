# Looks for self-promotion such as "my channel", "my video", "my page", "my music": votes spam.
import re

MINE = re.compile(r"\bmy\s+(?:new\s+|youtube\s+|own\s+)?(?:channel|video|videos|vids?|page|music|songs?|cover|covers|playlist|band|site|website|blog|account|youtube|stuff)\b", re.IGNORECASE)


def label_function(comment):
    if MINE.search(comment):
        return 1
    return -1
