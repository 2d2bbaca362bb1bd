"""A spelling corrector over the index's own vocabulary (the `SearchTerm` table).

A query word that is no word of any document is replaced by the closest word that is, so a
corrected query always names something on the shelf. Candidates are found symmetric-delete style
(as SymSpell does): each vocabulary word is stored under its *key* and the keys left after
deleting one or two letters; a query word's key and its deletes are looked up, and the candidates
are ranked by a weighted edit distance.

The key forgives what Thai typing gets wrong most often, at no cost: look-alike and sound-alike
letters (ใ/ไ, ร/ล, ส/ศ/ษ, ท/ธ/ถ, น/ณ, ค/ฅ …), tone marks and maitaikhu, a letter silenced by
thanthakhat (การันต์) together with its mark, a silent leading ห, short and long vowels. A dropped
or added vowel sign costs half an edit; any other edit costs one. Latin words (English and
romanized Thai) are lower-cased, doubled letters single and the h of kh/ph/th dropped
(kao hom mali → khao hom mali).

Thai has no spaces and a misspelled word cuts badly (ข้าวหอมมะลี → ข้าว|หอม|มะ|ลี), so each Thai run
is cut again here: the cheapest cover of the run by vocabulary words, exact or corrected, with a
small charge per piece so that one long word beats several short ones.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max

from otop.search.models import SearchTerm
from otop.search.text import THAI, THAI_OR_LATIN, english_stem, words_of

TONE_AND_MAITAIKHU = re.compile("[\u0e47-\u0e4b]")
SILENCED = re.compile("[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")  # a letter under ์ (with ิ or ุ), and the mark
SILENT_LEADING_H = re.compile("ห(?=[งญนมยรลวฬ])")
CONFUSABLE = str.maketrans(
    {
        "ใ": "ไ", "ล": "ร", "ฬ": "ร", "ศ": "ส", "ษ": "ส", "ธ": "ท", "ถ": "ท", "ฒ": "ท", "ฑ": "ท", "ฐ": "ท",
        "ณ": "น", "ฅ": "ค", "ฆ": "ค", "ฃ": "ข", "ภ": "พ", "ญ": "ย", "ฎ": "ด", "ฏ": "ต",
        "\u0e34": "\u0e35", "\u0e36": "\u0e37", "\u0e38": "\u0e39",  # short vowels as long ones
    }
)  # fmt: skip
VOWEL_SIGNS = set("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e40\u0e41\u0e42\u0e43\u0e44\u0e45")
ASPIRATED_H = re.compile(r"(?<=[kpt])h")
DOUBLED = re.compile(r"(.)\1+")
DIGIT = re.compile(r"\d")

# A word's key may differ from a candidate's by this much (weighted edits), by the key's length.
MIN_LENGTH = 3
SHORT_THAI_COST = 0.5  # a short Thai word may lack one vowel sign (what edit_cost charges for it)
PIECE_CHARGE = 0.5  # per word of a cut Thai run: one long word beats several short ones
UNKNOWN_CHARGE = 3.0  # a piece no vocabulary word is near: kept as typed
RAW_DIFFERENCE = 0.25  # same key, other spelling (tone mark, look-alike letter)
RECHECK_SECONDS = 30.0


# Longer tokens (a run of Latin letters, a pasted URL) are left out of the vocabulary.
TERM_LENGTH = 100


def is_vocabulary_word(term: str) -> bool:
    """Whether a token may be a word of the vocabulary: not too long, no digits (SKUs, codes, sizes)."""
    return len(term) <= TERM_LENGTH and not DIGIT.search(term)


def thai_key(word: str) -> str:
    word = SILENCED.sub("", word)
    word = TONE_AND_MAITAIKHU.sub("", word)
    word = SILENT_LEADING_H.sub("", word)
    return word.translate(CONFUSABLE)


def latin_key(word: str) -> str:
    return DOUBLED.sub(r"\1", ASPIRATED_H.sub("", word.lower()))


def key_of(word: str) -> str:
    return thai_key(word) if THAI.match(word) else latin_key(word)


def max_cost(key: str) -> float:
    """How far (weighted edits) a candidate's key may be. Short words, where one letter makes another
    word (กรอก → กรอบ), only their key itself, or for Thai one vowel sign more (แจกน → แจกัน): a
    dropped vowel sign is the commonest slip and rarely makes another word."""
    if len(key) < (5 if THAI.match(key) else 4):
        return SHORT_THAI_COST if THAI.match(key) and len(key) >= MIN_LENGTH else 0.0
    return 1.0 if len(key) < 7 else 2.0


def _vowel_sign_deletes(key: str) -> set[str]:
    """The key with one of its vowel signs left out: where a short word typed without it is looked up."""
    return {key[:i] + key[i + 1 :] for i, letter in enumerate(key) if letter in VOWEL_SIGNS}


def _deletes(key: str, depth: int) -> set[str]:
    found = {key}
    frontier = {key}
    for _ in range(depth):
        frontier = {word[:i] + word[i + 1 :] for word in frontier for i in range(len(word))}
        found |= frontier
    return found


def edit_cost(a: str, b: str) -> float:
    """Weighted Damerau-Levenshtein distance of two keys (a vowel sign in or out costs half)."""
    previous_previous: list[float] = []
    previous = [0.0]
    for j in range(1, len(b) + 1):
        previous.append(previous[j - 1] + (0.5 if b[j - 1] in VOWEL_SIGNS else 1.0))
    for i in range(1, len(a) + 1):
        weight_a = 0.5 if a[i - 1] in VOWEL_SIGNS else 1.0
        current = [previous[0] + weight_a]
        for j in range(1, len(b) + 1):
            weight_b = 0.5 if b[j - 1] in VOWEL_SIGNS else 1.0
            substitution = 0.0 if a[i - 1] == b[j - 1] else 1.0
            best = min(previous[j] + weight_a, current[j - 1] + weight_b, previous[j - 1] + substitution)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous_previous[j - 2] + 1.0)
            current.append(best)
        previous_previous, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class Candidate:
    term: str
    cost: float


class Vocabulary:
    """The index's words in memory, with the symmetric-delete table of their keys."""

    def __init__(self, rows: list[tuple[str, int, int]]) -> None:
        self.terms: dict[str, tuple[int, int]] = {term: (documents, in_names) for term, documents, in_names in rows}
        self.by_key: dict[str, list[str]] = {}
        self.deletes: dict[str, set[str]] = {}
        for term in self.terms:
            key = key_of(term)
            if not key:
                continue
            self.by_key.setdefault(key, []).append(term)
            if len(key) < MIN_LENGTH:
                continue
            limit = max_cost(key)
            for deleted in _deletes(key, int(limit)) if limit >= 1 else {key, *_vowel_sign_deletes(key)}:
                self.deletes.setdefault(deleted, set()).add(key)
        self._cache: dict[str, Candidate | None] = {}
        self.keys_by_start: dict[str, list[str]] = {}
        for key in self.by_key:
            self.keys_by_start.setdefault(key[:1], []).append(key)

    def complete(self, prefix: str) -> Candidate | None:
        """The likeliest word starting with this prefix, one typo allowed in it (for suggestions)."""
        key = key_of(prefix)
        if len(key) < MIN_LENGTH:
            return None
        ranked = []
        for candidate_key in self.keys_by_start.get(key[:1], []):
            if len(candidate_key) < len(key) - 1:
                continue
            cost = min(edit_cost(key, candidate_key[:length]) for length in (len(key) - 1, len(key), len(key) + 1))
            if cost <= 1.0:
                for term in self.by_key[candidate_key]:
                    documents, in_names = self.terms[term]
                    ranked.append((cost, -in_names, -documents, term))
        if not ranked:
            return None
        cost, _in_names, _documents, term = min(ranked)
        return Candidate(term, cost)

    def __contains__(self, term: str) -> bool:
        return term in self.terms

    def may_have(self, term: str) -> bool:
        """False when no document has this exact token (codes and numbers are not counted: maybe)."""
        return term in self.terms or not is_vocabulary_word(term)

    def best(self, word: str) -> Candidate | None:
        """The vocabulary word closest to this one (itself when it is one), or None."""
        if word in self.terms:
            return Candidate(word, 0.0)
        if word not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[word] = self._best(word)
        return self._cache[word]

    def sibling(self, word: str) -> str | None:
        """The word spelled another way with the same key that more names have (kao → khao), or None."""
        own = self.terms.get(word, (0, 0))[1]
        siblings = [
            (in_names, term) for term in self.by_key.get(key_of(word), []) if (in_names := self.terms[term][1]) > own
        ]
        return max(siblings)[1] if siblings else None

    def _best(self, word: str) -> Candidate | None:
        key = key_of(word)
        limit = max_cost(key)
        keys: set[str] = {key} if key in self.by_key else set()
        # Short words: their key's own words, and (Thai) the words whose key is theirs plus a vowel sign.
        for deleted in _deletes(key, int(limit)) if limit >= 1 else ({key} if limit else ()):
            keys |= self.deletes.get(deleted, set())
        ranked = []
        for candidate_key in keys:
            cost = edit_cost(key, candidate_key)
            if cost > limit:
                continue
            if limit < 1 and len(candidate_key) < len(key):
                continue  # a short word is not shortened: หมี (bear) is no typo of มี (have)
            for term in self.by_key[candidate_key]:
                if limit < 1 and len(term) < len(word):
                    continue
                documents, in_names = self.terms[term]
                ranked.append((cost + RAW_DIFFERENCE, -in_names, -documents, term))
        if not ranked:
            return None
        cost, _in_names, _documents, term = min(ranked)
        return Candidate(term, cost)

    def cut(self, run: str) -> tuple[list[str], float, int]:
        """The cheapest cover of a Thai run by vocabulary words (exact or corrected), its cost, and how
        many of its letters no word covers (kept as typed)."""
        size = len(run)
        best: list[tuple[float, list[str], int] | None] = [None] * (size + 1)
        best[0] = (0.0, [], 0)
        for end in range(1, size + 1):
            for start in range(max(0, end - 24), end):
                before = best[start]
                if before is None:
                    continue
                piece = run[start:end]
                candidate = self.best(piece) if end - start > 1 or piece in self.terms else None
                if candidate is not None:
                    cost, word, uncovered = candidate.cost + PIECE_CHARGE, candidate.term, 0
                elif end - start == 1:
                    cost, word, uncovered = UNKNOWN_CHARGE, piece, 1  # a letter no word covers stays as typed
                else:
                    continue
                total = before[0] + cost
                current = best[end]
                if current is None or total < current[0] - 1e-9:
                    best[end] = (total, [*before[1], word], before[2] + uncovered)
        cost, words, uncovered = best[size]  # every letter can stand alone, so the whole run is covered
        return words, cost, uncovered


