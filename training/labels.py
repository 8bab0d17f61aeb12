"""Label derivation rules: how each dataset's annotations become sentence-level signal labels.

Every rule is a small function returning 1, 0 or None (unknown). The reasoning, cue lists and
known weaknesses are written up in training/LABELS.md; keep the two in step.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from training.table import Label

ANONYMOUS = "anonymous_sourcing"
UNVERIFIED = "unverified_claim"
NO_EVIDENCE = "no_evidence"
HEDGING = "hedging"
CHECKWORTHY = "checkworthy_claim"
CORE = (ANONYMOUS, UNVERIFIED, NO_EVIDENCE, HEDGING)

# PTC technique name -> public signal id (merged PTC classes keep one id).
PROPAGANDA_IDS: Mapping[str, str] = {
    "Loaded_Language": "loaded_language",
    "Name_Calling,Labeling": "name_calling",
    "Appeal_to_Authority": "appeal_to_authority",
    "Exaggeration,Minimisation": "exaggeration",
    "Appeal_to_fear-prejudice": "appeal_to_fear",
    "Doubt": "doubt",
    "Flag-Waving": "flag_waving",
    "Causal_Oversimplification": "causal_oversimplification",
    "Slogans": "slogans",
    "Black-and-White_Fallacy": "black_and_white_fallacy",
    "Thought-terminating_Cliches": "thought_terminating_cliches",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism_straw_men_red_herring",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon_reductio_ad_hitlerum",
    "Repetition": "repetition",
}

Span = tuple[int, int]
SourceKind = Literal["named", "anonymous", "unknown"]


def propaganda_id(technique: str) -> str:
    """Map a PTC technique name to its signal id (KeyError for an unknown technique)."""
    return PROPAGANDA_IDS[technique.strip()]


# --------------------------------------------------------------------------------------------
# Source naming (anonymous_sourcing from PolNeAR Source spans)
# --------------------------------------------------------------------------------------------


def _set(words: str) -> frozenset[str]:
    """Build a word set from a space-separated list (keeps long lexicons readable)."""
    return frozenset(words.split())


_TOKEN = re.compile(r"[A-Za-z0-9%$][\w.'’&%-]*|--|[,;:()—–\"“”]")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

PERSONAL_PRONOUNS = _set(
    "he she him her his hers himself herself i me my we us our ourselves they them their "
    "themselves you your it its itself"
)
_PLURAL_PRONOUNS = _set("they them their themselves")
_RELATIVE_PRONOUNS = _set("who whom whose which that")
# Bare quantifier pronouns ("one said", "both agreed") point back like "they" does.
_BACK_PRONOUNS = _set("one another both each either neither all")
# Explicit markers that the writer withholds the source's identity.
_ANON_MARKER = re.compile(
    r"\b(?:anonymity|anonymous(?:ly)?|unnamed|unidentified|not authorized to|"
    r"(?:not|n't) (?:be )?(?:named|identified)|familiar with|close to|insiders?|"
    r"sources?|someone|somebody|people who|persons? who)\b",
    re.IGNORECASE,
)
# Words that end a source's head noun phrase (its prepositional or relative tail follows).
_CHUNK_END = _set(
    ", ; : ( — – who whom whose which that at in from of for with on close familiar "
    "including among inside within across to by under over about like such"
)
_INDEFINITE = _set("a an one another some any several many few various certain most")
_DEFINITE = _set("the these those both all this that")
_QUANTIFIER_SOURCES = _set(
    "some many others other several few most everyone everybody nobody none no-one multiple "
    "numerous countless various"
)
# Roles shared by many people: unidentified even with "the" ("the official" = the unnamed one).
_SHARED_ROLES = _set(
    "official source aide adviser advisor staffer insider operative strategist person "
    "observer analyst expert critic diplomat member employee ally confidant associate donor "
    "supporter lawmaker friend loyalist activist pundit commentator consultant lobbyist "
    "insider people folks colleague acquaintance relative neighbor"
)
# Singular nouns for a diffuse group ("the party base", "the media").
_VAGUE_COLLECTIVES = _set(
    "people folks public base movement establishment media press left right grassroots "
    "electorate world community"
)
# Identifiable parties to a case or institutions: not anonymous even when plural or bare.
_PARTY_NOUNS = _set(
    "prosecutors prosecution police investigators lawyers attorneys organizers plaintiffs "
    "defendants jurors justices court government administration"
)
# Polls, studies and records are data, not anonymous sources (SIGNALS.md hard cases).
_DATA_NOUNS = _set(
    "poll polls survey surveys study studies data record records document documents filing "
    "filings statement statements figures numbers statistics analysis analyses memo memos "
    "letter letters email emails e-mail e-mails transcript transcripts website ad ads "
    "advertisement tweet tweets post posts book books census research results search "
    "polling count tally video footage release complaint lawsuit indictment ruling average "
    "agreement bill law plan platform budget list lists index model forecast message "
    "messages sign signs banner paper papers collection roster graphic graphics chart map "
    "demographics article articles story stories review summary audit investigation probe "
    "transcript inquiry assessment"
)
_NUMERIC = re.compile(r"^[\d$%.,]+%?$|^\d")
_HUMAN_PLURALS = _set(
    "men women folks kids children youth families staff leaders members citizens parents "
    "students workers allies rivals opponents critics skeptics cynics academics friends "
    "colleagues fans followers protesters demonstrators immigrants residents voters"
)
_HUMAN_SUFFIXES = ("ers", "ors", "ists", "ians", "ans", "ants", "ents", "ees", "ives", "ats")
# Ranks that single out one holder of a shared role ("the top Democrat", "the chief").
_SPOKES = _set("spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen")
_RANKS = _set("top chief head highest-ranking senior-most lead ranking")
_REPORT_NOUNS = _set("report reports reporting rumor rumors rumour rumours word")
# Capitalised plurals that name a vague group, not an identifiable party.
_GROUP_NOUNS = _set(
    "democrats republicans americans conservatives liberals progressives evangelicals "
    "independents latinos hispanics muslims christians catholics europeans mexicans "
    "millennials boomers moderates populists socialists libertarians blacks whites mormons "
    "jews catholics asians republican democrat democratic gop liberal conservative "
    "progressive evangelical independent"
)
_NOT_NAMES = _set(
    "i the a an and but or so yet if as at in on of to by for with from this that these "
    "those it its he she they we you his her their our my your mr mrs ms dr monday tuesday "
    "wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december q a. q. some many most others several few "
    "all both each one another"
)
_SENTENCE_BREAK = frozenset([".", "!", "?", '"', "“", "”", ":", ";", "(", "—"])
_VAGUE_PLURAL_MENTION = re.compile(
    r"\b(?:officials|sources|critics|experts|analysts|aides|advisers|observers|people|"
    r"insiders|strategists|operatives|moderates|activists|supporters|voters|members)\b",
    re.IGNORECASE,
)


_ABBREVIATIONS = _set(
    "mr mrs ms dr sen rep gov lt col gen sgt st jr sr inc corp co prof rev gen maj capt adm "
    "u.s a.m p.m"
)


def _tokens(text: str) -> list[str]:
    """Split into word and punctuation tokens, keeping the dot of "Mr." or "U.S." attached."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        word = tok[:-1]
        if (
            tok.endswith(".")
            and len(tok) > 2
            and "." not in word
            and word.lower() not in _ABBREVIATIONS
        ):
            out.extend((word, "."))
            continue
        out.append(tok)
    return out


