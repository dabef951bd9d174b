"""Old import path kept only for eval/gold/build_letters.py: new code imports
`drafting.letters.notices`. (eval/gold was out of bounds for the issue-13 move; delete this when it
stops importing the old path.)"""

from drafting.letters.notices import VALID_DAYS as VALID_DAYS
from drafting.letters.notices import authorization_for as authorization_for
from drafting.letters.notices import closing_sections as closing_sections
