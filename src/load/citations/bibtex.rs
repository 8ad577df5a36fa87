//! BibTeX / BibLaTeX (`.bib`), through the `biblatex` crate (typst's, the parser under
//! hayagriva). It resolves `@string` abbreviations, `crossref`s and LaTeX escapes (`{\"u}` →
//! ü) and reports errors with byte spans, which become `line:column` here. The fields are
//! mapped to CSL by us, because hayagriva's own mapping drops PMIDs (typst/hayagriva#260).

use std::collections::HashMap;

use biblatex::{Bibliography, Chunk, ChunksExt, Entry, ParseErrorKind, RawBibliography, RawChunk};

use crate::diag::lines::LineIndex;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};

use super::SourceRecord;
use super::design;
use super::item::{self, DatePart, ItemBuilder};

/// Reads every entry of a .bib file. A syntax error stops the file (the parser cannot go on
/// past it) and is reported at its exact position.
///
/// Linear in the file's size: positions come from a [`LineIndex`] built once, entries are
/// found by key in a map, and fields whose braces would make the parser slow or deep are
/// left out before it sees them (see [`MAX_BRACE_DEPTH`]).
pub fn read_bibtex(text: &str, path: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRecord> {
    let lines = LineIndex::new(text);
    let error = |diagnostics: &mut Diagnostics, offset: usize, message: String| {
        let (line, column) = lines.line_column(offset);
        diagnostics.push(
            Diagnostic::error(Code::MalformedSource, Location::new(path, line, column), message)
                .hint("each entry is `@type{key, field = {value}, …}`; check the braces and commas before this point"),
        );
    };
    // The parser is a third party's: a panic on some odd input must not end the run.
    let parsed = std::panic::catch_unwind(|| {
        let mut raw = RawBibliography::parse(text)?;
        let mut starts: HashMap<String, usize> = HashMap::new();
        for entry in &raw.entries {
            starts
                .entry(entry.v.key.v.to_string())
                .or_insert(entry.span.start);
        }
        let repeated = keep_first_of_repeated_fields(&mut raw);
        let overbraced = leave_out_overbraced_fields(&mut raw);
        let unfollowed = leave_out_endless_crossrefs(&mut raw);
        let notes = raw_notes(&raw, text);
        Bibliography::from_raw(raw)
            .map(|bib| (bib, starts, repeated, overbraced, unfollowed, notes))
    });
    let (bibliography, starts, repeated, overbraced, unfollowed, notes) = match parsed {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(e)) => {
            error(diagnostics, e.span.start, describe(&e.kind));
            return Vec::new();
        }
        Err(_) => {
            error(
                diagnostics,
                0,
                "the BibTeX parser failed on this file".into(),
            );
            return Vec::new();
        }
    };
    for (key, field, offset) in repeated {
        let (line, column) = lines.line_column(offset);
        diagnostics.push(
            Diagnostic::warning(
                Code::DuplicateField,
                Location::new(path, line, column),
                format!("`{field}` is given twice in the entry `{key}`; the first value is kept"),
            )
            .width(field.chars().count())
            .hint(format!(
                "delete one of the two `{field}` lines (Zotero writes some fields twice)"
            )),
        );
    }
    for left_out in overbraced {
        let (line, column) = lines.line_column(left_out.offset);
        let whose = match &left_out.entry {
            Some(key) => format!("in the entry `{key}`"),
            None => "in this @string".to_string(),
        };
        diagnostics.push(
            Diagnostic::error(
                Code::MalformedSource,
                Location::new(path, line, column),
                format!(
                    "`{}` {whose} has {} braces, nested {} deep; evident reads at most {MAX_FIELD_BRACES} braces nested {MAX_BRACE_DEPTH} deep in a field, so it is left out",
                    left_out.field, left_out.braces, left_out.depth
                ),
            )
            .width(left_out.field.chars().count())
            .hint("no reference needs this many braces: the export is damaged here; export the record again or remove the extra braces"),
        );
    }
    for (key, field, offset) in unfollowed {
        let (line, column) = lines.line_column(offset);
        diagnostics.push(
            Diagnostic::error(
                Code::MalformedSource,
                Location::new(path, line, column),
                format!(
                    "the `{field}` of the entry `{key}` leads round in a circle or through more than {MAX_CROSSREF_DEPTH} entries; it is not followed"
                ),
            )
            .width(field.chars().count())
            .hint("an entry's `crossref` names the entry it takes missing fields from (a book for its chapter); make the chain end at an entry without one"),
        );
    }
    let mut records = Vec::new();
    for entry in bibliography.iter() {
        let offset = starts.get(&entry.key).copied().unwrap_or(0);
        let (line, column) = lines.line_column(offset);
        // The key is the source's id (DESIGN §4): without one, claims could not cite it.
        if entry.key.trim().is_empty() {
            diagnostics.push(
                Diagnostic::error(
                    Code::MalformedSource,
                    Location::new(path, line, column),
                    "BibTeX entry without a key",
                )
                .hint("write the key after the brace, e.g. `@article{pmid9283123,`; it is the id claims cite"),
            );
            continue;
        }
        let mut pos = item::line_pos(line as usize, offset);
        pos.column = column;
        let date = issued(entry, path, &lines, diagnostics);
        let mut record = to_record(entry, date, path, pos);
        if let Some(note) = notes.get(&entry.key) {
            zotero_note_fields(note, &mut record.csl);
        }
        records.push(record);
    }
    records
}

