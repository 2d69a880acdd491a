#!/usr/bin/env python3
"""Generate the SYNTHETIC demo dataset for Alchemist (IT support tickets).

The messages are invented from templates and word lists; none of them is a
real ticket. The generator is deterministic: it uses a private random.Random
with a fixed seed, so running it again produces byte-identical files.

Output (WRENCH JSON format) goes to datasets/demo/ next to this script's repo:
    label.json, train.json, valid.json, test.json, README.md

Usage:
    python3 scripts/make-demo-dataset.py [--out DIR]
"""

import argparse
import json
import os
import random

SEED = 20240611
LABELS = {"0": "routine", "1": "urgent"}
ROUTINE, URGENT = 0, 1

# Split sizes and the number of urgent rows in each split (35% urgent).
SPLITS = [("train", 400, 140), ("valid", 100, 35), ("test", 100, 35)]

MIN_WORDS, MAX_WORDS = 5, 40

# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

SYSTEMS = [
    "email", "Outlook", "the VPN", "the printer on floor 3", "the Wi-Fi",
    "my laptop", "the shared drive", "SAP", "the payroll system", "the CRM",
    "Salesforce", "Teams", "Zoom", "the website", "the checkout page",
    "the database server", "the phone system", "the badge reader", "Jira",
    "the build server", "the file server", "the billing portal",
    "the intranet", "the HR portal", "the backup job", "the POS terminal at till 2",
    "the warehouse scanner app", "Slack", "the café kiosk", "the label printer",
    "the ticketing app", "the customer portal", "the Tokyo office VPN",
    "the Lyon office VPN", "the warehouse Wi-Fi", "the Jenkins pipeline",
    "the door access system", "the SharePoint site", "the mail relay",
]

# Rarely used replacements that put some non-ASCII text into the data.
UNICODE_SYSTEMS = ["the café kiosk", "the 東京 office VPN", "the naïve Bayes spam filter"]

SEVERE = [
    "is completely down", "is not responding at all", "keeps crashing",
    "went offline", "is throwing 500 errors", "is unreachable",
    "won't start", "is dead", "has stopped working",
    "returns an error for every request", "lost all of today's data",
    "is stuck on a blue screen", "refuses every login", "is down",
    "is down again", "has been down for an hour", "crashed and won't come back",
    "is down for us too", "went down ten minutes ago",
]

MILD = [
    "is a bit slow", "looks weird", "shows the wrong font",
    "asks me to log in twice", "has a flickering icon",
    "is slower than usual in the afternoon", "sometimes shows an old version",
    "makes a strange noise", "prints a little faded",
    "gives a warning I don't understand", "drops the connection now and then",
    "has a typo on the login page", "takes ages to open attachments",
    "shows the date in the wrong format", "beeps once when it boots",
]

SCOPE_MANY = [
    "the whole office", "everyone on the sales team",
    "all 40 people on the second floor", "every customer",
    "the entire call center", "all branches", "the whole finance department",
    "the night shift", "both warehouses",
]

SCOPE_ONE = [
    "just me", "only my account", "me and maybe one colleague",
    "the spare desk by the window", "one of the interns",
]

PRESSURE_HIGH = [
    "we are losing sales every minute", "customers are calling nonstop",
    "the CEO presentation starts in 20 minutes", "payroll has to go out today",
    "this is blocking the release", "we cannot take orders",
    "the audit is this afternoon", "please call me right away",
    "need this fixed immediately", "nobody can work",
    "the trucks are waiting at the dock", "the client demo is in an hour",
    "this is urgent", "urgent, please fix asap", "please treat this as urgent",
    "we need it back asap",
]

PRESSURE_LOW = [
    "no rush", "whenever you have time", "not urgent",
    "it can wait until next week", "low priority", "no hurry at all",
    "sometime this month is fine", "when you get a chance",
    "no urgency", "just for your list", "low prio", "next sprint is fine",
    "only when the queue is quiet", "take your time", "not a big deal",
]

GREETINGS = [
    "Hi,", "Hello team,", "Hey IT,", "Good morning,", "Hi there,", "", "",
    "", "", "", "Dear helpdesk,", "Yo,", "Hello again,",
]

