// Compares evident's references with citeproc-js (the CSL processor inside Zotero and
// Mendeley) running the official CSL styles on the same CSL-JSON items.
//
//   node compare.mjs STYLES_DIR KNOWN_DIFFERENCES.md < records.jsonl
//
// records.jsonl is what `cargo run --example references` prints. Both sides get the item
// without its identifiers (DOI, PMID, PMCID): evident prints those as links beside the
// reference, the same way in every style. The URL is kept, since styles print "[Internet]"
// or an access date by it, and taken out of both texts with its label ("Available from:"),
// as evident links it apart too (src/cite/mend.rs, `without_url`). A difference is a failure unless the table in
// KNOWN_DIFFERENCES.md lists it (`| style | record id | reason |`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const CSL = require('citeproc');

const [stylesDir, knownFile] = process.argv.slice(2);
// The shipped styles by name, and a .csl file handed over as `citation_style` by its path.
const STYLES = {
  vancouver: 'vancouver.csl',
  ama: 'american-medical-association.csl',
  apa: 'apa.csl',
  'nlm-citation-sequence.csl': 'nlm-citation-sequence.csl',
};
const LINKED = ['DOI', 'PMID', 'PMCID'];
const locale = readFileSync(path.join(stylesDir, 'locales-en-US.xml'), 'utf8');

function normalise(text) {
  return text
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&#38;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019\u201A]/g, "'")
    .replace(/[\s\u00A0\u202F\u2009]+/g, ' ')
    .trim();
}

function withoutUrl(text, url) {
  url = (url ?? '').trim();
  const at = url ? text.indexOf(url) : -1;
  if (at < 0) return text;
  let before = text.slice(0, at).trimEnd();
  for (const label of ['Available from:', 'Available at:', 'Retrieved from']) {
    if (before.endsWith(label)) {
      before = before.slice(0, -label.length).trimEnd();
      break;
    }
  }
  const after = text.slice(at + url.length).replace(/^\.+/, '');
  const joined = (before + after).trim();
  return joined === '' || /[.?!]$/.test(joined) ? joined : `${joined}.`;
}

function stripNumber(text) {
  return text.replace(/^\[?\d+[.\]]?\s+/, '');
}

function known(file) {
  const rows = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !STYLES[cells[1]]) continue;
    rows.set(`${cells[1]} ${cells[2].replace(/`/g, '')}`, cells[3]);
  }
  return rows;
}

const records = readFileSync(0, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const listed = known(knownFile);
const used = new Set();
let failures = 0;
for (const [name, file] of Object.entries(STYLES)) {
  const styleXml = readFileSync(path.join(stylesDir, file), 'utf8');
  let same = 0;
  for (const record of records) {
    const item = { ...record.csl, id: 'item' };
    for (const key of LINKED) delete item[key];
    const sys = { retrieveLocale: () => locale, retrieveItem: () => item };
    const engine = new CSL.Engine(sys, styleXml, 'en-US', true);
    engine.setOutputFormat('text');
    engine.updateItems(['item']);
    const [, entries] = engine.makeBibliography();
    const printed = stripNumber(normalise(entries.join('')));
    const expected = normalise(withoutUrl(printed, record.csl.URL));
    const actual = normalise(record.formatted[name] ?? '');
    const key = `${name} ${record.id}`;
    if (expected === actual) {
      same += 1;
      continue;
    }
    if (listed.has(key)) {
      used.add(key);
      continue;
    }
    failures += 1;
    console.log(`DIFF ${name} ${record.id} (${record.file}:${record.line})`);
    console.log(`  citeproc: ${expected}`);
    console.log(`  evident:  ${actual}`);
  }
  console.log(`${name}: ${same}/${records.length} identical to citeproc-js`);
}
for (const key of listed.keys()) {
  if (!used.has(key)) {
    console.log(`STALE ${key}: listed as a known difference but printed identically (or absent)`);
    failures += 1;
  }
}
process.exit(failures ? 1 : 0);
