"""Old import path kept only for eval/gold/build_letters.py and letter_prose.py: new code imports
`drafting.lint.rules`. (eval/gold was out of bounds for the issue-13 move; delete this when it stops
importing the old path.)"""

from drafting.lint.rules import comparable as comparable
from drafting.lint.rules import normalize_quote as normalize_quote