CLOSINGS = [
    "Thanks!", "Thank you.", "Cheers", "", "", "", "", "", "Regards, Ana",
    "thx", "Much appreciated", "Best, Jo", "TIA", "Thanks in advance", "- Sam",
]

UNICODE_CLOSINGS = ["Much appreciated 🙏", "Merci beaucoup, à bientôt", "Best, Jörg"]

REQUEST_ITEMS = [
    "a new mouse", "access to the marketing folder", "a second monitor",
    "Adobe Acrobat installed", "a guest Wi-Fi code for a visitor next Tuesday",
    "an extra Visio license", "a larger mailbox",
    "Priya added to the sales distribution list", "a standing desk",
    "Python installed on my machine", "a new keyboard with a numpad",
    "the shared calendar for room 4B", "a headset for calls",
    "my display name changed to Zoë", "a USB-C adapter",
    "read access to the finance reports", "a docking station",
    "the old projector removed from room 2",
]

TRIVIAL_ITEMS = [
    "mouse", "keyboard", "laptop bag", "webcam cover", "monitor stand",
    "mouse pad", "desk lamp", "phone charger",
]

TRIVIAL_REASONS = [
    "mine is scratched", "the color doesn't match", "mine squeaks a bit",
    "I just like the newer model", "the old one is a bit wobbly",
    "a colleague got a nicer one",
]

SECURITY = [
    "I clicked a link in a weird email and now my files have strange extensions",
    "someone is logged into my account from another country right now",
    "my account is sending spam to all our clients",
    "my laptop was stolen from my car and it has client files on it",
    "I sent the gift card codes to someone pretending to be the CEO",
    "there is a ransom note on every screen in accounting",
    "antivirus says {system} is infected and it is spreading to other machines",
    "I typed my password into a fake login page a minute ago",
]

PHYSICAL = [
    "smoke is coming out of the server rack in room B",
    "water is dripping onto the switches in the basement",
    "the server room is at 38 degrees and the AC is off",
    "the UPS is beeping and the lights in the server room just went out",
    "a pipe burst above the network closet",
]

DEADLINES = [
    "the board meeting starts in 10 minutes",
    "I have to submit the tender by noon",
    "the client is on the call waiting",
    "the tax filing is due in one hour",
    "I am presenting to the investors at 2",
    "the live broadcast starts in 15 minutes",
]

