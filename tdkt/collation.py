"""Vietnamese alphabetical order, the same on SQLite and PostgreSQL.

The order is the one of Vietnamese dictionaries and of TCVN 5712 / the Unicode CLDR ``vi`` collation:

1. **Base letters first** (primary level), in the Vietnamese alphabet
   ``a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z)``: Đ comes after D, Ă and Â
   after A, Ơ after Ô…; digits come before letters; spaces separate words ("An" before "Anh"); other signs
   (hyphen, dot, apostrophe) are ignored; upper and lower case are the same letter.
2. **Then the tone marks** (secondary level), only between names whose letters are all the same, in the
   order *không dấu, huyền, hỏi, ngã, sắc, nặng* (a à ả ã á ạ) — the order of CLDR ``vi``
   (``&̀<<̉<<̃<<́<<̣``).
3. People are sorted **by given name (tên), then by family and middle names (họ đệm)**, as a Vietnamese
   clerk sorts a list: "Trần Văn An" before "Nguyễn Thị Bình"; two people called An are ordered by "Lê Văn" before
   "Nguyễn Thị". Units and other names are read left to right.

How it is stored: :func:`sort_key` turns a name into a string of **decimal digits only** (two digits per letter,
one tone digit per letter after a ``00`` level separator). A string of digits compares the same under every
database collation (SQLite's binary order, PostgreSQL's ``C``, ``C.UTF-8``, ``en_US.UTF-8`` or ICU), so the
copied column ``sort_name`` (``Person``, ``Unit``) sorts identically on both databases without a database
collation: PostgreSQL's ``vi-x-icu`` exists only where ICU is compiled in, SQLite has none, and a function
registered on each SQLite connection would sort differently from ICU in edge cases. The column is set in the
model's ``save()`` and ``bulk_create`` (as the nomination list keys are); ``refresh_sort_names`` rebuilds it.
"""

import unicodedata

#: The Vietnamese alphabet; f, j, w, z (foreign names) in their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
#: Code of each primary element: ``00`` ends the primary level, ``01`` separates words, digits ``02``–``11``,
#: letters from ``12``; any other letter (another script) sorts after z.
_WORD = "01"
_LEVEL = "00"
_CODES = {str(d): f"{2 + d:02d}" for d in range(10)}
_CODES.update({letter: f"{12 + i:02d}" for i, letter in enumerate(ALPHABET)})
_OTHER_LETTER = f"{12 + len(ALPHABET):02d}"

#: Combining marks that make another letter of the alphabet (breve, circumflex, horn; đ is its own character).
_MODIFIERS = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}
#: Tone marks, in their order: none 0, huyền 1, hỏi 2, ngã 3, sắc 4, nặng 5.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def _letters(word):
    """``[(primary code, tone digit), …]`` of one word."""
    out = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            if not out:
                continue
            code, tone, base = out[-1]
            modified = _MODIFIERS.get((base, ch))
            if modified is not None:
                out[-1] = (_CODES[modified], tone, modified)
            elif ch in _TONES:
                out[-1] = (code, _TONES[ch], base)
            continue
        if ch in _CODES:
            out.append((_CODES[ch], "0", ch))
        elif ch.isalpha():
            out.append((_OTHER_LETTER, "0", ch))
        # other signs (hyphen, dot, apostrophe…) are ignored
    return [(code, tone) for code, tone, _base in out]


def name_words(name, *, person=False):
    """The words of ``name`` in sorting order: for a person the given name (the last word) first."""
    words = (name or "").split()
    if person and len(words) > 1:
        words = [words[-1], *words[:-1]]
    return words


def sort_key(name, *, person=False):
    """The sorting key of ``name`` (digits only): compare two keys as strings to compare the names in Vietnamese
    order. ``person=True``: by given name, then family and middle names."""
    words = [letters for letters in (_letters(w) for w in name_words(name, person=person)) if letters]
    primary = _WORD.join("".join(code for code, _tone in letters) for letters in words)
    tones = "".join(tone for letters in words for _code, tone in letters)
    return f"{primary}{_LEVEL}{tones}"


def person_sort_key(name):
    return sort_key(name, person=True)


def vietnamese_sorted(names, *, person=False):
    """``names`` in Vietnamese order (Python side: the same order the ``sort_name`` columns give)."""
    return sorted(names, key=lambda n: sort_key(n, person=person))


#: Longest key of a 200-character name: 2 digits + 1 tone digit per letter, word separators, the level separator.
KEY_MAX_LENGTH = 650