def _bare(token: str) -> str:
    """Lowercase a token and drop a possessive ending and trailing dots."""
    return _POSSESSIVE.sub("", token).rstrip(".").lower()


def _is_capitalised(token: str) -> bool:
    """Tell whether a token starts with a capital letter (or is an acronym)."""
    return token[:1].isupper()


def _name_token(token: str, common: frozenset[str]) -> bool:
    """Tell whether a capitalised token can be part of a proper name."""
    bare = _bare(token)
    if 1 < len(bare) <= 5 and bare.isalpha() and token.rstrip(".’'s").isupper():
        return bare not in _NOT_NAMES and bare not in _GROUP_NOUNS  # acronyms: CREW, CNN
    return (
        _is_capitalised(token)
        and len(token) > 1
        and bare not in _NOT_NAMES
        and bare not in _GROUP_NOUNS
        and bare not in _QUANTIFIER_SOURCES
        and bare not in common
    )


def has_name(text: str, common: frozenset[str] = frozenset()) -> bool:
    """Tell whether text mentions a proper name (a capitalised word that is not a common word).

    ``common`` holds words the corpus mostly writes in lower case ("investors", "officials").
    A capitalised word right after a sentence break counts only if it is not common, or, when
    no casing statistics are given, only when the next word is capitalised too.
    """
    toks = _tokens(text)
    for i, tok in enumerate(toks):
        if not _name_token(tok, common) or _in_shouting(toks, i):
            continue
        initial = i == 0 or toks[i - 1] in _SENTENCE_BREAK
        if not initial or common:
            return True
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if _name_token(nxt, common):
            return True
    return False


def _in_shouting(toks: Sequence[str], i: int) -> bool:
    """Tell whether an all-caps token sits in a run of all-caps words (a headline, a shout)."""

    def caps(j: int) -> bool:
        return 0 <= j < len(toks) and len(toks[j]) > 1 and toks[j].isupper()

    return caps(i) and (caps(i - 1) or caps(i + 1))


def _person_name_in(tokens: Sequence[str], common: frozenset[str]) -> bool:
    """Tell whether two name tokens stand side by side ("Lena Park", "Sen. Vance")."""
    return any(
        _name_token(a, common) and _name_token(b, common) for a, b in itertools.pairwise(tokens)
    )


def _head_chunk(tokens: Sequence[str]) -> list[str]:
    """Return the tokens of the leading noun phrase, cut before its tail."""
    chunk: list[str] = []
    for tok in tokens:
        if chunk and tok.lower() in _CHUNK_END:
            break
        chunk.append(tok)
    return chunk


def _is_plural_common(token: str, common: frozenset[str]) -> bool:
    """Guess that a token is a plural common noun (capitalised only if the corpus says common)."""
    low = token.lower()
    return (
        (not _is_capitalised(token) or low in common)
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is", "'s", "’s"))
        and len(low) > 3
    )


def _is_vague_plural(bare: str) -> bool:
    """Tell whether a plural head names people by a shared role ("officials", "critics")."""
    return (
        bare in _QUANTIFIER_SOURCES
        or bare.removesuffix("s") in _SHARED_ROLES
        or bool(_VAGUE_PLURAL_MENTION.fullmatch(bare))
    )


def _tail_has_person_name(tokens: Sequence[str], start: int, common: frozenset[str]) -> bool:
    """Tell whether an appositive after the head chunk names a person ("aides, John Doe")."""
    tail = tokens[start:]
    if re.search(r"\b(?:including|such as|among them|like)\b", " ".join(tail), re.IGNORECASE):
        return False  # "critics, including the mayor" stays anonymous
    separated = any(t in {",", "—", "–", "(", "-", "--"} for t in tail)
    return separated and _person_name_in(tail, common)


def _is_human_plural(bare: str) -> bool:
    """Guess that a plural noun names people ("voters", "critics"), not things ("graphics")."""
    return (
        _is_vague_plural(bare)
        or bare in _GROUP_NOUNS
        or bare in _HUMAN_PLURALS
        or bare.endswith(_HUMAN_SUFFIXES)
    )


def _is_group_name(token: str) -> bool:
    """Tell whether a capitalised plural names a demographic group ("African-Americans")."""
    bare = _bare(token)
    return bare in _GROUP_NOUNS or (bare.endswith("ans") and len(bare) >= 7)