REFERENCE_WORDS = [
    "urgent", "critical", "emergency", "high priority", "P1", "priority one",
    "red",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


# ---------------------------------------------------------------------------
# Template families. Each returns (text, label). Some families carry signals
# that point the other way, so that simple keyword rules are imperfect.
# ---------------------------------------------------------------------------

def pick(rng, items):
    return rng.choice(items)


def wrap(rng, body):
    """Add an optional greeting and closing around a message body."""
    parts = [pick(rng, GREETINGS), body, pick(rng, CLOSINGS)]
    return " ".join(p for p in parts if p)


def cap(s):
    return s[:1].upper() + s[1:]


def u_outage(rng):
    s, sym, who = pick(rng, SYSTEMS), pick(rng, SEVERE), pick(rng, SCOPE_MANY)
    form = rng.randrange(4)
    if form == 0:
        body = "%s %s for %s, %s." % (cap(s), sym, who, pick(rng, PRESSURE_HIGH))
    elif form == 1:
        body = "URGENT: %s %s. %s." % (s, sym, cap(pick(rng, PRESSURE_HIGH)))
    elif form == 2:
        body = "%s %s!! %s can't do anything" % (cap(s), sym, cap(who))
    else:
        body = "Since 9am %s %s for %s." % (s, sym, who)
    return wrap(rng, body), URGENT


def u_shout(rng):
    s = pick(rng, SYSTEMS).upper()
    body = pick(rng, [
        "%s IS DOWN!!! %s" % (s, pick(rng, PRESSURE_HIGH)),
        "%s IS DOWN AGAIN, HELP" % s,
        "help!!! %s %s" % (s.lower(), pick(rng, SEVERE)),
        "%s NOT WORKING, %s" % (s, pick(rng, PRESSURE_HIGH)),
        "URGENT!! %s %s" % (s.lower(), pick(rng, SEVERE)),
    ])
    return body, URGENT


def u_quiet(rng):
    # Urgent, but written calmly and politely, with no alarm words.
    s = pick(rng, SYSTEMS)
    body = pick(rng, [
        "Sorry to bother you, probably a silly question, but %s %s for %s."
        % (s, pick(rng, SEVERE), pick(rng, SCOPE_MANY)),
        "When you get a moment: %s %s and %s."
        % (s, pick(rng, SEVERE), pick(rng, PRESSURE_HIGH)),
        "Quick one, %s %s and %s is waiting on it."
        % (s, pick(rng, SEVERE), pick(rng, SCOPE_MANY)),
        "Not sure who to ask, %s %s since lunch and %s."
        % (s, pick(rng, SEVERE), pick(rng, PRESSURE_HIGH)),
        "No rush on my other ticket, but %s %s for %s."
        % (s, pick(rng, SEVERE), pick(rng, SCOPE_MANY)),
    ])
    return wrap(rng, body), URGENT


def u_deadline(rng):
    # A mild symptom, but a hard deadline makes it urgent.
    s, sym, dl = pick(rng, SYSTEMS), pick(rng, MILD), pick(rng, DEADLINES)
    body = pick(rng, [
        "%s %s and %s, please help!" % (cap(s), sym, dl),
        "Urgent: %s %s and %s." % (s, sym, dl),
        "%s %s, %s, please fix asap." % (cap(s), sym, dl),
        "%s %s. Normally fine but %s." % (cap(s), sym, dl),
        "Can someone look at %s right now? It %s and %s."
        % (s, sym, dl),
    ])
    return wrap(rng, body), URGENT


def u_escalate(rng):
    # Starts like a routine report, then gets worse.
    s = pick(rng, SYSTEMS)
    body = "%s %s... actually scratch that, it %s now and %s." % (
        cap(s), pick(rng, MILD), pick(rng, ["just died", "crashed completely",
                                            "is gone", "went dark"]),
        pick(rng, PRESSURE_HIGH))
    return wrap(rng, body), URGENT


def u_security(rng):
    event = pick(rng, SECURITY).format(system=pick(rng, SYSTEMS))
    body = pick(rng, [
        "%s, what do I do?" % cap(event),
        "%s." % cap(event),
        "Please call me, %s." % event,
        "Urgent security issue: %s." % event,
        "%s!" % cap(event),
    ])
    return wrap(rng, body), URGENT


def u_physical(rng):
    body = "%s%s" % (cap(pick(rng, PHYSICAL)),
                     pick(rng, [".", "!", "!!", ", send someone now.",
                                ", is anyone in the building?"]))
    return body, URGENT


def r_request(rng):
    item = pick(rng, REQUEST_ITEMS)
    body = pick(rng, [
        "Could I get %s? %s." % (item, cap(pick(rng, PRESSURE_LOW))),
        "Requesting %s please." % item,
        "Can you arrange %s for me, %s." % (item, pick(rng, PRESSURE_LOW)),
        "Can you arrange %s for me? Thanks." % item,
        "I'd like %s when possible." % item,
        "New starter on %s needs %s." % (pick(rng, WEEKDAYS), item),
    ])
    return wrap(rng, body), ROUTINE


def r_mild(rng):
    s, sym = pick(rng, SYSTEMS), pick(rng, MILD)
    body = pick(rng, [
        "%s %s, %s." % (cap(s), sym, pick(rng, PRESSURE_LOW)),
        "No rush, but %s %s." % (s, sym),
        "FYI %s %s. %s." % (s, sym, cap(pick(rng, PRESSURE_LOW))),
        "Small thing: %s %s for %s." % (s, sym, pick(rng, SCOPE_ONE)),
        "%s %s, %s" % (cap(s), sym, pick(rng, PRESSURE_LOW)),
    ])
    return wrap(rng, body), ROUTINE


def r_planned(rng):
    # Mentions "down" / "outage" but is just an announcement or question.
    s, day = pick(rng, SYSTEMS), pick(rng, WEEKDAYS)
    body = pick(rng, [
        "Is %s going to be down during the maintenance window on %s?"
        % (s, day),
        "Reminder: %s will be down %s night for the upgrade, nothing to do."
        % (s, day),
        "Will the planned maintenance of %s on %s affect the night shift?"
        % (s, day),
        "Heads up, %s gets a software update on %s evening, no action needed."
        % (s, day),
        "Can we move the %s downtime from %s to the weekend?" % (s, day),
    ])
    return wrap(rng, body), ROUTINE


def r_resolved(rng):
    # Uses alarm words about something that is already fixed.
    s = pick(rng, SYSTEMS)
    word = pick(rng, REFERENCE_WORDS)
    body = pick(rng, [
        "Update: %s is working again, you can close the %s ticket from this morning."
        % (s, word),
        "Last week %s %s for everyone, all good now, just logging it."
        % (s, pick(rng, ["was down", "crashed", "was offline"])),
        "The %s issue with %s fixed itself after a restart, thanks anyway."
        % (word, s),
        "Never mind my earlier %s message, %s is back." % (word, s),
        "%s was offline for five minutes this morning, fine now, just FYI."
        % (cap(s),),
    ])
    return wrap(rng, body), ROUTINE


def r_process(rng):
    # Questions about process that mention urgency words.
    word = pick(rng, REFERENCE_WORDS)
    body = pick(rng, [
        "What is the process for flagging %s tickets?" % word,
        "Who is on call for %s issues during the holidays?" % word,
        "Could you send me the %s escalation phone number for my notes?"
        % word,
        "How do I mark a ticket as %s in the new portal?" % word,
        "Where is the %s contact list for %s kept?"
        % (word, pick(rng, SYSTEMS)),
    ])
    return wrap(rng, body), ROUTINE


def r_trivial_asap(rng):
    # Loud time words, trivial request: routine.
    item, why = pick(rng, TRIVIAL_ITEMS), pick(rng, TRIVIAL_REASONS)
    body = pick(rng, [
        "Need a new %s ASAP, %s." % (item, why),
        "Please order a new %s asap!! %s" % (item, cap(why)),
        "Can I get a new %s right away? %s." % (item, cap(why)),
        "quick one!! new %s please, %s" % (item, why),
    ])
    return wrap(rng, body), ROUTINE


def r_single_severe(rng):
    # A severe symptom on something unimportant, with a workaround: routine.
    s = pick(rng, ["my test VM", "the spare laptop", "the old kiosk",
                   "the lobby TV", "my home printer", "the demo tablet",
                   "the training room PC", "my second monitor"])
    sym = pick(rng, SEVERE[:13])
    body = pick(rng, [
        "%s %s, not important, I can use another one." % (cap(s), sym),
        "%s %s but %s." % (cap(s), sym, pick(rng, PRESSURE_LOW)),
        "Heads up, %s %s. Nobody uses it much." % (s, sym),
    ])
    return wrap(rng, body), ROUTINE


URGENT_FAMILIES = [
    (u_outage, 30), (u_shout, 10), (u_quiet, 14), (u_deadline, 14),
    (u_escalate, 8), (u_security, 14), (u_physical, 4),
]
ROUTINE_FAMILIES = [
    (r_request, 28), (r_mild, 28), (r_planned, 7), (r_resolved, 9),
    (r_process, 8), (r_trivial_asap, 8), (r_single_severe, 10),
]


# ---------------------------------------------------------------------------
# Noise: typos and casing, applied to some messages.
# ---------------------------------------------------------------------------

def add_typo(rng, text):
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    kind = rng.randrange(3)
    j = rng.randrange(1, len(w) - 1)
    if kind == 0:  # swap two neighbouring letters
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif kind == 1:  # drop a letter
        w = w[:j] + w[j + 1:]
    else:  # double a letter
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def add_noise(rng, text):
    r = rng.random()
    if r < 0.18:
        text = add_typo(rng, text)
    elif r < 0.24:
        text = text.lower()
    elif r < 0.28:
        text = add_typo(rng, add_typo(rng, text))
    return text


def add_unicode(rng, text, label):
    """For a few messages, add accents, emoji or CJK text."""
    if rng.random() >= 0.045:
        return text
    kind = rng.randrange(5)
    if kind == 0 and text[-1:] in ".?!":
        return text + " " + pick(rng, UNICODE_CLOSINGS)
    if kind == 0:
        return text + " 🙏"
    if kind == 1:
        return text + " " + ("🔥" if label == URGENT else "🙂")
    if kind == 2:
        return ("【緊急】 " if label == URGENT else "【質問】 ") + text
    if kind == 3:
        return text + " (sorry if this is a naïve question)"
    for plain in SYSTEMS:
        if plain in text:
            return text.replace(plain, pick(rng, UNICODE_SYSTEMS), 1)
    return text + " " + pick(rng, UNICODE_CLOSINGS)


def weighted_pick(rng, families):
    total = sum(w for _, w in families)
    x = rng.randrange(total)
    for fn, w in families:
        if x < w:
            return fn
        x -= w
    raise AssertionError("unreachable")


def norm(text):
    return " ".join(text.lower().split())


def generate(rng, families, label, count, seen):
    out = []
    attempts = 0
    while len(out) < count:
        attempts += 1
        if attempts > count * 200:
            raise RuntimeError("could not generate enough unique texts")
        text, lab = weighted_pick(rng, families)(rng)
        assert lab == label
        text = add_noise(rng, " ".join(text.split()))
        text = add_unicode(rng, text, label)
        n_words = len(text.split())
        if not (MIN_WORDS <= n_words <= MAX_WORDS):
            continue
        key = norm(text)
        if key in seen:
            continue
        seen.add(key)
        out.append({"label": label, "data": {"text": text}})
    return out


def write_split(path, rows):
    lines = []
    for i, row in enumerate(rows):
        lines.append('\t"%d": %s' % (i, json.dumps(row, ensure_ascii=False)))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("{\n" + ",\n".join(lines) + "\n}\n")


def write_readme(path, counts):
    total = sum(n for _, n, _ in counts)
    rows = "\n".join(
        "| %s | %d | %d | %d |" % (name, n, n - u, u) for name, n, u in counts)
    text = """\
This dataset is SYNTHETIC: it was generated by `scripts/make-demo-dataset.py` with a fixed seed ({seed}); the messages are invented from templates and word lists and are not real tickets.

# Demo dataset: IT support tickets, routine vs urgent

Purpose: offline demos and tests of Alchemist (no network, no real data needed).

Task: classify a short IT support-desk message as routine or urgent.

Classes (`label.json`):

| id | name |
|----|------|
| 0 | routine |
| 1 | urgent |

Splits ({total} rows in total):

| split | rows | routine (0) | urgent (1) |
|-------|------|-------------|------------|
{rows}

Format: WRENCH JSON. Each split file is one JSON object keyed `"0"`, `"1"`, ...
with values `{{"label": 0|1, "data": {{"text": "..."}}}}`, one example per line.

The generator mixes in typos, lower-cased messages, polite urgent messages,
loud but trivial requests, planned-maintenance notices and references to
already-fixed problems, so single keyword rules are useful but imperfect.
A few texts contain non-ASCII characters (accents, emoji, CJK) to exercise
Unicode handling. No text appears twice, within or across splits.

Regenerate (output is byte-identical each time):

    python3 scripts/make-demo-dataset.py
""".format(seed=SEED, total=total, rows=rows)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "datasets", "demo")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=default_out, help="output directory")
    args = ap.parse_args()

    rng = random.Random(SEED)
    seen = set()
    n_urgent = sum(u for _, _, u in SPLITS)
    n_routine = sum(n - u for _, n, u in SPLITS)
    urgent = generate(rng, URGENT_FAMILIES, URGENT, n_urgent, seen)
    routine = generate(rng, ROUTINE_FAMILIES, ROUTINE, n_routine, seen)

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "label.json"), "w", encoding="utf-8",
              newline="\n") as f:
        f.write(json.dumps(LABELS, ensure_ascii=False) + "\n")

    counts = []
    ui = ri = 0
    for name, size, n_u in SPLITS:
        rows = urgent[ui:ui + n_u] + routine[ri:ri + size - n_u]
        ui += n_u
        ri += size - n_u
        rng.shuffle(rows)
        write_split(os.path.join(args.out, name + ".json"), rows)
        counts.append((name, size, n_u))
    write_readme(os.path.join(args.out, "README.md"), counts)

    for name, size, n_u in counts:
        print("%s: %d rows, %d routine, %d urgent" % (name, size, size - n_u, n_u))


if __name__ == "__main__":
    main()
