//! Building CSL-JSON items from the fields of foreign exports (BibTeX, RIS, PubMed), and the
//! small normalisations they share: names, dates, page ranges, identifiers, fallback ids.
//! Every reader ends in the same shape, so the rest of evident sees one kind of record.

use serde_json::{Map, Value, json};

use crate::model::EvidenceFields;
use crate::text::yaml::Pos;

use super::SourceRecord;

/// A CSL-JSON item under construction. Setters ignore empty text and never overwrite a key
/// already set, so a reader can offer fields in order of preference (the first wins).
#[derive(Debug, Default)]
pub struct ItemBuilder {
    map: Map<String, Value>,
}

impl ItemBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to the trimmed text unless it is empty or `key` is already set.
    pub fn text(&mut self, key: &str, text: &str) {
        let text = collapse_spaces(text);
        if !text.is_empty() && !self.map.contains_key(key) {
            self.map.insert(key.to_string(), Value::String(text));
        }
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.map.get(key).and_then(Value::as_str)
    }

    /// Appends a name (see [`person`] and [`literal`]) to a name list (`author`, `editor`).
    pub fn name(&mut self, role: &str, name: Value) {
        let list = self
            .map
            .entry(role.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(name);
        }
    }

    /// Sets `issued` unless already set.
    pub fn issued(&mut self, date: Date) {
        if !self.map.contains_key("issued") {
            self.map.insert("issued".into(), date.to_csl());
        }
    }

    pub fn doi(&mut self, text: &str) {
        if let Some(doi) = clean_doi(text) {
            self.text("DOI", &doi);
        }
    }

    pub fn pmid(&mut self, text: &str) {
        if let Some(pmid) = clean_pmid(text) {
            self.text("PMID", &pmid);
        }
    }

    pub fn pmcid(&mut self, text: &str) {
        if let Some(pmcid) = clean_pmcid(text) {
            self.text("PMCID", &pmcid);
        }
    }

    /// The fields set, for a reader that adds them to a record built before.
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// The finished record. `id` is stored in the CSL map too, as in CSL-JSON.
    pub fn finish(mut self, id: String, path: &str, pos: Pos) -> SourceRecord {
        self.map.insert("id".into(), Value::String(id.clone()));
        SourceRecord {
            id,
            path: path.to_string(),
            pos,
            csl: self.map,
            evidence: EvidenceFields::default(),
            annotation_only: false,
        }
    }

    /// `<first author family>-<year>-<first title word>`, lowercase ASCII (DESIGN §4): the id
    /// of a record whose export gives none. Deterministic: it depends on the record alone.
    pub fn fallback_id(&self) -> String {
        let author = self
            .map
            .get("author")
            .and_then(|a| a.get(0))
            .and_then(|n| n.get("family").or_else(|| n.get("literal")))
            .and_then(Value::as_str)
            .map(ascii_word)
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "anon".into());
        let year = self
            .map
            .get("issued")
            .and_then(|d| d.pointer("/date-parts/0/0"))
            .and_then(Value::as_i64)
            .map_or_else(|| "nd".to_string(), |y| y.to_string());
        let word = self
            .get_str("title")
            .and_then(|t| t.split_whitespace().map(ascii_word).find(|w| !w.is_empty()))
            .unwrap_or_else(|| "untitled".into());
        format!("{author}-{year}-{word}")
    }
}

/// A person's name as CSL writes it. A name without a given part stays a family name
/// ("Seema": Indian single names are exported that way, and must not be guessed apart).
pub fn person(family: &str, given: &str) -> Value {
    let (family, given) = (collapse_spaces(family), collapse_spaces(given));
    if given.is_empty() {
        json!({ "family": family })
    } else {
        json!({ "family": family, "given": given })
    }
}

/// An organisation as author: CSL's `literal`, never split into family and given.
pub fn literal(name: &str) -> Value {
    json!({ "literal": collapse_spaces(name) })
}

/// A name written "Family, Given" (RIS `AU`, PubMed `FAU`). Exporters write people with a
/// comma; without one, a single word is a single-name person ("Seema") and several words an
/// organisation ("World Health Organization"), which must not be split into initials.
pub fn name_with_comma(text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match text.split_once(',') {
        // "Family, Given, Suffix": the suffix is kept with the given names rather than lost.
        Some((family, given)) if !family.trim().is_empty() => person(family, given),
        _ if text.contains(char::is_whitespace) => literal(text.trim_matches(',')),
        _ => person(text.trim_matches(','), ""),
    })
}

