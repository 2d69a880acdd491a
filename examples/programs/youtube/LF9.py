# Looks for money and prize talk ("free", "win", "$", "paypal", "earn", "gift card"): votes spam.
import re

MONEY = re.compile(r"\$\s*\d|\b(?:free|win|winning|winner|giveaway|give\s+away|gift\s*cards?|paypal|earn|income|cash|money|prize|itunes\s+codes?|per\s+(?:day|month|week)|make\s+money)\b", re.IGNORECASE)


def label_function(comment):
    if MONEY.search(comment):
        return 1
    return -1
