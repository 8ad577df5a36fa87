//! Which work a record is: the id `import` gives it and the keys by which two records, from any
//! two formats, are found to be the same work.
//!
//! The id depends on the record alone, so one article exported from PubMed, Zotero or EndNote
//! gets one id: `pmid<digits>` when it has a PMID, else `doi-` and the DOI's slug, else a short
//! `<author>-<year>-<title words>` slug (corporate authors by their initials). Two records are
//! one work when they share a PMID, else a DOI (case-insensitive), else a normalised title and
//! the year; identifiers that differ keep them apart even when the titles agree.

use serde_json::{Map, Value};

use crate::load::citations::{clean_doi, clean_pmid, fold_accents};

/// The longest author–year–title id (PMID and DOI ids are as long as their identifier).
pub const MAX_SLUG_ID: usize = 40;

/// The longest family name in an author–year–title id.
const MAX_FAMILY: usize = 20;

/// Significant title words in an author–year–title id.
const TITLE_WORDS: usize = 3;

/// Words left out of title slugs and corporate initials: they say nothing about the work.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "de", "der", "des", "du", "et", "for", "from", "in",
    "into", "is", "la", "le", "of", "on", "or", "the", "to", "und", "with",
];

/// How a record is recognised as a work already held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkKeys {
    /// The PMID's digits.
    pub pmid: Option<String>,
    /// The bare DOI, lowercase (DOIs are case-insensitive).
    pub doi: Option<String>,
    /// The normalised title, when the record has one.
    pub title: Option<String>,
    /// The year of publication.
    pub year: Option<i64>,
}

/// Why two records are the same work, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SameBy {
    Pmid(String),
    Doi(String),
    TitleAndYear,
}

impl SameBy {
    /// "same PMID 123", for a sentence.
    pub fn describe(&self) -> String {
        match self {
            SameBy::Pmid(pmid) => format!("same PMID {pmid}"),
            SameBy::Doi(doi) => format!("same DOI {doi}"),
            SameBy::TitleAndYear => "same title and year".into(),
        }
    }
}

impl WorkKeys {
    /// The keys of a CSL item.
    pub fn of(csl: &Map<String, Value>) -> WorkKeys {
        WorkKeys {
            pmid: text_of(csl.get("PMID")).and_then(|p| clean_pmid(&p)),
            doi: text_of(csl.get("DOI"))
                .and_then(|d| clean_doi(&d))
                .map(|d| d.to_lowercase()),
            title: text_of(csl.get("title"))
                .map(|t| normalised_title(&t))
                .filter(|t| !t.is_empty()),
            year: year_of(csl),
        }
    }

    /// Takes the keys this work lacks from another record of it.
    pub fn learn(&mut self, other: &WorkKeys) {
        if self.pmid.is_none() {
            self.pmid.clone_from(&other.pmid);
        }
        if self.doi.is_none() {
            self.doi.clone_from(&other.doi);
        }
        if self.title.is_none() {
            self.title.clone_from(&other.title);
            self.year = self.year.or(other.year);
        }
    }

    /// Whether `other` is the same work, and by which key: PMID, then DOI, then title and
    /// year. A PMID (or DOI) on both sides that differs means two works, whatever the titles.
    pub fn same_work(&self, other: &WorkKeys) -> Option<SameBy> {
        match (&self.pmid, &other.pmid) {
            (Some(a), Some(b)) if a == b => return Some(SameBy::Pmid(a.clone())),
            (Some(_), Some(_)) => return None,
            _ => {}
        }
        match (&self.doi, &other.doi) {
            (Some(a), Some(b)) if a == b => return Some(SameBy::Doi(a.clone())),
            (Some(_), Some(_)) => return None,
            _ => {}
        }
        match (&self.title, &other.title) {
            (Some(a), Some(b)) if a == b && self.year == other.year => Some(SameBy::TitleAndYear),
            _ => None,
        }
    }
}

/// The id `import` gives a record: from its PMID, else its DOI, else author, year and title.
pub fn import_id(csl: &Map<String, Value>) -> String {
    let keys = WorkKeys::of(csl);
    if let Some(pmid) = keys.pmid {
        return format!("pmid{pmid}");
    }
    if let Some(doi) = keys.doi {
        return format!("doi-{}", slug_words(&doi).join("-"));
    }
    author_year_title(csl)
}