/// A publication date as far as the export gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    fn to_csl(self) -> Value {
        let mut parts = vec![json!(self.year)];
        if let Some(month) = self.month {
            parts.push(json!(month));
            if let Some(day) = self.day {
                parts.push(json!(day));
            }
        }
        json!({ "date-parts": [parts] })
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A month by number (`8`, `08`) or English name (`Aug`, `august`).
pub fn month(text: &str) -> Option<u8> {
    let text = text.trim().trim_end_matches('.');
    if let Ok(n) = text.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = text.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Dates as exports write them: `1997`, `1997 Aug`, `1997 Aug 15`, `1997/08/01/`,
/// `1997-08-15`, `2008 Jul-Aug` (the first month is kept). None without a plausible year;
/// the possible part of an impossible date (see [`read_date`]).
pub fn parse_date(text: &str) -> Option<Date> {
    read_date(text).date
}

/// The part of a date that cannot be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Month,
    Day,
}

/// A date as read, and what is impossible about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateReading {
    /// The date as far as it is possible: the year without an impossible month, the year
    /// and month without an impossible day; None when the year itself is impossible or the
    /// text is no date at all ("n.d.", "Spring").
    pub date: Option<Date>,
    /// The impossible part and why, in words ("month 13 does not exist"); None when the date
    /// is possible or the text is no date.
    pub problem: Option<(DatePart, String)>,
}

/// The years a source can have been published in. No clock is read (evident's library never
/// reads one): a year of four digits is possible, 0 or 99999 is a typing error.
pub const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// Reads a date as [`parse_date`] does, and says which part is impossible: a year outside
/// [`YEARS`] (written in digits), a month number outside 1 to 12, a day that the month does
/// not have (day 32, February 30, February 29 outside a leap year).
pub fn read_date(text: &str) -> DateReading {
    let nothing = DateReading {
        date: None,
        problem: None,
    };
    let mut parts = text.split(['/', '-', ' ', ',']).filter(|p| !p.is_empty());
    let Some(year_text) = parts.next() else {
        return nothing;
    };
    // `0000` is what some exporters (Scopus) write for an unknown year: no date, not a wrong one.
    if !year_text.bytes().all(|b| b.is_ascii_digit()) || year_text == "0000" {
        return nothing;
    }
    let year = year_text.parse::<i32>().ok().filter(|y| YEARS.contains(y));
    let Some(year) = year.filter(|_| year_text.len() == 4) else {
        return DateReading {
            date: None,
            problem: Some((
                DatePart::Year,
                format!(
                    "the year {year_text} is not a possible publication year (four digits, {}–{})",
                    YEARS.start(),
                    YEARS.end()
                ),
            )),
        };
    };
    let mut date = Date {
        year,
        month: None,
        day: None,
    };
    let Some(month_text) = parts.next() else {
        return DateReading {
            date: Some(date),
            problem: None,
        };
    };
    let numeric = |t: &str| !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit());
    date.month = month(month_text);
    if date.month.is_none() && numeric(month_text) {
        return DateReading {
            date: Some(date),
            problem: Some((
                DatePart::Month,
                format!(
                    "month {} does not exist",
                    month_text
                        .trim_start_matches('0')
                        .parse::<u32>()
                        .unwrap_or(0)
                ),
            )),
        };
    }
    let (Some(month), Some(day_text)) = (date.month, parts.next()) else {
        return DateReading {
            date: Some(date),
            problem: None,
        };
    };
    if !numeric(day_text) {
        return DateReading {
            date: Some(date),
            problem: None,
        };
    }
    let day: u32 = day_text.parse().unwrap_or(u32::MAX);
    let last = days_in_month(year, month);
    if day == 0 || day > u32::from(last) {
        return DateReading {
            date: Some(date),
            problem: Some((
                DatePart::Day,
                format!("{} has no day {day}", month_name(year, month)),
            )),
        };
    }
    date.day = u8::try_from(day).ok();
    DateReading {
        date: Some(date),
        problem: None,
    }
}

