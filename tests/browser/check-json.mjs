// Checks slant's JSON output against docs/JSON.md (no dependencies):
//   node check-json.mjs schema FILE          a document, or an array of them
//   node check-json.mjs jsonl FILE           one document a line
//   node check-json.mjs flc FILE.json FLC    FLC lines == the fragments
//   node check-json.mjs si FILE.json SI      SI lines == the spans
// Exits 1 with the first problem on stderr.
import { readFileSync } from 'node:fs';

const [mode, file, other] = process.argv.slice(2);
const fail = (m) => { console.error(`check-json: ${m}`); process.exit(1); };
const types = (o, spec, where) => {
  for (const [k, t] of Object.entries(spec)) {
    const v = o[k];
    const ok = t.split('|').some((u) => (u === 'null' ? v === null : u === 'array' ? Array.isArray(v)
      : u === 'integer' ? Number.isInteger(v) && v >= 0 : typeof v === u && v !== null && !Array.isArray(v)));
    if (!ok) fail(`${where}.${k}: expected ${t}, got ${JSON.stringify(v)}`);
  }
};
const offsets = { start: 'integer', end: 'integer', byte_start: 'integer', byte_end: 'integer' };
function checkDoc(d, where) {
  types(d, { schema_version: 'number', id: 'string', path: 'string|null', length: 'object', model: 'object',
             score: 'number', fragments: 'array', technique_counts: 'array', spans: 'array', sentences: 'array',
             unlabelled_fragments: 'integer', text: 'string' }, where);
  if (d.schema_version !== 1) fail(`${where}: schema_version ${d.schema_version}`);
  types(d.length, { bytes: 'integer', codepoints: 'integer' }, `${where}.length`);
  types(d.model, { name: 'string', version: 'string' }, `${where}.model`);
  const cps = Array.from(d.text);
  if (cps.length !== d.length.codepoints) fail(`${where}: ${cps.length} code points, length says ${d.length.codepoints}`);
  if (Buffer.byteLength(d.text) !== d.length.bytes) fail(`${where}: byte length`);
  d.fragments.forEach((f, i) => {
    const w = `${where}.fragments[${i}]`;
    types(f, { ...offsets, text: 'string', technique: 'object|null', confidence: 'number', explanation: 'object' }, w);
    if (f.technique) types(f.technique, { index: 'integer', name: 'string', display: 'string', short: 'string' }, `${w}.technique`);
    types(f.explanation, { span_confidence: 'number', probabilities: 'array', summary: 'string' }, `${w}.explanation`);
    if (cps.slice(f.start, f.end).join('') !== f.text) fail(`${w}: code point offsets do not spell its text`);
    if (Buffer.from(d.text).subarray(f.byte_start, f.byte_end).toString() !== f.text) fail(`${w}: byte offsets do not spell its text`);
    if (!(f.confidence >= 0 && f.confidence <= 1)) fail(`${w}: confidence ${f.confidence}`);
  });
  d.spans.forEach((s, i) => {
    const w = `${where}.spans[${i}]`;
    types(s, { ...offsets, confidence: 'number' }, w);
    if (!(s.start < s.end && s.end <= cps.length)) fail(`${w}: range ${s.start}-${s.end}`);
    if (i && s.start < d.spans[i - 1].end) fail(`${w}: overlaps or precedes the span before`);
    if (!(s.confidence >= 0 && s.confidence <= 1)) fail(`${w}: confidence ${s.confidence}`);
  });
  d.fragments.forEach((f, i) => {
    if (!d.spans.some((s) => s.start <= f.start && f.end <= s.end)) fail(`${where}.fragments[${i}]: within no span`);
  });
  d.sentences.forEach((s, i) => types(s, { ...offsets, score: 'number' }, `${where}.sentences[${i}]`));
  return d;
}

const text = readFileSync(file, 'utf8');
if (mode === 'schema') {
  const j = JSON.parse(text);
  (Array.isArray(j) ? j : [j]).forEach((d, i) => checkDoc(d, `[${i}]`));
} else if (mode === 'jsonl') {
  text.split('\n').filter((l) => l).forEach((l, i) => checkDoc(JSON.parse(l), `line ${i + 1}`));
} else if (mode === 'flc') {
  const j = JSON.parse(text);
  const want = (Array.isArray(j) ? j : [j]).flatMap((d) => d.fragments.map((f) =>
    `${d.id}\t${f.technique ? f.technique.name : '?'}\t${f.start}\t${f.end}`));
  const got = readFileSync(other, 'utf8').split('\n').filter((l) => l);
  if (want.length !== got.length) fail(`${got.length} FLC lines, ${want.length} fragments in the JSON`);
  want.forEach((w, i) => { if (w !== got[i]) fail(`FLC line ${i + 1}: '${got[i]}', JSON gives '${w}'`); });
} else if (mode === 'si') {
  const j = JSON.parse(text);
  const want = (Array.isArray(j) ? j : [j]).flatMap((d) => d.spans.map((s) => `${d.id}\t${s.start}\t${s.end}`));
  const got = readFileSync(other, 'utf8').split('\n').filter((l) => l);
  if (want.length !== got.length) fail(`${got.length} SI lines, ${want.length} spans in the JSON`);
  want.forEach((w, i) => { if (w !== got[i]) fail(`SI line ${i + 1}: '${got[i]}', JSON gives '${w}'`); });
} else fail(`unknown mode ${mode}`);