@dataclass(frozen=True)
class Correction:
    query: str  # the corrected query, as the customer would type it
    cost: float


_lock = threading.Lock()
_state: dict = {"vocabulary": None, "checked_at": 0.0, "version": 0, "loaded_version": -1, "signature": None}


def vocabulary_changed() -> None:
    """Load the vocabulary again on next use (this process indexed something)."""
    _state["version"] += 1


def _signature() -> tuple:
    """Changes when words come or go (what other processes indexed), at the cost of one small query."""
    return tuple(SearchTerm.objects.aggregate(count=Count("pk"), last=Max("pk")).values())


def vocabulary() -> Vocabulary:
    """The index's vocabulary, loaded once, and again after this process indexes or, checked every
    RECHECK_SECONDS, when other processes have added or removed words."""
    now = time.monotonic()
    stale = _state["vocabulary"] is None or _state["loaded_version"] != _state["version"]
    if not stale and now - _state["checked_at"] >= RECHECK_SECONDS:
        _state["checked_at"] = now
        stale = _signature() != _state["signature"]
    if stale:
        with _lock:
            version = _state["version"]
            signature = _signature()
            rows = list(SearchTerm.objects.values_list("term", "documents", "in_names"))
            _state.update(vocabulary=Vocabulary(rows), checked_at=now, loaded_version=version, signature=signature)
            correct.cache_clear()
    return _state["vocabulary"]


