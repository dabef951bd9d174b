"""Old import path kept only for eval/gold/build_letters.py and letter_prose.py: new code imports
`drafting.letters.text`. (eval/gold was out of bounds for the issue-13 move; delete this when it
stops importing the old path.)"""

from drafting.letters.text import ACRONYMS as ACRONYMS
from drafting.letters.text import expand_acronyms as expand_acronyms
from drafting.letters.text import plain_code_description as plain_code_description
from drafting.letters.text import units_text as units_text
from drafting.letters.text import us_date as us_date
