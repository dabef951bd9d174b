"""Old import path kept only for eval/gold/build_letters.py: new code imports
`guideline_corpus.passages`. (eval/gold was out of bounds for the issue-13 move; delete this
when it stops importing the old path.)"""

from guideline_corpus.passages import Passage as Passage
