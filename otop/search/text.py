"""Thai-aware text analysis for the search index and for queries.

Thai has no spaces: each Thai run is cut into dictionary words with nlpO3 (the same words as
PyThaiNLP's newmm, ~6x faster) using PyThaiNLP's word list extended with our product and place
vocabulary and with every word's tone-mark-free spelling (so that "มัดหมี", typed without its
tone mark, stays one word). Each Thai word gives index tokens in three forms:

- the word itself, plus its RTGS romanization (whole word and syllable by syllable) so that
  "sai krok" finds ไส้กรอก — the *exact* forms;
- the word without tone marks and thanthakhat, and its lk82 soundex code — the *loose* forms,
  which tolerate missing tone marks and common misspellings and rank lower.

Matching is by whole word: ม้า (horse) is not a word of ผ้าขาวม้า, so it does not match it.
Romanization uses PyThaiNLP's `royin` engine with our fixes (see `romanize_word`): the more
accurate `thai2rom_onnx` needs onnxruntime and a model download, neither available offline.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from otop.geo.models import District, Province
from otop.search.vocabulary import PRODUCT_WORDS, ROMANIZATION_FIXES

THAI_OR_LATIN = re.compile(r"[\u0E01-\u0E4E]+|[0-9A-Za-z]+")
THAI = re.compile(r"[\u0E01-\u0E4E]")
# Tone marks (่ ้ ๊ ๋), thanthakhat (์) and maitaikhu (็): left out of the loose form.
TONE_MARKS = re.compile(r"[\u0E47-\u0E4C]")
REPEAT_AND_ABBREVIATION = re.compile(r"[\u0E2F\u0E46]")
LEADING_VOWELS = "เแโใไ"
SONORANTS = "งญณนมยรลว"
DICTIONARY_NAME = "otop-search"
SYLLABLES_NAME = "otop-syllables"
ROYIN_WORDS_NAME = "otop-royin-words"

_dictionary_lock = threading.Lock()
_dictionary_loaded = False
_syllables_loaded = False
_royin_words_loaded = False


def strip_tone_marks(word: str) -> str:
    return TONE_MARKS.sub("", word)


def vocabulary() -> set[str]:
    """Our own words: products and crafts, plus province and district names from the geo tables."""
    words = set(PRODUCT_WORDS)
    try:
        for name in Province.objects.values_list("name_th", flat=True):
            words.add(name)
        for name in District.objects.values_list("name_th", flat=True):
            # "เมืองขอนแก่น" is searched as "ขอนแก่น": keep the capital's name a word of its own.
            words.add(name.removeprefix("เมือง") or name)
    except Exception:  # noqa: BLE001 - segmenting still works without place names (e.g. before migrate)
        pass
    return {word for word in words if word and THAI.search(word)}


def _load_dictionary() -> None:
    global _dictionary_loaded
    if _dictionary_loaded:
        return
    with _dictionary_lock:
        if _dictionary_loaded:
            return
        import nlpo3
        from pythainlp.corpus import thai_words

        words = set(thai_words()) | vocabulary()
        words |= {strip_tone_marks(word) for word in words}
        nlpo3.load_dict(str(_write_word_list(words, "otop-search-words")), DICTIONARY_NAME)
        _dictionary_loaded = True


def _write_word_list(words: set[str], stem: str) -> Path:
    """A word list file for nlpO3 (named by its content, so processes share it)."""
    text = "\n".join(sorted(words))
    digest = hashlib.sha1(text.encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"{stem}-{digest}.txt"
    if not path.exists():
        temporary = path.with_suffix(f".{threading.get_ident()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    return path


def thai_syllables(word: str) -> list[str]:
    """Cut a Thai word into syllables: newmm over PyThaiNLP's syllable list, as its `dict` syllable
    engine does, but in nlpO3 (its pure-Python dictionary trie took 4 s to build in every process)."""
    global _syllables_loaded
    import nlpo3

    if not _syllables_loaded:
        with _dictionary_lock:
            if not _syllables_loaded:
                from pythainlp.corpus import thai_syllables as syllable_list

                nlpo3.load_dict(str(_write_word_list(set(syllable_list()), "otop-search-syllables")), SYLLABLES_NAME)
                _syllables_loaded = True
    return [syllable for syllable in nlpo3.segment(word, SYLLABLES_NAME) if syllable.strip()]


def reset_dictionary() -> None:
    """Reload the word list on next use (after new place names or vocabulary)."""
    global _dictionary_loaded
    with _dictionary_lock:
        _dictionary_loaded = False
    segment_thai.cache_clear()
    _analysed.cache_clear()


@lru_cache(maxsize=50_000)
def segment_thai(run: str) -> tuple[str, ...]:
    """Cut one run of Thai letters into words."""
    import nlpo3

    _load_dictionary()
    return tuple(word for word in nlpo3.segment(run, DICTIONARY_NAME) if word.strip())


def _royin_romanize(text: str) -> str:
    """PyThaiNLP's `royin` romanize: its words (newmm over PyThaiNLP's word list) romanized one by one,
    with its syllable separator. The words are cut by nlpO3 over the same list: PyThaiNLP's own trie of
    that list took seconds to build in every process that indexes."""
    global _royin_words_loaded
    import nlpo3
    from pythainlp.transliterate import royin

    if not _royin_words_loaded:
        with _dictionary_lock:
            if not _royin_words_loaded:
                from pythainlp.corpus import thai_words

                nlpo3.load_dict(str(_write_word_list(set(thai_words()), "otop-search-royin-words")), ROYIN_WORDS_NAME)
                _royin_words_loaded = True
    words = nlpo3.segment(text, ROYIN_WORDS_NAME)
    romanized_words: list[str] = []
    for index, word in enumerate(words):
        romanized = royin._romanize(word)
        if index > 0 and romanized:
            previous = romanized_words[-1] if romanized_words else ""
            if royin._should_add_syllable_separator(words[index - 1], word, previous):
                romanized = "a" + romanized
        romanized_words.append(romanized)
    return "".join(romanized_words)


def _royin(syllable: str) -> str:
    # royin drops a leading ห: silent before a sonorant (ใหม่ → mai), an h sound otherwise (หอม → hom).
    start = 1 if syllable[:1] in LEADING_VOWELS else 0
    if syllable[start : start + 1] == "ห":
        following = syllable[start + 1 : start + 2]
        replacement = "" if following and following in SONORANTS else "ฮ"
        syllable = syllable[:start] + replacement + syllable[start + 1 :]
    return _royin_romanize(syllable)


@lru_cache(maxsize=100_000)
def romanize_word(word: str) -> tuple[str, ...]:
    """RTGS romanization tokens of a Thai word: the whole word, then each syllable. Cached per word."""
    fixed = ROMANIZATION_FIXES.get(word)
    if fixed:
        parts = fixed.split()
        return tuple(dict.fromkeys(["".join(parts), *parts]))
    syllables = [_royin(s) for s in thai_syllables(word)]
    syllables = [re.sub(r"[^a-z]", "", s.lower()) for s in syllables]
    syllables = [s for s in syllables if s]
    if not syllables:
        return ()
    return tuple(dict.fromkeys(["".join(syllables), *syllables]))


@lru_cache(maxsize=100_000)
def soundex(word: str) -> str:
    from pythainlp.soundex import lk82

    try:
        return lk82(word)
    except Exception:  # noqa: BLE001 - a word lk82 cannot code simply gets no soundex token
        return ""


def english_stem(word: str) -> str:
    """Lower-case, and drop a plural s, so that "baskets" finds "basket"."""
    word = word.lower()
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass
class Tokens:
    exact: list[str] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)

    def extend(self, other: Tokens) -> None:
        self.exact.extend(other.exact)
        self.loose.extend(other.loose)


def words_of(text: str) -> list[str]:
    """Split text into Thai words and lower-case Latin words, in order."""
    words: list[str] = []
    for match in THAI_OR_LATIN.finditer(text or ""):
        run = REPEAT_AND_ABBREVIATION.sub("", match.group())
        if not run:
            continue
        if THAI.match(run):
            words.extend(segment_thai(run))
        else:
            words.append(run.lower())
    return words


@lru_cache(maxsize=100_000)
def _thai_word_tokens(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    exact = (word, *romanize_word(word))
    loose = [strip_tone_marks(word)]
    code = soundex(word)
    if code:
        loose.append(code)
    return exact, tuple(loose)


def analyse(text: str) -> Tokens:
    """Index tokens of a text (the same words are analysed once per process)."""
    exact, loose = _analysed(text or "")
    return Tokens(exact=list(exact), loose=list(loose))


# Most texts of a document recur across products (category, producer, district and province names):
# each is cut and analysed once per process.
@lru_cache(maxsize=20_000)
def _analysed(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    exact: list[str] = []
    loose: list[str] = []
    for word in words_of(text):
        if THAI.match(word):
            word_exact, word_loose = _thai_word_tokens(word)
            exact.extend(word_exact)
            loose.extend(word_loose)
        else:
            exact.append(english_stem(word))
    return tuple(exact), tuple(loose)


# PostgreSQL stores and asks for loose forms with this mark in front (ๆมัดหมี), so its index tells
# them from exact forms without reading the documents (migration search 0004). No segmented word
# begins with ๆ (the repetition mark follows a word).
LOOSE_MARK = "ๆ"


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query: found if any of its exact or loose forms is in the document."""

    exact: tuple[str, ...]
    loose: tuple[str, ...]
    prefix: bool = False


def query_terms(query: str, *, prefix_last: bool = False) -> list[QueryTerm]:
    """Read a query into words; every word must be found (in one of its forms)."""
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words_of(query[:200]):
        if word in seen:
            continue
        seen.add(word)
        if THAI.match(word):
            code = soundex(word)
            loose = tuple(dict.fromkeys(x for x in (strip_tone_marks(word), code) if x))
            terms.append(QueryTerm(exact=(word,), loose=loose))
        else:
            terms.append(QueryTerm(exact=(english_stem(word),), loose=()))
    terms = terms[:12]
    if prefix_last and query.strip() and THAI.search(query.strip()[-1]) and not query.endswith(" "):
        # As you type Thai, the unfinished last run (ผ้าไ) is cut into odd words: take it whole.
        last_run = THAI_OR_LATIN.findall(query)[-1]
        terms = [t for t in query_terms(query[: query.rfind(last_run)])][:11]
        return [*terms, QueryTerm(exact=(last_run,), loose=(), prefix=True)]
    if prefix_last and terms:
        last = terms[-1]
        # As you type, the last word may be unfinished: match it as the start of a word.
        terms[-1] = QueryTerm(exact=last.exact, loose=last.loose[:1], prefix=True)
    return terms