/// The entry's publication date: BibLaTeX `date` first, else BibTeX `year` + `month` (`aug`,
/// `8`, or a @string month). An impossible one is warned at its field, and its possible part
/// kept.
fn issued(
    entry: &Entry,
    path: &str,
    lines: &LineIndex<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<item::Date> {
    let mut warn = |key: &str, problem: &(DatePart, String)| {
        let offset = entry
            .get(key)
            .and_then(|chunks| chunks.first())
            .map_or(0, |chunk| chunk.span.start);
        let (line, column) = lines.line_column(offset);
        let width = field(entry, key).map_or(1, |text| text.chars().count());
        diagnostics.push(item::impossible_date_warning(
            Location::new(path, line, column),
            key,
            problem,
            width,
        ));
    };
    if let Some(date) = field(entry, "date") {
        let reading = item::read_date(&date);
        if let Some(problem) = &reading.problem {
            warn("date", problem);
        }
        if reading.date.is_some() {
            return reading.date;
        }
    }
    let year = field(entry, "year")?;
    // A month by name or number; a number that is no month is kept, to be warned at.
    let month = field(entry, "month").and_then(|m| match item::month(&m) {
        Some(number) => Some(number.to_string()),
        None => m.bytes().all(|b| b.is_ascii_digit()).then_some(m),
    });
    let text = match &month {
        Some(m) => format!("{year} {m}"),
        None => year,
    };
    let reading = item::read_date(&text);
    if let Some(problem) = &reading.problem {
        warn(
            if problem.0 == DatePart::Month {
                "month"
            } else {
                "year"
            },
            problem,
        );
    }
    reading.date
}

/// Braces nested deeper than this in one field are not read: real exports nest a few levels
/// (`{{Title with {DNA}}}`), and the parser recurses into nested commands, so 100,000 levels
/// would overflow the stack.
const MAX_BRACE_DEPTH: usize = 32;

/// More braces than this in one field are not read: the parser merges the pieces between
/// braces one removal at a time, so its time grows with the square of their number (100,000
/// braces took 13 s).
const MAX_FIELD_BRACES: usize = 1024;

/// A field (or @string) left out for its braces.
struct Overbraced {
    /// The entry's key; None for an @string abbreviation.
    entry: Option<String>,
    field: String,
    /// Byte offset of the field's name.
    offset: usize,
    braces: usize,
    depth: usize,
}

/// How many braces a raw field value holds and how deep they nest, as the parser counts them
/// (a backslash escapes the character after it).
fn brace_profile(value: &str) -> (usize, usize) {
    let (mut braces, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    let mut bytes = value.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'{' => {
                braces += 1;
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' => {
                braces += 1;
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    (braces, deepest)
}

/// Removes the fields and @strings whose braces exceed [`MAX_FIELD_BRACES`] or
/// [`MAX_BRACE_DEPTH`], before the parser resolves them; returns each one removed.
fn leave_out_overbraced_fields(raw: &mut RawBibliography<'_>) -> Vec<Overbraced> {
    let mut left_out = Vec::new();
    let mut keep = |entry: Option<&str>, pair: &biblatex::Pair<'_>| {
        let (mut braces, mut depth) = (0, 0);
        for chunk in &pair.value.v {
            if let RawChunk::Normal(text) = chunk.v {
                let (b, d) = brace_profile(text);
                braces += b;
                depth = depth.max(d);
            }
        }
        if braces <= MAX_FIELD_BRACES && depth <= MAX_BRACE_DEPTH {
            return true;
        }
        left_out.push(Overbraced {
            entry: entry.map(str::to_string),
            field: pair.key.v.to_string(),
            offset: pair.key.span.start,
            braces,
            depth,
        });
        false
    };
    raw.abbreviations.retain(|pair| keep(None, pair));
    for entry in &mut raw.entries {
        let key = entry.v.key.v;
        entry.v.fields.retain(|pair| keep(Some(key), pair));
    }
    left_out
}

/// A `crossref` (or `xdata`) chain is followed through at most this many entries. The parser
/// follows chains by recursion without noticing circles, so `a` → `b` → `a` would overflow
/// the stack; real exports go one level deep (a chapter to its book).
const MAX_CROSSREF_DEPTH: usize = 8;

/// The keys an entry's `crossref` and `xdata` name, as written.
fn references_of(entry: &biblatex::RawEntry<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    for pair in &entry.fields {
        let name = pair.key.v;
        if !(name.eq_ignore_ascii_case("crossref") || name.eq_ignore_ascii_case("xdata")) {
            continue;
        }
        let text: String = pair
            .value
            .v
            .iter()
            .filter_map(|chunk| match chunk.v {
                RawChunk::Normal(text) => Some(text),
                RawChunk::Abbreviation(_) => None,
            })
            .collect();
        keys.extend(
            text.split(',')
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string),
        );
    }
    keys
}

/// Removes `crossref` and `xdata` from the entries whose chain runs in a circle or through
/// more than [`MAX_CROSSREF_DEPTH`] entries; returns (entry key, field, byte offset) of each.
fn leave_out_endless_crossrefs(raw: &mut RawBibliography<'_>) -> Vec<(String, String, usize)> {
    let references: HashMap<&str, Vec<String>> = raw
        .entries
        .iter()
        .map(|e| (e.v.key.v, references_of(&e.v)))
        .filter(|(_, keys)| !keys.is_empty())
        .collect();
    if references.is_empty() {
        return Vec::new();
    }
    // The length of each entry's longest chain, found without recursion: usize::MAX for a
    // chain that comes back to an entry on it.
    let mut depth: HashMap<&str, usize> = HashMap::new();
    for &start in references.keys() {
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        let mut on_stack: std::collections::HashSet<&str> = [start].into();
        while let Some(&mut (key, ref mut next)) = stack.last_mut() {
            if depth.contains_key(key) {
                stack.pop();
                on_stack.remove(key);
                continue;
            }
            let targets = references.get(key).map_or(&[][..], Vec::as_slice);
            if let Some(target) = targets.get(*next) {
                *next += 1;
                let target = target.as_str();
                if on_stack.contains(target) {
                    depth.insert(key, usize::MAX);
                } else if references.contains_key(target) && !depth.contains_key(target) {
                    let target = references.get_key_value(target).map_or(target, |(k, _)| *k);
                    on_stack.insert(target);
                    stack.push((target, 0));
                }
                continue;
            }
            let deepest = targets
                .iter()
                .map(|t| {
                    depth.get(t.as_str()).copied().unwrap_or(
                        if references.contains_key(t.as_str()) {
                            usize::MAX
                        } else {
                            0
                        },
                    )
                })
                .max()
                .unwrap_or(0);
            depth.insert(key, deepest.saturating_add(1));
            stack.pop();
            on_stack.remove(key);
        }
    }
    let mut left_out = Vec::new();
    for entry in &mut raw.entries {
        let key = entry.v.key.v;
        if depth.get(key).is_none_or(|&d| d <= MAX_CROSSREF_DEPTH) {
            continue;
        }
        entry.v.fields.retain(|pair| {
            let name = pair.key.v;
            if name.eq_ignore_ascii_case("crossref") || name.eq_ignore_ascii_case("xdata") {
                left_out.push((key.to_string(), name.to_string(), pair.key.span.start));
                return false;
            }
            true
        });
    }
    left_out
}

/// Drops the later occurrences of a field an entry gives twice (`doi` twice, as Zotero
/// exported it), which the parser would let overwrite the first; returns each one dropped as
/// (entry key, field name, byte offset).
fn keep_first_of_repeated_fields(raw: &mut RawBibliography<'_>) -> Vec<(String, String, usize)> {
    let mut repeated = Vec::new();
    for entry in &mut raw.entries {
        let key = entry.v.key.v.to_string();
        let mut seen = std::collections::BTreeSet::new();
        entry.v.fields.retain(|pair| {
            let name = pair.key.v.to_ascii_lowercase();
            if seen.insert(name) {
                return true;
            }
            repeated.push((key.clone(), pair.key.v.to_string(), pair.key.span.start));
            false
        });
    }
    repeated
}

fn describe(kind: &ParseErrorKind) -> String {
    match kind {
        ParseErrorKind::UnexpectedEof => {
            "the file ends inside an entry (a closing brace is missing)".into()
        }
        ParseErrorKind::Unexpected(token) => format!("unexpected {}", token_name(*token)),
        ParseErrorKind::Expected(token) => format!("expected {}", token_name(*token)),
        ParseErrorKind::UnknownAbbreviation(name) => format!(
            "`{name}` is not a defined @string abbreviation (a value in neither braces nor quotes)"
        ),
        ParseErrorKind::MalformedCommand => "malformed TeX command".into(),
        ParseErrorKind::DuplicateKey(key) => format!("the key `{key}` is used twice in this file"),
        ParseErrorKind::ResolutionError(e) => format!("cannot resolve a crossref: {e}"),
        other => other.to_string(),
    }
}

fn token_name(token: biblatex::Token) -> String {
    use biblatex::Token;
    match token {
        Token::Identifier => "a name (entry type, key or field name)".into(),
        Token::OpeningBrace => "`{`".into(),
        Token::ClosingBrace => "`}`".into(),
        Token::Comma => "`,`".into(),
        Token::QuotationMark => "`\"`".into(),
        Token::Equals => "`=`".into(),
        Token::DecimalPoint => "`.`".into(),
    }
}

fn csl_type(entry: &Entry) -> &'static str {
    let kind = entry.entry_type.to_string().to_ascii_lowercase();
    match kind.as_str() {
        // Zotero exports a journal article it holds as a web page or document as @misc,
        // with its journal: a journal article all the same.
        "misc" if entry.get("journal").or(entry.get("journaltitle")).is_some() => "article-journal",
        "article" => "article-journal",
        "book" | "mvbook" | "booklet" | "collection" | "mvcollection" | "proceedings"
        | "mvproceedings" | "reference" | "mvreference" | "manual" => "book",
        "inbook" | "incollection" | "inreference" | "bookinbook" | "suppbook"
        | "suppcollection" => "chapter",
        "inproceedings" | "conference" => "paper-conference",
        "report" | "techreport" => "report",
        "thesis" | "phdthesis" | "mastersthesis" => "thesis",
        "online" | "electronic" | "www" => "webpage",
        "dataset" => "dataset",
        "patent" => "patent",
        "unpublished" => "manuscript",
        "software" => "software",
        _ => "document",
    }
}