/// `<family>-<year>-<first significant title words>`, at most [`MAX_SLUG_ID`] characters,
/// cut between words.
fn author_year_title(csl: &Map<String, Value>) -> String {
    let author = first_name(csl).unwrap_or_else(|| "anon".into());
    let year = year_of(csl).map_or_else(|| "nd".into(), |y| y.to_string());
    let title = text_of(csl.get("title")).unwrap_or_default();
    let all = slug_words(&title);
    let significant: Vec<&String> = all
        .iter()
        .filter(|w| !MINOR_WORDS.contains(&w.as_str()))
        .collect();
    let words: Vec<&String> = if significant.is_empty() {
        all.iter().collect()
    } else {
        significant
    };
    let mut id = format!("{author}-{year}");
    let mut added = 0;
    for word in words.into_iter().take(TITLE_WORDS) {
        if id.len() + 1 + word.len() > MAX_SLUG_ID {
            if added == 0 {
                // One long word: cut it rather than leave the title out.
                let room = MAX_SLUG_ID.saturating_sub(id.len() + 1);
                if room > 0 {
                    id.push('-');
                    id.extend(word.chars().take(room));
                }
            }
            break;
        }
        id.push('-');
        id.push_str(word);
        added += 1;
    }
    if added == 0 && all.is_empty() {
        id.push_str("-untitled");
        id.truncate(MAX_SLUG_ID);
    }
    id
}

/// The first author's (else editor's) family name as one ASCII word, or a corporate author's
/// initials.
fn first_name(csl: &Map<String, Value>) -> Option<String> {
    let name = ["author", "editor"]
        .iter()
        .find_map(|role| csl.get(*role).and_then(|list| list.get(0)))?;
    let family = name.get("family").and_then(Value::as_str);
    let given = name.get("given").and_then(Value::as_str).unwrap_or("");
    let literal = name.get("literal").and_then(Value::as_str);
    let word = match (literal, family) {
        (Some(org), _) => corporate(org),
        // A "family name" of three words or more without a given name is an organisation
        // exported into the wrong field.
        (None, Some(family))
            if given.trim().is_empty() && family.split_whitespace().count() > 2 =>
        {
            corporate(family)
        }
        (None, Some(family)) => short_family(family),
        (None, None) => return None,
    };
    let word: String = word.chars().take(MAX_FAMILY).collect();
    (!word.is_empty()).then_some(word)
}

/// A family name as one ASCII word of at most [`MAX_FAMILY`] characters, its parts joined
/// ("Müller-Lüdenscheidt" → `mullerludenscheidt`) as far as they fit, so that the year and a
/// title word always fit after it.
fn short_family(family: &str) -> String {
    let mut out = String::new();
    for part in slug_words(family) {
        if out.len() + part.len() > MAX_FAMILY {
            if out.is_empty() {
                out = part.chars().take(MAX_FAMILY).collect();
            }
            break;
        }
        out.push_str(&part);
    }
    out
}