/// The warning for an impossible date read from `field` at `location`; `kept` says what of
/// the date the record keeps.
pub fn impossible_date_warning(
    location: crate::diag::Location,
    field: &str,
    (part, why): &(DatePart, String),
    width: usize,
) -> crate::diag::Diagnostic {
    let kept = match part {
        DatePart::Year => "the record has no date",
        DatePart::Month => "only the year is kept",
        DatePart::Day => "the year and month are kept",
    };
    crate::diag::Diagnostic::warning(
        crate::diag::Code::ImpossibleDate,
        location,
        format!("impossible date in `{field}`: {why}; {kept}"),
    )
    .width(width)
    .hint("correct the date in the reference manager and export the record again, or fix it in this file")
}

/// How many days a month of a year has (Gregorian calendar).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// "February 2023" for a message; "February" alone outside February (only February's length
/// depends on the year).
pub fn month_name(year: i32, month: u8) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = NAMES[usize::from(month.clamp(1, 12)) - 1];
    if month == 2 {
        format!("{name} {year}")
    } else {
        name.to_string()
    }
}

/// The year alone, from a date written around other words (ERIC's `DP  - Article 10 2019`):
/// the first word of four digits that is a plausible year.
pub fn year_among_words(text: &str) -> Option<Date> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| YEARS.contains(y))
        .map(|year| Date {
            year,
            month: None,
            day: None,
        })
}

/// "213-6" → "213-216": PubMed abbreviates page ranges, CSL stores them in full (a style
/// abbreviates again if it wants to). Anything else is kept as written, with `--` as `-`.
pub fn expand_pages(text: &str) -> String {
    let text = collapse_spaces(text).replace("--", "-").replace('–', "-");
    let Some((start, end)) = text.split_once('-') else {
        return text;
    };
    let (start, end) = (start.trim(), end.trim());
    // "874332-874332": exporters write an article number as a range from it to itself.
    if start == end {
        return start.to_string();
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if start == end {
        // "874332-874332": an article number or a single page, written as a range.
        return start.to_string();
    }
    if digits(start) && digits(end) && end.len() < start.len() {
        return format!("{start}-{}{end}", &start[..start.len() - end.len()]);
    }
    format!("{start}-{end}")
}

/// A bare DOI (`10.…`) from a DOI, `doi:` form or doi.org URL.
pub fn clean_doi(text: &str) -> Option<String> {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let start = lower.find("10.")?;
    let doi = text.get(start..)?.split_whitespace().next()?;
    let doi = doi.trim_end_matches(['.', ',', ';']);
    (doi.len() > 3 && doi.contains('/')).then(|| doi.to_string())
}

/// A DOI from a link to a DOI resolver (`https://doi.org/10.…`, `http://dx.doi.org/10.…`);
/// None for other links, which may carry a DOI URL-encoded or a different identifier.
pub fn doi_from_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let at = lower.find("doi.org/")?;
    let host = &lower[..at];
    if !(host.ends_with("://") || host.ends_with("://dx.") || host.ends_with("://www.")) {
        return None;
    }
    clean_doi(&url.trim()[at + "doi.org/".len()..])
}

/// A PMID from a link to PubMed (`https://pubmed.ncbi.nlm.nih.gov/35548170`,
/// `https://www.ncbi.nlm.nih.gov/pubmed/34370723`).
pub fn pmid_from_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = ["://pubmed.ncbi.nlm.nih.gov/", "ncbi.nlm.nih.gov/pubmed/"]
        .iter()
        .find_map(|prefix| lower.find(prefix).map(|at| &lower[at + prefix.len()..]))?;
    let digits = rest.split(['/', '?', '#']).next()?;
    clean_pmid(digits)
}

/// A PMCID from a link to PubMed Central (`https://www.ncbi.nlm.nih.gov/pmc/articles/PMC123/`,
/// `https://pmc.ncbi.nlm.nih.gov/articles/PMC123/`).
pub fn pmcid_from_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = [
        "ncbi.nlm.nih.gov/pmc/articles/",
        "://pmc.ncbi.nlm.nih.gov/articles/",
    ]
    .iter()
    .find_map(|prefix| lower.find(prefix).map(|at| &lower[at + prefix.len()..]))?;
    let id = rest.split(['/', '?', '#']).next()?;
    id.starts_with("pmc").then(|| clean_pmcid(id)).flatten()
}