def _determined(first: str) -> bool:
    """Tell whether a noun phrase opens with a definite or possessive determiner."""
    return (
        first in _DEFINITE
        or first in {"his", "her", "their", "its", "our", "my", "your"}
        or bool(_POSSESSIVE.search(first))
    )


def classify_source(
    source: str, left: str = "", prev: str = "", common: frozenset[str] = frozenset()
) -> SourceKind:
    """Judge a PolNeAR Source span named, anonymous or unknown.

    ``left`` is the sentence text before the span (antecedent of "who"/"which"), ``prev`` the
    previous sentence (antecedent of "he"/"they"), ``common`` the corpus's lower-case words.
    """
    toks = _tokens(source)
    words = [t for t in toks if t[0].isalnum() or t[0] in "$%"]
    if not words:
        return "unknown"
    lows = [_bare(w) for w in words]
    if lows[:2] == ["according", "to"]:
        return classify_source(" ".join(words[2:]), left, prev, common)
    if _ANON_MARKER.search(source):
        return "anonymous"
    chunk = _head_chunk(toks)
    bare_head, first = _bare(chunk[-1]), chunk[0].lower()
    if len(chunk) == 1 and (bare_head in PERSONAL_PRONOUNS or bare_head in _BACK_PRONOUNS):
        return _pronoun_kind(bare_head, left, prev, common)
    if len(chunk) == 1 and bare_head in _RELATIVE_PRONOUNS:
        return _antecedent_kind(bare_head, left, common)
    person_head = bare_head in _SHARED_ROLES or _is_human_plural(bare_head)
    data = any(_bare(t) in _DATA_NOUNS for t in chunk) and not person_head
    if data or any(_NUMERIC.match(w) for w in words[:2]):
        return "named"  # polls, records, "26 percent of Democrats": data, not a source
    if bare_head in _REPORT_NOUNS:
        owner = has_name(" ".join(chunk[:-1]), common) or has_name(
            " ".join(toks[len(chunk) :]), common
        )
        return "named" if _determined(first) or owner else "anonymous"
    if _tail_has_person_name(toks, len(chunk), common):
        return "named"
    if bare_head in _SPOKES and has_name(source, common):
        return "named"  # "a Supreme Court spokeswoman": the named body speaking on the record
    return _head_kind(chunk, source, common)


def _head_kind(chunk: Sequence[str], source: str, common: frozenset[str]) -> SourceKind:
    """Classify a source by its head noun and determiner."""
    head, bare_head, first = chunk[-1], _bare(chunk[-1]), chunk[0].lower()
    first = "the" if any(_POSSESSIVE.search(t) for t in chunk[:-1]) else first
    if bare_head in _PARTY_NOUNS:
        return "named"
    if _is_group_name(head) or bare_head in _GROUP_NOUNS:
        singular = not bare_head.endswith("s")
        # "the Ohio Republican" points back at a named person; "Republicans" do not.
        return "named" if singular and _determined(first) else "anonymous"
    if bare_head in _VAGUE_COLLECTIVES or bare_head in _QUANTIFIER_SOURCES:
        return "anonymous"
    if _is_plural_common(head, common):
        if not _is_human_plural(bare_head):
            return "named"  # "glossy charts showing": things, not unnamed people
        if _determined(first) and not _is_vague_plural(bare_head):
            return "named"  # "the candidates", "both campaigns": named earlier
        return "anonymous"
    if first in _INDEFINITE:
        return "anonymous"
    if bare_head in _SHARED_ROLES:
        ranked = any(_bare(t) in _RANKS for t in chunk)
        return "named" if ranked and _determined(first) else "anonymous"
    if _name_token(head, common) or has_name(" ".join(chunk), common):
        return "named"
    if _determined(first) or first in PERSONAL_PRONOUNS:
        return "named"  # "the campaign", "the mayor's spokeswoman": a uniquely identified role
    return "named" if has_name(source, common) else "unknown"


def _antecedent_kind(pronoun: str, left: str, common: frozenset[str]) -> SourceKind:
    """Classify the noun phrase a relative pronoun ("who", "which") points back to."""
    segments = [s.strip() for s in re.split(r"[,;(—–]", left) if s.strip()]
    for segment in reversed(segments[-2:]):
        # The antecedent ends the segment, after its last preposition: "... of Ohio".
        toks = _tokens(segment)
        cut = max((i + 1 for i, t in enumerate(toks) if t.lower() in _CHUNK_END), default=0)
        tail = toks[cut:][-5:]
        if not tail:
            continue
        bare = _bare(tail[-1])
        human = _is_human_plural(bare) or bare in _SHARED_ROLES or _name_token(tail[-1], common)
        if pronoun in {"that", "which"} and not human:
            return "named"  # "a plan that was dropped": a thing, not an unnamed person
        kind = classify_source(" ".join(tail), common=common)
        if kind != "unknown":
            return kind
    return "unknown"


def _pronoun_kind(pronoun: str, left: str, prev: str, common: frozenset[str]) -> SourceKind:
    """Resolve a pronoun source from the nearest context: a name, a vague group, or unknown."""
    plural = pronoun in _PLURAL_PRONOUNS or pronoun in _BACK_PRONOUNS
    for context in (left, prev):
        if plural and _VAGUE_PLURAL_MENTION.search(context):
            return "anonymous"
        if has_name(context, common):
            return "named"
    return "unknown"