def is_known(query: str) -> bool:
    """Whether every word of the query is a word of the index (so there is nothing to correct)."""
    words = vocabulary()
    return all(english_stem(word) in words if not THAI.match(word) else word in words for word in words_of(query))


@lru_cache(maxsize=10_000)
def correct(query: str) -> Correction | None:
    """The query with each word that is no word of the index replaced by the nearest that is.

    None when nothing needed or could be corrected.
    """
    words = vocabulary()
    parts: list[str] = []
    total = 0.0
    changed = False
    for match in THAI_OR_LATIN.finditer(query[:200]):
        text = match.group()
        if THAI.match(text):
            segments = words_of(text)
            if all(segment in words for segment in segments):
                parts.append(text)
                continue
            cut, cost, _uncovered = words.cut(text)
            fixed = "".join(cut)
        else:
            stem = english_stem(text)
            candidate = words.best(stem)
            if candidate is not None and candidate.term == stem:
                # A word of the index, but maybe a loose romanization of a commoner one (kao for khao).
                sibling = words.sibling(stem)
                candidate = Candidate(sibling, RAW_DIFFERENCE) if sibling else None
            if candidate is None:
                parts.append(text)
                continue
            fixed, cost = candidate.term, candidate.cost
        if fixed != text:
            changed = True
            total += cost
        parts.append(fixed)
    if not changed:
        return None
    return Correction(query=" ".join(parts), cost=total)
