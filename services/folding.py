"""Text folded for searching: what people type finds what was written,
whatever the case, accents and German spelling ("juergen" finds "Jürgen",
"gross" finds "Größ", "Muller" and "mueller" find "Müller").

Both the text searched and the search are folded the same way, so a word
written with "ue" and the same word with "ü" meet in the middle ("u").
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})
# German spellings without umlauts: "ue" stands for "ü", which folds to "u".
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(text: str) -> str:
    """`text` for comparing: no marks, ß as ss, case folded, ae/oe/ue as a/o/u."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = bare.replace("ß", "ss").casefold().translate(_LETTERS)
    for digraph, letter in _DIGRAPHS:
        folded = folded.replace(digraph, letter)
    return folded