# Agentless attribution: a cue with no source that still credits someone unidentified.
_AGENTLESS_CUE = re.compile(
    r"\b(?:reportedly|rumou?red|"
    r"(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+)?"
    r"(?:reported|believed|said|thought|rumou?red|alleged|claimed|considered|seen|viewed|"
    r"regarded|understood|suspected|described|reputed)|"
    r"news\s+(?:has\s+)?emerged|word\s+(?:is|was|has)|"
    r"there\s+(?:is|are|was|were|have\s+been|has\s+been)\s+(?:\w+\s+)?"
    r"(?:reports?|speculation|talk|rumou?rs?|suggestions?))\b",
    re.IGNORECASE,
)
# High-precision anonymous-sourcing markers applied to any news sentence.
_VAGUE_GROUP = (
    r"(?:people|critics|experts|analysts|observers|officials|supporters|allies|advisers|"
    r"advisors|aides|strategists|insiders|sources|democrats|republicans|conservatives|"
    r"liberals|economists|diplomats|lawmakers|activists|commentators|pundits|operatives|"
    r"donors|scholars|historians|scientists|researchers|others|voters)"
)
_STANCE = (
    r"(?:say|says|said|claim\w*|believ\w*|argu\w*|contend\w*|insist\w*|suggest\w*|warn\w*|"
    r"fear\w*|worr\w*|think|thought|feel|felt|see|saw|consider\w*|predict\w*|told|tell|"
    r"not(?:e|ed)|point\w*\s+out|complain\w*|decr(?:y|ied|ies)|doubt\w*|agree\w*|"
    r"disagree\w*|accus\w*|charg(?:e|ed)|allege\w*|expect\w*)"
)
# High-precision anonymous-sourcing phrases, applied to any news sentence.
_ANON_SENTENCE_MARKER = re.compile(
    r"\b(?:reportedly|"
    r"(?:it|this)\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+|also\s+|now\s+)?"
    r"(?:reported|believed|said|rumou?red|alleged|understood|claimed)|"
    r"(?:is|are|was|were)\s+(?:widely\s+)?said\s+to|"
    r"(?:is|are|was|were|been|being|[’']s)\s+widely\s+"
    r"(?:seen|considered|expected|believed|regarded|viewed|reported|thought)|"
    r"on\s+(?:the\s+)?condition\s+(?:of|that\s+\w+\s+not\s+be\s+(?:named|identified))|"
    r"spoke\s+anonymously|(?:declined|asked)\s+(?:not\s+)?to\s+be\s+(?:named|identified)|"
    r"(?:people|persons?|sources?|officials?|those)\s+(?:who\s+are\s+)?(?:familiar\s+with|close\s+to)|"
    r"(?:unnamed|anonymous)\s+(?:\w+\s+)?(?:sources?|officials?|aides?|people|persons?)|"
    r"(?:various|media|news|unconfirmed|press)\s+reports\s+"
    r"(?:that|of|say\w*|said|suggest\w*|indicat\w*|claim\w*)|"
    r"according\s+to\s+(?:an?\s+)?(?:sources?|people|insiders?|reports|media\s+reports|"
    r"news\s+reports|(?:senior\s+)?officials?|a\s+person)|"
    # "some Democrats say", "many people believed", "several of his allies told"
    r"(?:some|many|several|most|other|various|few|numerous|a\s+number\s+of|a\s+few)\s+"
    r"(?:of\s+(?:the|his|her|their)\s+)?(?:[\w-]+\s+){0,2}?"
    + _VAGUE_GROUP
    + r"(?:\s+\w+)?\s+(?:have\s+|had\s+|also\s+|would\s+|may\s+|still\s+)?"
    + _STANCE
    + r"|"
    # "her advisers and allies say", "critics say", "officials said"
    r"(?:(?:his|her|their|its)\s+(?:\w+\s+)?)?"
    r"(?:critics|experts|analysts|observers|officials|insiders|strategists|aides|allies|"
    r"advisers|advisors|supporters|sources)(?:\s+and\s+\w+)?\s+(?:have\s+|had\s+|also\s+)?"
    + _STANCE
    + r")\b",
    re.IGNORECASE,
)
# A sentence with these words may hold an attribution PolNeAR did not annotate.
_MAYBE_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|according|reportedly|reported|believed|sources?|officials|"
    r"critics|experts|analysts|observers|claim\w*|alleg\w*)\b",
    re.IGNORECASE,
)


def is_agentless_cue(cue: str) -> bool:
    """Tell whether a source-less attribution cue credits an unidentified source."""
    return bool(_AGENTLESS_CUE.search(cue))


def anonymous_markers(text: str) -> list[Span]:
    """Find high-precision anonymous-sourcing phrases ("reportedly", "people familiar with")."""
    return [m.span() for m in _ANON_SENTENCE_MARKER.finditer(text)]


# --------------------------------------------------------------------------------------------
# Claims (unverified_claim)
# --------------------------------------------------------------------------------------------

