"""Old import path kept only for eval/gold/build_letters.py: new code imports
`drafting.letters.template`. (eval/gold was out of bounds for the issue-13 move; delete this when it
stops importing the old path.)"""

from drafting.letters.template import assemble_letter as assemble_letter
