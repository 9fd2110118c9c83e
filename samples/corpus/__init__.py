"""A corpus of invented bulletins with randomised layouts, for measuring structure recognition.

Unlike ``samples/`` (three hand-written bulletins), everything here is drawn from phrase banks
and layout choices by a seeded random generator, so any number of bulletins can be made, each
as a text-layer PDF, a degraded scan, a pdftotext-style raw extraction and its truth JSON:

    python -m samples.corpus --count 20 --out /tmp/corpus --seed 1

(run from the repository root). See ``generate.py`` for the files written, ``variants.py`` for
the layout choices, ``content.py`` for the text, ``typeset.py`` for the PDF model, ``raw.py``
for the raw extraction, ``scan.py`` for the scan and ``metrics.py`` for how a conversion is
scored against the truth.
"""
