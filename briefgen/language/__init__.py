"""The brief's words and number formats in each language.

``labels`` (headings, captions and every generated sentence, from a catalogue per
language with named slots) and ``formatting`` (numbers, money, dates and
percentages as a reader of that language writes them).

May import: briefgen.common, briefgen.inputs.
"""