/// An organisation by the initials of its significant words ("World Health Organization" →
/// `who`), from the top of its hierarchy ("World Health Organization. Department of …" is
/// WHO's); a one-word name is kept whole.
fn corporate(name: &str) -> String {
    let top = name
        .split(". ")
        .next()
        .unwrap_or(name)
        .split([',', ';', '('])
        .next()
        .unwrap_or(name);
    let words = slug_words(top);
    if words.len() == 1 {
        return words[0].clone();
    }
    words
        .iter()
        .filter(|w| !MINOR_WORDS.contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Lowercase ASCII words of a text: accents folded, every other character a separator.
fn slug_words(text: &str) -> Vec<String> {
    fold_accents(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A title compared across exports: case, punctuation, whitespace and accents folded, and
/// markup some exports keep (`<i>`, BibTeX braces) dropped.
pub fn normalised_title(title: &str) -> String {
    let mut plain = String::with_capacity(title.len());
    let mut in_tag = false;
    for c in title.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    fold_accents(&plain)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A field as text, whether written as a string or a number.
fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The year of `issued`: its first date part (a number or digits), else the first four-digit
/// number of a `raw` or `literal` date.
fn year_of(csl: &Map<String, Value>) -> Option<i64> {
    let issued = csl.get("issued")?;
    if let Some(first) = issued.pointer("/date-parts/0/0") {
        return match first {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
    }
    let text = ["raw", "literal"]
        .iter()
        .find_map(|k| issued.get(*k).and_then(Value::as_str))
        .or_else(|| issued.as_str())?;
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 4)
        .and_then(|run| run.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn ids_from_pmid_then_doi_then_author_year_title() {
        let both = item(json!({"PMID": "PMID: 123", "DOI": "10.1/X", "title": "T"}));
        assert_eq!(import_id(&both), "pmid123");
        let doi = item(json!({"DOI": "https://doi.org/10.1093/tropej/43.4.213"}));
        assert_eq!(import_id(&doi), "doi-10-1093-tropej-43-4-213");
        let doi = item(json!({"DOI": "10.5555/Kettle_(Copper)--2019"}));
        assert_eq!(import_id(&doi), "doi-10-5555-kettle-copper-2019");
        let plain = item(json!({
            "author": [{"family": "Ødegård-Müller", "given": "Å"}],
            "issued": {"date-parts": [["2019", 3]]},
            "title": "The Care of Copper Kettles in Hard-Water Districts"
        }));
        assert_eq!(import_id(&plain), "odegardmuller-2019-care-copper-kettles");
        assert_eq!(import_id(&Map::new()), "anon-nd-untitled");
    }

    #[test]
    fn corporate_authors_by_initials() {
        let report = |name: &str| {
            import_id(&item(json!({
                "author": [{"literal": name}],
                "issued": {"raw": "2021-05"},
                "title": "Pruning: a guide for parks"
            })))
        };
        assert_eq!(
            report("World Health Organization"),
            "who-2021-pruning-guide-parks"
        );
        assert_eq!(
            report("Public Health England"),
            "phe-2021-pruning-guide-parks"
        );
        assert_eq!(
            report("World Health Organization. Department of Gardens and Hedges"),
            "who-2021-pruning-guide-parks"
        );
        assert_eq!(report("Kew"), "kew-2021-pruning-guide-parks");
        let family =
            item(json!({"author": [{"family": "Royal Society of Bridges"}], "title": "Spans"}));
        assert_eq!(import_id(&family), "rsb-nd-spans");
    }

    #[test]
    fn slugs_stay_short_and_end_between_words() {
        let long = item(json!({
            "author": [{"family": "Featherstonehaugh-Cholmondeley-Marjoribanks"}],
            "issued": {"date-parts": [[2001]]},
            "title": "Suspension bridges, cantilevers and the extraordinarily long history of rivets"
        }));
        let id = import_id(&long);
        assert!(id.len() <= MAX_SLUG_ID, "{id}");
        assert_eq!(id, "featherstonehaugh-2001-suspension");
        let word = item(
            json!({"author": [{"family": "Li"}], "title": "Pneumonoultramicroscopicsilicovolcanoconiosis"}),
        );
        let id = import_id(&word);
        assert_eq!(id.len(), MAX_SLUG_ID);
        assert!(id.starts_with("li-nd-pneumono"), "{id}");
    }

    #[test]
    fn same_work_by_pmid_doi_then_title_and_year() {
        let keys = |v: Value| WorkKeys::of(&item(v));
        let a = keys(
            json!({"PMID": "1", "DOI": "10.1/A", "title": "Tea", "issued": {"date-parts": [[2000]]}}),
        );
        let b = keys(json!({"DOI": "10.1/a", "title": "Other"}));
        assert_eq!(a.same_work(&b), Some(SameBy::Doi("10.1/a".into())));
        let c = keys(json!({"PMID": "2", "title": "Tea", "issued": {"date-parts": [[2000]]}}));
        assert_eq!(a.same_work(&c), None, "different PMIDs are different works");
        let d = keys(json!({"title": "  TÉA! ", "issued": {"date-parts": [[2000, 1]]}}));
        assert_eq!(a.same_work(&d), Some(SameBy::TitleAndYear));
        let e = keys(json!({"title": "Tea", "issued": {"date-parts": [[2001]]}}));
        assert_eq!(a.same_work(&e), None);
        assert_eq!(
            normalised_title("<i>Camellia</i> {sinensis}: a—study"),
            "camellia sinensis a study"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Whatever the names and titles, a slug id is short lowercase ASCII words joined by
        /// single hyphens.
        #[test]
        fn slug_ids_are_short_ascii_words(
            family in "[A-Za-zÀ-ÿ .,'()&-]{0,60}",
            corporate in proptest::bool::ANY,
            title in "[A-Za-zÀ-ÿ0-9 :;.,!?'()-]{0,120}",
            year in proptest::option::of(0i64..20000),
        ) {
            let name = if corporate { json!({"literal": family}) } else { json!({"family": family}) };
            let mut csl = item(json!({"author": [name], "title": title}));
            if let Some(year) = year {
                csl.insert("issued".into(), json!({"date-parts": [[year]]}));
            }
            let id = import_id(&csl);
            proptest::prop_assert!(id.len() <= MAX_SLUG_ID, "{}", id);
            proptest::prop_assert!(
                id.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{}", id
            );
        }
    }
}