# Argue/suggest/say are left out on purpose: a named source's opinion is not an unverified claim.
CLAIM_VERBS: tuple[str, ...] = (
    "claim",
    "allege",
    "assert",
    "insist",
    "purport",
    "contend",
    "accuse",
    "deny",
    "dispute",
    "maintain",
    "charge that",
    "boast",
    "brag",
)
_CLAIM_CUE = re.compile(
    r"\b(?:claim\w*|alleg(?:e|es|ed|edly|ing|ation|ations)|assert\w*|insist\w*|purport\w*|"
    r"contend\w*|contention|accus(?:e|es|ed|ing|ation|ations|er|ers)|"
    r"den(?:y|ies|ied|ying|ial|ials)|disput\w*|maintain(?:s|ed|ing)?|charg(?:e|es|ed|ing)\s+that|"
    r"boast\w*|brag\w*)\b",
    re.IGNORECASE,
)
UNVERIFIED_MARKERS: tuple[str, ...] = (
    "alleged",
    "allegedly",
    "purported",
    "purportedly",
    "reportedly",
    "unconfirmed",
    "unverified",
    "supposedly",
    "if confirmed",
    "if true",
    "is said to",
    "reported to have",
    "claims that",
    "allegations",
    "accusations",
    "rumors",
)
_UNVERIFIED_MARKER = re.compile(
    r"\b(?:alleg(?:e|es|ed|edly|ing|ation|ations)|purport\w*|reportedly|unconfirmed|"
    r"unverified|supposedly|reputedly|"
    r"if\s+(?:confirmed|true|accurate|proven)|if\s+(?:\w+\s+)?claims?\s+(?:is|are)\s+true|"
    r"(?:is|are|was|were)\s+said\s+to|(?:is|are|was|were)\s+reported\s+to|"
    r"claim(?:s|ed|ing)?|accus(?:e|es|ed|ing|ation|ations|er|ers)|"
    r"assert(?:s|ed|ing|ion|ions)?|contention|"
    r"rumou?r(?:s|ed)?)\b",
    re.IGNORECASE,
)
# Speech and report verbs: content resting on such a cue from an unnamed source is a claim.
_SPEECH_CUE = re.compile(
    r"\b(?:said|say|says|saying|told|tell|tells|according|report\w*|confirm\w*|reveal\w*|"
    r"disclos\w*|indicat\w*|not(?:e|ed|es|ing)|add(?:s|ed)?|explain\w*|describ\w*|"
    r"acknowledg\w*|wr(?:ote|ite|ites|itten)|stat(?:e|ed|es)|announc\w*|leak\w*|"
    r"claim\w*|alleg\w*|insist\w*|assert\w*)\b",
    re.IGNORECASE,
)


# Cues that credit a source with a statement, belief or stance. PolNeAR also annotates
# actions and feelings ("fans cheered", "aides declined to confirm"); a vague group that
# only acts or feels is not a source (SIGNALS.md hard cases).
_STATEMENT_CUE = re.compile(
    _SPEECH_CUE.pattern[:-4]
    + r"|argu\w*|contend\w*|believ\w*|think\w*|thought|feel|feels|felt|suggest\w*|warn\w*|"
    r"fear\w*|worr\w*|predict\w*|expect\w*|estimat\w*|consider\w*|regard\w*|seen|see|sees|"
    r"view\w*|call\w*|label\w*|criticiz\w*|complain\w*|accus\w*|den(?:y|ies|ied)|disput\w*|"
    r"admit\w*|speculat\w*|question\w*|doubt\w*|agree\w*|disagree\w*|maintain\w*|"
    r"point\w*\s+out|conced\w*|recall\w*|characteriz\w*|tweet\w*|emailed|testif\w*|"
    r"charg\w*|mention\w*|hint\w*|cautio\w*|urg\w*|predict\w*|convinced|sure|skeptical|"
    r"concerned|confident|doubtful|wonder\w*|ask\w*|respond\w*|repl\w*|answer\w*|"
    r"quot\w*|cit(?:e|es|ed|ing)|identif\w*|describ\w*|acknowledg\w*|assess\w*)\b",
    re.IGNORECASE,
)


_REFUSAL_CUE = re.compile(
    r"\b(?:declin\w*|refus\w*|did\s+not|didn[’']t|would\s+not|wouldn[’']t|"
    r"not\s+immediately|could\s+not\s+be\s+reached)\b",
    re.IGNORECASE,
)


def is_statement_cue(cue: str) -> bool:
    """Tell whether an attribution cue credits a statement, belief or stance (not an action).

    Refusals ("declined to confirm", "did not respond") say nothing and do not count.
    """
    return bool(_STATEMENT_CUE.search(cue)) and not _REFUSAL_CUE.search(cue)


def is_claim_cue(cue: str) -> bool:
    """Tell whether an attribution cue is a claim verb (claimed, alleged, insisted, denied...)."""
    return bool(_CLAIM_CUE.search(cue))


def is_speech_cue(cue: str) -> bool:
    """Tell whether an attribution cue reports speech or writing (said, told, according to)."""
    return bool(_SPEECH_CUE.search(cue))


def unverified_markers(text: str) -> list[Span]:
    """Find explicit unverified-claim markers ("allegedly", "reportedly", "if confirmed")."""
    return [m.span() for m in _UNVERIFIED_MARKER.finditer(text)]


# --------------------------------------------------------------------------------------------
# Sentence labels from PolNeAR attribution relations
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribution:
    """One PolNeAR attribution relation as article-level spans (a role may be discontinuous)."""

    source: tuple[Span, ...] = ()
    cue: tuple[Span, ...] = ()
    content: tuple[Span, ...] = ()


@dataclass(slots=True)
class _SentenceFacts:
    """What the attributions touching one sentence say about it."""

    kinds: list[SourceKind | Literal["none"]] = field(default_factory=list)
    claim: bool = False
    maybe_claim: bool = False
    content_anonymous: bool = False
    content_claim: bool = False
    in_content: bool = False


def _overlapping(sentences: Sequence[Span], spans: Iterable[Span]) -> set[int]:
    """Return indexes of sentences that share at least one character with any span."""
    hits: set[int] = set()
    for s, e in spans:
        for i, (ss, se) in enumerate(sentences):
            if ss < e and s < se:
                hits.add(i)
    return hits


def _span_text(text: str, spans: Sequence[Span]) -> str:
    """Join the pieces of a possibly discontinuous span."""
    return " ".join(text[s:e] for s, e in spans)


def attribution_kind(
    text: str,
    sentences: Sequence[Span],
    att: Attribution,
    common: frozenset[str] = frozenset(),
) -> SourceKind | Literal["none"]:
    """Classify one attribution's source; "none" for a source-less cue that credits nobody."""
    if not att.source:
        cue = _span_text(text, att.cue)
        return "anonymous" if is_agentless_cue(cue) else "none"
    first = min(att.source)
    home = next((i for i, (s, e) in enumerate(sentences) if s <= first[0] < e), None)
    left = text[sentences[home][0] : first[0]] if home is not None else ""
    prev = text[slice(*sentences[home - 1])] if home else ""
    return classify_source(_span_text(text, att.source), left, prev, common)


