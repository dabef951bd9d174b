"""Old import path kept only for eval/gold/build_letters.py: new code imports
`drafting.letters.model`. (eval/gold was out of bounds for the issue-13 move; delete this when it
stops importing the old path.)"""

from drafting.letters.model import LetterSection as LetterSection