/// An identifier PubMed-style, with its kind in brackets (`35548170[pmid]`,
/// `10.1/x [doi]`, `PMC123 [pmc]`): `(kind, value)`, the kind lowercase.
pub fn bracketed_identifier(text: &str) -> Option<(String, &str)> {
    let text = text.trim();
    let open = text.rfind('[')?;
    let kind = text[open + 1..]
        .strip_suffix(']')?
        .trim()
        .to_ascii_lowercase();
    let value = text[..open].trim();
    (!value.is_empty() && !kind.is_empty()).then_some((kind, value))
}

/// A name as MEDLINE writes it in short form, `Riegert-Johnson DL`: the family name, then
/// the initials in capitals; a value without initials stays whole, a family name.
pub fn initials_name(text: &str) -> Option<Value> {
    let value = text.trim();
    if value.is_empty() {
        return None;
    }
    if value.contains(',') {
        return name_with_comma(value);
    }
    Some(match value.rsplit_once(' ') {
        Some((family, initials)) if initials.bytes().all(|c| c.is_ascii_uppercase()) => {
            person(family, initials)
        }
        _ => person(value, ""),
    })
}

/// Whether a text is an ISSN (`1234-567X`) or an ISBN (10 or 13 digits, hyphens allowed),
/// as opposed to, say, a report number written in the same field.
pub fn is_issn_or_isbn(text: &str) -> bool {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .collect();
    let digits_then_check = |len: usize| {
        compact.is_ascii()
            && compact.len() == len
            && compact[..len - 1].bytes().all(|b| b.is_ascii_digit())
            && compact[len - 1..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'X' || b == b'x')
    };
    digits_then_check(8) || digits_then_check(10) || digits_then_check(13)
}

/// The digits of a PMID (`9283123`, `PMID: 9283123`).
pub fn clean_pmid(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = text
        .strip_prefix("PMID:")
        .or_else(|| text.strip_prefix("PMID"))
        .unwrap_or(text)
        .trim();
    (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.to_string())
}

/// `PMC2492930` from `PMC2492930`, `PMCID: PMC2492930` or `2492930` (context says it is one).
pub fn clean_pmcid(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix("PMCID:").unwrap_or(text).trim();
    let digits = text
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case("pmc"))
        .map_or(text, |_| &text[3..]);
    (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("PMC{digits}"))
}

/// Runs of whitespace (line breaks of wrapped fields included) become one space; control
/// characters (debris of broken exports, which no reference contains) are dropped.
pub fn collapse_spaces(text: &str) -> String {
    text.split_whitespace()
        .map(|word| word.replace(|c: char| c.is_control(), ""))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lowercase ASCII letters and digits of a word, accents dropped ("Müller" → "muller").
fn ascii_word(word: &str) -> String {
    word.chars()
        .filter_map(|c| {
            let c = fold_accent(c);
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        })
        .collect()
}

/// The base letter of common accented Latin letters, for ids made from names.
fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => 'a',
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => {
            'e'
        }
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ő' => {
            'o'
        }
        'ù' | 'ú' | 'û' | 'ü' | 'ű' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ű' | 'Ů' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => 's',
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
        'ł' | 'Ł' => 'l',
        'ř' | 'Ř' => 'r',
        'ť' | 'Ť' => 't',
        'ď' | 'Ď' => 'd',
        other => other,
    }
}

/// A record's position: the start of its first line.
pub fn line_pos(line: usize, offset: usize) -> Pos {
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: 1,
        offset: Some(offset),
        len: 0,
    }
}