/// A field's text with braces removed and LaTeX resolved; None when absent or empty.
fn field(entry: &Entry, key: &str) -> Option<String> {
    let text = entry.get(key)?.format_verbatim();
    let text = item::collapse_spaces(&text);
    (!text.is_empty()).then_some(text)
}

/// The entry as a record; `date` is its [`issued`] date, read beforehand because reading it
/// may warn.
fn to_record(
    entry: &Entry,
    date: Option<item::Date>,
    path: &str,
    pos: crate::text::yaml::Pos,
) -> SourceRecord {
    let mut b = ItemBuilder::new();
    let kind = csl_type(entry);
    b.text("type", kind);
    b.text("title", &field(entry, "title").unwrap_or_default());
    let container = if kind == "article-journal" {
        ["journaltitle", "journal", "booktitle"]
    } else {
        ["booktitle", "journaltitle", "journal"]
    };
    for key in container {
        b.text("container-title", &field(entry, key).unwrap_or_default());
    }
    for key in [
        "shortjournal",
        "journalabbreviation",
        "journal-abbreviation",
    ] {
        b.text(
            "container-title-short",
            &field(entry, key).unwrap_or_default(),
        );
    }
    names(entry, "author", &mut b);
    names(entry, "editor", &mut b);
    if let Some(date) = date {
        b.issued(date);
    }
    b.text("volume", &field(entry, "volume").unwrap_or_default());
    let number = field(entry, "number").or_else(|| field(entry, "issue"));
    let number_key = if matches!(kind, "report" | "document" | "patent") {
        "number"
    } else {
        "issue"
    };
    b.text(number_key, &number.unwrap_or_default());
    let pages = field(entry, "pages");
    match pages {
        // A whole report's, book's or thesis's `pages = {19}` is its number of pages.
        Some(count)
            if matches!(kind, "report" | "book" | "thesis")
                && count.bytes().all(|b| b.is_ascii_digit()) =>
        {
            b.text("number-of-pages", &count);
        }
        Some(pages) => b.text("page", &item::expand_pages(&pages)),
        None => {}
    }
    b.text(
        "number-of-pages",
        &field(entry, "pagetotal").unwrap_or_default(),
    );
    // BibLaTeX's eid, the article number of an online-only journal: the location when the
    // entry has no pages.
    if let Some(eid) = field(entry, "eid") {
        b.text("number", &eid);
        b.text("page", &eid);
    }
    b.text(
        "collection-title",
        &field(entry, "series").unwrap_or_default(),
    );
    // `type`, the kind of work: a report's or thesis's genre ("Technical Report"); on a
    // journal article Zotero writes "Research Article", which references do not print.
    let work_type = field(entry, "type");
    if kind != "article-journal" {
        b.text("genre", work_type.as_deref().unwrap_or_default());
    }
    let publisher = field(entry, "publisher")
        .or_else(|| field(entry, "institution"))
        .or_else(|| field(entry, "organization"))
        .or_else(|| field(entry, "school"));
    b.text("publisher", &publisher.unwrap_or_default());
    let place = field(entry, "location").or_else(|| field(entry, "address"));
    b.text("publisher-place", &place.unwrap_or_default());
    b.text("edition", &field(entry, "edition").unwrap_or_default());
    b.text("URL", &field(entry, "url").unwrap_or_default());
    b.text("ISSN", &field(entry, "issn").unwrap_or_default());
    b.text("ISBN", &field(entry, "isbn").unwrap_or_default());
    b.text("abstract", &field(entry, "abstract").unwrap_or_default());
    b.text(
        "language",
        &field(entry, "langid")
            .or_else(|| field(entry, "language"))
            .unwrap_or_default(),
    );
    b.text("note", &field(entry, "note").unwrap_or_default());
    b.text("keyword", &field(entry, "keywords").unwrap_or_default());
    if let Some(howpublished) = field(entry, "howpublished") {
        b.text("medium", &howpublished);
    }
    if let Some(doi) = field(entry, "doi") {
        b.doi(&doi);
    }
    if let Some(pmid) = field(entry, "pmid") {
        b.pmid(&pmid);
    }
    if let Some(pmcid) = field(entry, "pmcid") {
        b.pmcid(&pmcid);
    }
    // BibLaTeX's eprint: `eprinttype = {pubmed}` (biblatex-ieee, JabRef) carries a PMID,
    // `pmc`/`pmcid` a PMCID.
    if let (Some(eprint), Some(kind)) = (field(entry, "eprint"), field(entry, "eprinttype")) {
        match kind.to_ascii_lowercase().as_str() {
            "pubmed" | "pmid" => b.pmid(&eprint),
            "pmc" | "pmcid" | "pubmedcentral" => b.pmcid(&eprint),
            _ => {}
        }
    }
    let mut record = b.finish(entry.key.clone(), path, pos);
    record.evidence.design = design::design_from_types(work_type.as_deref());
    record
}

