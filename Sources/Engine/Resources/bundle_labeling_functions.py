"""The labeling programs exported by Alchemist, as plain Python functions and, where snorkel is
installed, as snorkel LabelingFunctions.

    import labeling_functions as lf
    lf.CLASSES                 # class names; a vote is an index into them, -1 abstains
    lf.label_functions         # [function(text) -> vote], in the order of programs.json
    lf.FUNCTIONS               # [(column name, function)]
    lf.lfs                     # snorkel LabelingFunctions over a data point's "text" field ([] without snorkel)
    lf.snorkel_lfs("body")     # the same over another field

Each program is loaded from its own file into a module of its own. A vote that is not an int in
-1..len(CLASSES)-1, or a call that raises, counts as -1 (abstain), as in Alchemist's sandbox.

These programs were written by a language model. Here they run in your Python process with no
sandbox: read them before you run them on data you care about.
"""
import importlib.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "programs.json"), encoding="utf-8") as _manifest_file:
    MANIFEST = json.load(_manifest_file)

CLASSES = list(MANIFEST["classes"])


def _load(entry):
    path = os.path.join(HERE, entry["file"])
    spec = importlib.util.spec_from_file_location("alchemist_program_" + entry["column"], path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        function = module.label_function
    except Exception as error:  # a program that does not load abstains everywhere
        print("labeling_functions: %s does not load (%s: %s); it abstains on every row"
              % (entry["file"], type(error).__name__, error), file=sys.stderr)
        return None
    return function


def vote(function, text):
    """The program's vote on `text` by Alchemist's rule: an int in -1..classes-1, else -1."""
    if function is None:
        return -1
    try:
        value = function(text)
    except Exception:
        return -1
    return value if type(value) is int and -1 <= value < len(CLASSES) else -1


def _voter(function):
    return lambda text: vote(function, text)


FUNCTIONS = [(entry["column"], _voter(_load(entry))) for entry in MANIFEST["programs"]]
label_functions = [function for _, function in FUNCTIONS]

try:
    from snorkel.labeling import LabelingFunction
except ImportError:
    LabelingFunction = None


def snorkel_lfs(text_field="text"):
    """snorkel LabelingFunctions that read `text_field` of a data point."""
    if LabelingFunction is None:
        raise ImportError("snorkel is not installed (pip install snorkel)")
    return [LabelingFunction(name=name, f=lambda x, function=function: function(x[text_field]))
            for name, function in FUNCTIONS]


lfs = snorkel_lfs() if LabelingFunction is not None else []