/// The text with common accented Latin letters replaced by their base letter ("Müller" →
/// "Muller"), everything else kept: for ids and for comparing titles across exports.
pub fn fold_accents(text: &str) -> String {
    text.chars().map(fold_accent).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_exported() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(parse_date("1997 Aug"), d(1997, Some(8), None));
        assert_eq!(parse_date("1997/08/01/"), d(1997, Some(8), Some(1)));
        assert_eq!(parse_date("2008-08-15"), d(2008, Some(8), Some(15)));
        assert_eq!(parse_date("2008 Jul-Aug"), d(2008, Some(7), None));
        assert_eq!(parse_date("1980"), d(1980, None, None));
        assert_eq!(parse_date("19800"), None);
        assert_eq!(parse_date("n.d."), None);
        assert_eq!(parse_date("ééé"), None);
    }

    #[test]
    fn impossible_dates_say_which_part() {
        let problem = |text: &str| read_date(text).problem;
        assert_eq!(problem("2019/02/28"), None);
        assert_eq!(problem("2020 Feb 29"), None);
        assert_eq!(problem("n.d."), None);
        assert_eq!(problem("2019 Spring"), None);
        assert_eq!(
            problem("2019/13/01"),
            Some((DatePart::Month, "month 13 does not exist".into()))
        );
        assert_eq!(
            problem("2019-02-30"),
            Some((DatePart::Day, "February 2019 has no day 30".into()))
        );
        assert_eq!(
            problem("2019 Aug 32"),
            Some((DatePart::Day, "August has no day 32".into()))
        );
        assert_eq!(problem("1900-02-29").map(|p| p.0), Some(DatePart::Day));
        assert_eq!(problem("2000-02-29"), None);
        assert_eq!(read_date("0000"), read_date("n.d."));
        for year in ["0", "99999", "0999", "19800"] {
            assert_eq!(problem(year).map(|p| p.0), Some(DatePart::Year), "{year}");
            assert_eq!(read_date(year).date, None);
        }
        // The possible part is kept.
        assert_eq!(
            read_date("2019/13/01").date,
            Some(Date {
                year: 2019,
                month: None,
                day: None
            })
        );
        assert_eq!(
            read_date("2019-02-30").date,
            Some(Date {
                year: 2019,
                month: Some(2),
                day: None
            })
        );
    }

    #[test]
    fn pages_and_identifiers() {
        assert_eq!(expand_pages("213-6"), "213-216");
        assert_eq!(expand_pages("283-9"), "283-289");
        assert_eq!(expand_pages("1001-12"), "1001-1012");
        assert_eq!(expand_pages("236--242"), "236-242");
        assert_eq!(expand_pages("e123"), "e123");
        assert_eq!(expand_pages("874332-874332"), "874332");
        assert_eq!(expand_pages("S1-S5"), "S1-S5");
        assert_eq!(expand_pages("874332-874332"), "874332");
        assert_eq!(
            doi_from_url("http://dx.doi.org/10.1111/j.1755-0998.2009.02750.x").as_deref(),
            Some("10.1111/j.1755-0998.2009.02750.x")
        );
        assert_eq!(doi_from_url("https://example.org/doi.org/10.1/x"), None);
        assert_eq!(
            pmid_from_url("https://pubmed.ncbi.nlm.nih.gov/35548170/").as_deref(),
            Some("35548170")
        );
        assert_eq!(
            pmid_from_url("https://www.ncbi.nlm.nih.gov/pubmed/34370723").as_deref(),
            Some("34370723")
        );
        assert_eq!(pmid_from_url("https://example.org/pubmed/1"), None);
        assert_eq!(
            pmcid_from_url("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC38908/").as_deref(),
            Some("PMC38908")
        );
        assert_eq!(
            bracketed_identifier("35548170[pmid]"),
            Some(("pmid".into(), "35548170"))
        );
        assert_eq!(bracketed_identifier("[pmid]"), None);
        assert!(is_issn_or_isbn("0142-633X") && is_issn_or_isbn("978-92-4-000000-0"));
        assert!(!is_issn_or_isbn("WHO/NMH/12.3") && !is_issn_or_isbn("123456é"));
        assert_eq!(
            year_among_words("Article 10 2019").map(|d| d.year),
            Some(2019)
        );
        assert_eq!(year_among_words("v9 n12345"), None);
        assert_eq!(
            clean_doi("https://doi.org/10.1093/tropej/43.4.213").as_deref(),
            Some("10.1093/tropej/43.4.213")
        );
        assert_eq!(clean_doi("none"), None);
        assert_eq!(clean_pmid("PMID: 9283123").as_deref(), Some("9283123"));
        assert_eq!(clean_pmid("WOS:000123"), None);
        assert_eq!(clean_pmcid("PMC2492930").as_deref(), Some("PMC2492930"));
        assert_eq!(
            clean_pmcid("PMCID: PMC2492930").as_deref(),
            Some("PMC2492930")
        );
        assert_eq!(clean_pmcid("PMC"), None);
    }

    #[test]
    fn fallback_ids_are_ascii() {
        let mut b = ItemBuilder::new();
        b.name("author", person("Müller-Lüdenscheidt", "Ä"));
        b.issued(Date {
            year: 2001,
            month: None,
            day: None,
        });
        b.text("title", "  «Über» relactation ");
        assert_eq!(b.fallback_id(), "mullerludenscheidt-2001-uber");
        assert_eq!(ItemBuilder::new().fallback_id(), "anon-nd-untitled");
    }
}