/// Each entry's `note` as written in the file, line breaks kept (the parser joins lines),
/// braces and quotes dropped, by entry key.
fn raw_notes(raw: &RawBibliography<'_>, text: &str) -> HashMap<String, String> {
    raw.entries
        .iter()
        .filter_map(|entry| {
            let pair = entry
                .v
                .fields
                .iter()
                .find(|p| p.key.v.eq_ignore_ascii_case("note"))?;
            let written = text.get(pair.value.span.start..pair.value.span.end)?;
            let note: String = written
                .chars()
                .filter(|c| !matches!(c, '{' | '}' | '"'))
                .collect();
            Some((entry.v.key.v.to_string(), note))
        })
        .collect()
}

/// Zotero writes the fields an entry type has no place for into `note`, one `Name: value`
/// a line ("Pages: e9787015", "Volume: 2018", "ISSN: …", "PMID: …"): those it names for
/// sure fill the fields the entry lacks.
fn zotero_note_fields(note: &str, csl: &mut serde_json::Map<String, serde_json::Value>) {
    let mut b = ItemBuilder::new();
    for line in note.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim() {
            "Pages" => b.text("page", &item::expand_pages(value)),
            "Volume" => b.text("volume", value),
            "Issue" => b.text("issue", value),
            "ISSN" => b.text("ISSN", value),
            "ISBN" => b.text("ISBN", value),
            "Publisher" => b.text("publisher", value),
            "Place" => b.text("publisher-place", value),
            "PMID" => b.pmid(value),
            "PMCID" => b.pmcid(value),
            "DOI" => b.doi(value),
            _ => {}
        }
    }
    for (key, value) in b.into_map() {
        csl.entry(key).or_insert(value);
    }
}