def common_words(texts: Iterable[str]) -> frozenset[str]:
    """Collect words a corpus mostly writes in lower case (casing evidence for has_name)."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        for line in text.splitlines():
            toks = _tokens(line)
            for before, word in zip([".", *toks], toks, strict=False):
                if before in _SENTENCE_BREAK or not word.isalpha():
                    continue  # sentence-initial capitals say nothing about the word
                (upper if word[0].isupper() else lower)[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if n >= 2 and n > upper[w])


def polnear_labels(
    text: str,
    sentences: Sequence[Span],
    attributions: Iterable[Attribution],
    common: frozenset[str] = frozenset(),
) -> list[dict[str, Label]]:
    """Derive anonymous_sourcing and unverified_claim for each sentence of a PolNeAR article.

    Trigger sentences (holding a source or cue) carry the attribution's verdict; sentences that
    only hold quoted content of an anonymous or claimed attribution stay unknown.
    """
    facts = [_SentenceFacts() for _ in sentences]
    for att in attributions:
        kind = attribution_kind(text, sentences, att, common)
        cue = _span_text(text, att.cue)
        if kind == "anonymous" and not is_statement_cue(cue):
            kind = "none"  # an unnamed group that only acts is not a source
        unnamed_report = kind in {"anonymous", "unknown"} and is_speech_cue(cue)
        factual = looks_factual(_span_text(text, att.content))
        claim = is_claim_cue(cue) or (kind == "anonymous" and unnamed_report and factual)
        trigger = _overlapping(sentences, att.source + att.cue)
        for i in trigger:
            facts[i].kinds.append(kind)
            facts[i].claim |= claim
            facts[i].maybe_claim |= unnamed_report
        for i in _overlapping(sentences, att.content) - trigger:
            facts[i].in_content = True
            facts[i].content_anonymous |= kind == "anonymous"
            facts[i].content_claim |= claim
    out: list[dict[str, Label]] = []
    for (s, e), fact in zip(sentences, facts, strict=True):
        sentence = text[s:e]
        out.append(
            {
                ANONYMOUS: _anonymous_label(sentence, fact),
                UNVERIFIED: _unverified_label(sentence, fact),
            }
        )
    return out


def _anonymous_label(sentence: str, fact: _SentenceFacts) -> Label:
    """Combine attribution verdicts for one sentence into an anonymous_sourcing label."""
    if "anonymous" in fact.kinds or anonymous_markers(sentence):
        return 1
    if "unknown" in fact.kinds:
        return None
    if fact.kinds:
        return 0
    if fact.content_anonymous:
        return None
    if fact.in_content:
        return 0
    # No attribution at all: the writer's own voice, unless PolNeAR probably missed one.
    return None if _MAYBE_ATTRIBUTION.search(sentence) else 0


def _unverified_label(sentence: str, fact: _SentenceFacts) -> Label:
    """Combine claim cues and explicit markers for one sentence into an unverified_claim label.

    A claim the sentence itself refutes ("falsely claimed") or a claim verb used for taking
    something ("claimed the nomination") is left unknown rather than called either way.
    """
    if _REFUTED.search(sentence) or _CLAIM_TAKING.search(sentence):
        return None
    if fact.claim or unverified_markers(sentence):
        return 1
    if fact.maybe_claim or fact.content_claim:
        return None
    return 0


_REFUTED = re.compile(
    r"\b(?:false(?:ly)?|untrue|debunk\w*|refut\w*|wrongly|incorrectly|misleading|"
    r"inaccurate|rejected|no\s+evidence)\b",
    re.IGNORECASE,
)
_CLAIM_TAKING = re.compile(
    r"\bclaim(?:s|ed|ing)?\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?"
    r"(?:\w+\s+)?(?:responsibility|victory|credit|nomination|win|seat|title|prize|delegates|"
    r"mantle|spot|place|success|lives|life|territory|land|ownership)\b|"
    r"\b(?:a|the|this|that)\s+dispute\b",
    re.IGNORECASE,
)
_MODAL_OR_OPINION = re.compile(
    r"\b(?:will|would|should|could|might|may|must|need\w*|going\s+to|plan\w*|hope\w*|"
    r"want\w*|think\w*|believe\w*|feel\w*|best|better|worse|worst|good|bad|great|"
    r"important|likely|unlikely|seriously|confident|makes\s+sense)\b|[’']ll\b",
    re.IGNORECASE,
)
_EVENT_OR_NUMBER = re.compile(
    r"\d|\b(?:was|were|had|has\s+been|have\s+been|did|\w{3,}ed)\b", re.IGNORECASE
)


def looks_factual(content: str) -> bool:
    """Guess that reported content states an event or a number, not an opinion or a plan."""
    return bool(_EVENT_OR_NUMBER.search(content)) and not _MODAL_OR_OPINION.search(content)


# --------------------------------------------------------------------------------------------
# no_evidence (weak supervision over news text)
# --------------------------------------------------------------------------------------------

_NEG = (
    r"(?:no|not|never|without|neither|nor|none|nothing|nobody|cannot|"
    r"\w+n[’']t|lack(?:s|ed|ing)?(?:\s+of)?|absence\s+of|yet\s+to|unable\s+to|"
    r"fail(?:s|ed|ing)?\s+to|declin(?:e|es|ed|ing)\s+to|refus(?:e|es|ed|ing)\s+to)"
)
_CLAIM_OBJECT = (
    r"(?:(?:the|his|her|their|its|this|that|these|those|such|any|a)\s+)?"
    r"(?:claims?|allegations?|assertions?|accusations?|contentions?|theory|charges?|story)"
)
_TARGET = (
    r"(?:evidence|proof|prove[sdn]?|proving|verif\w*|confirm\w*|corroborat\w*|"
    r"substantiat\w*|authenticat\w*|authenticity|documentation|evidentiary|basis|"
    r"back(?:s|ed|ing)?\s+(?:(?:it|them|that|this|those|these|any\s+of\s+\w+)\s+)?up|"
    r"support\s+(?:for\s+)?" + _CLAIM_OBJECT + r")"
)
# A negator, at most five words that stay inside the clause, then the evidence word.
_NEG_WINDOW = re.compile(
    r"\b"
    + _NEG
    + r"\b(?!\s+(?:only|doubt|question)\b)(?:\s+[^\s.;:!?—–]+){0,5}?\s+"
    + _TARGET
    + r"\b",
    re.IGNORECASE,
)
_WITHHELD_OBJECT = (
    r"(?:records|documents|evidence|data|returns|transcripts?|e-?mails|documentation|"
    r"information|names|list|proof|sources?|copy|video|footage|materials|finances|examples?)"
)
_WITHHOLD = (
    r"(?:withh[eo]ld\w*|(?:(?:refus|declin|fail|unwilling)\w*|failure|not|never|\w+n[’']t|"
    r"without)\s+(?:to\s+)?(?:release|releasing|disclose|disclosing|provide|providing|"
    r"produce|producing|turn(?:ing)?\s+over|hand(?:ing)?\s+over|make\s+public|publish|cite|"
    r"citing|offer|offering|show|showing))"
)
_STANDALONE = re.compile(
    r"\b(?<!not\s)(?:baseless|unfounded|unsubstantiated|unverified|unverifiable|uncorroborated|"
    r"unproven|unprovable|evidence-free|(?:little|scant|scarce|thin|zero)\s+(?:hard\s+)?"
    r"(?:evidence|proof)|"
    r"(?:no|found\s+no)\s+(?:record|indication|data)\s+(?:of|that|to\s+(?:suggest|support|show))|"
    r"(?:has|have|had)\s+not\s+been\s+(?:publicly\s+)?(?:disclosed|released|made\s+public)|"
    + _WITHHOLD
    + r"(?:\s+[^\s.;:!?—–]+){0,4}?\s+"
    + _WITHHELD_OBJECT
    + r")\b",
    re.IGNORECASE,
)
# "Confirm" also means approving a nominee; such sentences do not talk about verification.
_NOMINATION = re.compile(
    r"\b(?:senate|nominees?|nominations?|supreme\s+court|cabinet|appointees?|"
    r"confirm(?:ed)?\s+\d+|confirmation\s+(?:hearings?|votes?|process))\b",
    re.IGNORECASE,
)
_RISK_WORD = re.compile(
    r"\b(?:evidence|proof|prove\w*|proving|verif\w*|confirm\w*|corroborat\w*|substantiat\w*|"
    r"authentic\w*|documentation|baseless|unfounded|withh[eo]ld\w*)\b",
    re.IGNORECASE,
)
NO_EVIDENCE_CUES: tuple[str, ...] = (
    "no evidence",
    "without evidence",
    "provided no evidence",
    "offered no proof",
    "without proof",
    "could not be independently verified",
    "could not verify",
    "could not confirm",
    "refused to confirm",
    "declined to confirm",
    "not confirmed",
    "no independent verification",
    "lack of evidence",
    "failed to substantiate",
    "declined to substantiate",
    "did not back up",
    "no basis",
    "baseless",
    "unfounded",
    "unsubstantiated",
    "unverified",
    "uncorroborated",
    "unproven",
)


def no_evidence_pattern(text: str) -> list[Span]:
    """Return spans where the text says evidence, proof or verification is missing."""
    spans: list[Span] = []
    nomination = bool(_NOMINATION.search(text))
    for m in _NEG_WINDOW.finditer(text):
        if nomination and re.search(r"confirm", m.group(0)[-14:], re.IGNORECASE):
            continue
        spans.append(m.span())
    spans.extend(m.span() for m in _STANDALONE.finditer(text))
    return sorted(set(spans))


def no_evidence_label(text: str) -> Label:
    """Weak no_evidence label: 1 if a pattern fires, 0 if no evidence word at all, else unknown."""
    if no_evidence_pattern(text):
        return 1
    return None if _RISK_WORD.search(text) else 0


# --------------------------------------------------------------------------------------------
# hedging (Szeged) and weasels (CoNLL-2010)
# --------------------------------------------------------------------------------------------


# Szeged files these under doxastic speculation, but in SIGNALS.md they are attribution
# (anonymous_sourcing, unverified_claim) or no_evidence, not the writer's own hedge.
ATTRIBUTION_ONLY_CUES = _set(
    "considered consider considers regarded regard seen viewed view idea belief alleged "
    "allegedly allege alleges allegation allegations accused accuse accusation accusations "
    "charged charges supposedly reportedly rumored rumors rumoured rumours putative "
    "alleging"
) | {"no evidence", "no proof"}


def szeged_hedging(cues: Iterable[tuple[str, str]]) -> Label:
    """Hedging from the (type, text) <ccue> pairs of one Szeged sentence.

    A speculation cue makes it 1 unless every speculation cue is an attribution word
    ("considered", "allegedly"), which leaves it unknown; a sentence with weasel cues only is
    unknown too (vague attribution, not the writer's uncertainty); no cue, or peacock cues
    only, is 0.
    """
    speculation: list[str] = []
    weasel = False
    for kind, text in cues:
        kind = kind.replace(" ", "").lower()
        if kind.startswith("speculation"):
            speculation.append(" ".join(text.lower().split()))
        weasel |= kind.startswith("weasel")
    if any(cue not in ATTRIBUTION_ONLY_CUES for cue in speculation):
        return 1
    return None if speculation or weasel else 0


_OPINION_HOLDERS = _set(
    "critics experts historians scholars analysts commentators observers skeptics sceptics "
    "detractors reviewers philosophers journalists scientists researchers opponents "
    "supporters proponents advocates economists theorists academics pundits sources "
    "officials people others fans authorities writers authors"
)
_VAGUE_QUANTIFIERS = _set(
    "some many most several various certain numerous few other others countless"
)
# At most three adverbs or "been"s between auxiliary and verb: an unbounded run made search()
# rescan it from every auxiliary, quadratic on "been been been ...".
_PASSIVE_ATTRIBUTION = re.compile(
    r"\b(?:is|are|was|were|been|be|being|has|have|had)\s+(?:\w+ly\s+|also\s+|been\s+){0,3}"
    r"(?:considered|believed|said|thought|claimed|regarded|reported|alleged|rumou?red|seen|"
    r"viewed|described|deemed|suggested|argued|speculated|reputed|touted|criticized|"
    r"criticised|praised|cited|acclaimed|hailed|credited)\b",
    re.IGNORECASE,
)
_STANCE_VERB = re.compile(
    r"^(?:\S+\s+){0,5}?(?:have\s+|has\s+|had\s+|would\s+|may\s+|also\s+|even\s+)*"
    r"(?:say|says|said|claim\w*|believ\w*|argu\w*|consider\w*|regard\w*|suggest\w*|think|"
    r"thought|feel|felt|contend\w*|not(?:e|ed)|describ\w*|call\w*|view\w*|maintain\w*|"
    r"stat(?:e|ed)|speculat\w*|criticiz\w*|criticis\w*|prais\w*|point\w*\s+out|assert\w*|"
    r"insist\w*|alleg\w*|report\w*|hold|held|agree\w*|disagree\w*|disput\w*|doubt\w*|"
    r"see|saw|fear\w*|worr\w*|warn\w*|recommend\w*|predict\w*|estimat\w*|"
    r"theoriz\w*|attribut\w*|credit\w*|blam\w*|accus\w*|acclaim\w*|hail\w*|dismiss\w*|"
    r"reject\w*|object\w*|complain\w*|deem\w*|label\w*|dub\w*|cit(?:e|ed))\b",
    re.IGNORECASE,
)


def is_source_cue(cue: str) -> bool:
    """Tell whether a CoNLL weasel cue names a vague source rather than a hedge or a peacock."""
    words = cue.lower().split()
    if not words or "&" in cue:
        return False
    if _PASSIVE_ATTRIBUTION.search(cue):
        return True
    holders = [w for w in words if w in _OPINION_HOLDERS]
    if len(words) == 1:
        return bool(holders) and words[0] not in {"people", "others", "officials", "sources"}
    return bool(holders) or (words[0] in _VAGUE_QUANTIFIERS and words[-1] in _OPINION_HOLDERS)


def weasel_source_spans(text: str, source_cues: Iterable[str]) -> list[Span]:
    """Find source-like weasel cues in text that are credited with a statement or stance."""
    spans: list[Span] = []
    for cue in source_cues:
        pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, cue.split())) + r"(?![\w-])"
        for m in re.finditer(pattern, text, re.IGNORECASE):
            if _PASSIVE_ATTRIBUTION.search(m.group(0)) or _STANCE_VERB.search(
                text[m.end() :].lstrip()
            ):
                spans.append(m.span())
    return sorted(set(spans))


def conll_labels(certain: bool, text: str, source_cues: Iterable[str]) -> dict[str, Label]:
    """Labels for one CoNLL-2010 Wikipedia sentence (certain, or uncertain incl. weasels)."""
    if certain:
        return {ANONYMOUS: 0, HEDGING: 0}
    return {ANONYMOUS: 1} if weasel_source_spans(text, source_cues) else {}


# --------------------------------------------------------------------------------------------
# Cue lexicons for features and the rule baseline
# --------------------------------------------------------------------------------------------

SEED_SOURCE_CUES: tuple[str, ...] = (
    "officials said",
    "a senior official",
    "sources said",
    "people familiar with",
    "on condition of anonymity",
    "some analysts",
    "some experts",
    "critics say",
    "many believe",
    "it is believed",
    "it was reported",
    "it is widely believed",
    "according to reports",
    "reportedly",
)
SEED_HEDGES: tuple[str, ...] = (
    "may",
    "might",
    "could",
    "possibly",
    "perhaps",
    "probably",
    "likely",
    "unlikely",
    "apparently",
    "appears",
    "seems",
    "suggests",
    "unclear whether",
    "it remains to be seen",
    "expected to",
    "whether",
)


def cue_lexicons(data_dir: Path | None = None) -> dict[str, list[str]]:
    """Return cue phrase lists per core signal, learned from the data when data_dir is given.

    With data_dir, anonymous_sourcing cues come from trainWeasels.txt (source-like cues only) and
    hedging cues from Szeged <ccue> text in train documents; without it, from hand seeds.
    """
    sources: list[str] = list(SEED_SOURCE_CUES)
    hedges: list[str] = list(SEED_HEDGES)
    if data_dir is not None:
        # Imported here: the loaders import this module for their rules.
        from training.loaders.conll2010 import read_weasel_counts
        from training.loaders.szeged import speculation_cues

        weasels = read_weasel_counts(data_dir / "conll2010_wiki" / "trainWeasels.txt")
        sources += [cue for cue in weasels if is_source_cue(cue)]
        hedges += speculation_cues(data_dir / "szeged_uncertainty")
    return {
        ANONYMOUS: _unique(sources),
        UNVERIFIED: _unique([*CLAIM_VERBS, *UNVERIFIED_MARKERS]),
        NO_EVIDENCE: list(NO_EVIDENCE_CUES),
        HEDGING: _unique(hedges),
    }


def _unique(items: Iterable[str]) -> list[str]:
    """Lowercase, strip and dedupe while keeping first-seen order."""
    seen: dict[str, None] = {}
    for item in items:
        key = " ".join(item.lower().split())
        if key:
            seen.setdefault(key, None)
    return list(seen)