/// Names as BibTeX writes them. A name in double braces (`{World Health Organization}`)
/// arrives as one verbatim part with no given name: an organisation, kept whole as CSL
/// `literal`. A single word without a given name ("Seema") stays a family name.
fn names(entry: &Entry, role: &str, b: &mut ItemBuilder) {
    let Some(chunks) = entry.get(role) else {
        return;
    };
    let Ok(people) = chunks.parse::<Vec<biblatex::Person>>() else {
        return;
    };
    // Organisation names are the braced chunks of the field that are whole names.
    let braced: Vec<String> = chunks
        .iter()
        .filter_map(|c| match &c.v {
            Chunk::Verbatim(s) => Some(item::collapse_spaces(s)),
            _ => None,
        })
        .collect();
    for person in people {
        let family = [person.prefix.trim(), person.name.trim()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let given = person.given_name.trim();
        let family = family.trim();
        if family.is_empty() && given.is_empty() {
            continue;
        }
        if given.is_empty() && braced.iter().any(|b| b == family) && family.contains(' ') {
            b.name(role, item::literal(family));
            continue;
        }
        let mut name = item::person(family, given);
        if !person.suffix.trim().is_empty() {
            name["suffix"] = serde_json::Value::String(person.suffix.trim().to_string());
        }
        b.name(role, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<SourceRecord>, Vec<Diagnostic>) {
        let mut d = Diagnostics::new();
        let r = read_bibtex(text, "citations/a.bib", &mut d);
        (r, d.sorted())
    }

    #[test]
    fn names_as_exported() {
        let (r, d) = read(
            r#"@string{jtp = "Journal of Tropical Pediatrics"}
@article{seema1997,
  author = {Seema and Patwari, A. K. and M{\"u}ller, J{\'e}r{\^o}me and {World Health Organization} and van der Berg, Jan and Wan, Elise W-X.},
  title = {Relactation: an {effective} intervention},
  journal = jtp,
  year = 1997, month = aug,
  pages = {213--216},
  doi = {10.1093/tropej/43.4.213},
  eprint = {9283123}, eprinttype = {pubmed},
  pmcid = {PMC123},
}
"#,
        );
        assert!(d.is_empty(), "{d:?}");
        let c = &r[0].csl;
        assert_eq!(r[0].id, "seema1997");
        assert_eq!((r[0].pos.line, r[0].pos.column), (2, 1));
        let a = &c["author"];
        assert_eq!(a[0], serde_json::json!({"family": "Seema"}));
        assert_eq!(
            a[1],
            serde_json::json!({"family": "Patwari", "given": "A. K."})
        );
        assert_eq!(
            a[2],
            serde_json::json!({"family": "Müller", "given": "Jérôme"})
        );
        assert_eq!(
            a[3],
            serde_json::json!({"literal": "World Health Organization"})
        );
        assert_eq!(
            a[4],
            serde_json::json!({"family": "van der Berg", "given": "Jan"})
        );
        assert_eq!(
            a[5],
            serde_json::json!({"family": "Wan", "given": "Elise W-X."})
        );
        assert_eq!(c["title"], "Relactation: an effective intervention");
        assert_eq!(c["container-title"], "Journal of Tropical Pediatrics");
        assert_eq!(c["issued"]["date-parts"][0], serde_json::json!([1997, 8]));
        assert_eq!(c["page"], "213-216");
        assert_eq!(c["PMID"], "9283123");
        assert_eq!(c["PMCID"], "PMC123");
    }

    #[test]
    fn syntax_errors_at_their_place() {
        let (r, d) = read("@article{a,\n  title = {T},\n  year = 1997\n\n@book{b, title = {B}}\n");
        assert!(r.is_empty());
        assert_eq!(d[0].code, Code::MalformedSource);
        assert_eq!(d[0].location.line, 5, "{d:?}");
        let (_, d) = read("@article{a,\n  title = {T},\n  journal = nosuch,\n}\n");
        assert_eq!((d[0].location.line, d[0].location.column), (3, 13), "{d:?}");
        assert!(d[0].message.contains("nosuch"));
        let (r, d) = read("@article{a, title = {A}}\n@report{, title = {T}}\n");
        assert_eq!(r.len(), 1);
        assert_eq!(
            (d[0].location.line, d[0].message.as_str()),
            (2, "BibTeX entry without a key")
        );
    }

    /// A crossref circle would send the parser round for ever (a stack overflow): it is not
    /// followed, and said so; a chain of one level is followed as before.
    #[test]
    fn crossref_circles_are_not_followed() {
        let (r, d) = read(
            "@inbook{a, title = {Spouts}, crossref = {b}}\n@book{b, title = {Pots}, crossref = {a}}\n@inbook{c, title = {Lids}, crossref = {d}}\n@book{d, title = {Kettles}, year = {2001}}\n",
        );
        assert_eq!(r.len(), 4);
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.code, d.location.line, d.location.column))
            .collect();
        assert_eq!(
            at,
            vec![
                (Code::MalformedSource, 1, 30),
                (Code::MalformedSource, 2, 26)
            ],
            "{d:?}"
        );
        assert_eq!(r[2].csl["issued"]["date-parts"][0][0], 2001);
    }

    /// Zotero wrote `doi` twice: the entry is read with the first, and the second warned at.
    #[test]
    fn a_field_given_twice_keeps_the_first() {
        let (r, d) = read(
            "@misc{shed_2018,\n\ttitle = {Shed {Roofs}},\n\tjournal = {Shed Engineering},\n\tyear = {2018},\n\tdoi = {https://doi.org/10.5555/first},\n\tDOI = {https://doi.org/10.5555/second},\n\tnote = {ISSN: 1024-123X\nLibrary Catalog: example.org\nPages: e9787015\nVolume: 2018},\n}\n",
        );
        assert_eq!(r.len(), 1);
        assert_eq!(
            d.iter()
                .map(|d| (d.code, d.severity, d.location.line, d.location.column))
                .collect::<Vec<_>>(),
            vec![(Code::DuplicateField, crate::diag::Severity::Warning, 6, 2)]
        );
        let c = &r[0].csl;
        assert_eq!(c["DOI"], "10.5555/first", "{c:?}");
        // A @misc with a journal is a journal article; Zotero's note lines fill its gaps.
        assert_eq!(c["type"], "article-journal");
        assert_eq!(c["page"], "e9787015");
        assert_eq!(c["volume"], "2018");
        assert_eq!(c["ISSN"], "1024-123X");
    }

    #[test]
    fn reports_chapters_and_abbreviations() {
        let (r, d) = read(
            r#"@techreport{council_2021,
	type = {Technical {Report}},
	title = {Hedge heights in towns},
	number = {5},
	author = {{Garden Sheds Council}},
	month = jan,
	year = {2021},
	pages = {19},
}
@incollection{bammer_2007,
	series = {{Bridge} {Monograph} {Series}},
	title = {Chapter 3: Suspension},
	volume = {18},
	booktitle = {Greater Than the Span},
	author = {Okoro, Ada},
	editor = {Best, Allan and Clark, Pamela I.},
	month = may,
	year = {2007}
}
@article{tea_2019,
	title = {Steeping times},
	journaltitle = {Journal of Tea Studies},
	shortjournal = {J Tea Stud},
	date = {2019-02-03},
	type = {Systematic Review},
}
"#,
        );
        assert!(d.is_empty(), "{d:?}");
        let report = &r[0].csl;
        assert_eq!(report["type"], "report");
        assert_eq!(report["number"], "5");
        assert_eq!(report["number-of-pages"], "19");
        assert!(report.get("page").is_none());
        assert_eq!(report["genre"], "Technical Report");
        assert_eq!(report["author"][0]["literal"], "Garden Sheds Council");
        assert_eq!(
            report["issued"]["date-parts"][0],
            serde_json::json!([2021, 1])
        );
        let chapter = &r[1].csl;
        assert_eq!(chapter["type"], "chapter");
        assert_eq!(chapter["container-title"], "Greater Than the Span");
        assert_eq!(chapter["editor"][1]["given"], "Pamela I.");
        assert_eq!(chapter["collection-title"], "Bridge Monograph Series");
        let article = &r[2].csl;
        assert_eq!(article["container-title"], "Journal of Tea Studies");
        assert_eq!(article["container-title-short"], "J Tea Stud");
        assert_eq!(
            article["issued"]["date-parts"][0],
            serde_json::json!([2019, 2, 3])
        );
        assert!(article.get("genre").is_none());
        assert_eq!(r[2].evidence.design.as_deref(), Some("systematic-review"));
    }
}
