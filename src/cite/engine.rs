//! Running a CSL style over one record with hayagriva, and the workarounds that make it print
//! what citeproc-js prints with the same style (docs/references.md lists what remains).

use hayagriva::citationberg::json::Item;
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};

use crate::model::Source;

use super::mend;
use super::style::{Style, locales};

/// One reference as plain text (no HTML, no identifiers; the renderer escapes it and adds
/// the DOI/PubMed/PMC links).
pub fn format_reference(source: &Source, style: &Style) -> String {
    let item = csl_item(source, style.short_container);
    // hayagriva is a third party's engine: should it panic on a record we did not foresee,
    // the page still gets a reference, of what the record holds.
    std::panic::catch_unwind(|| render(&item, style))
        .ok()
        .flatten()
        .map(|text| {
            let text = mend::mixed_case_words(&mend::punctuation(&text), &source.csl);
            let text = mend::opening_term(&text);
            match source.csl_str("URL") {
                Some(url) => mend::without_url(&text, url),
                None => text,
            }
        })
        .unwrap_or_else(|| plain(source))
}

fn render(item: &Item, style: &Style) -> Option<String> {
    let locales = locales();
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::new(
        vec![CitationItem::with_entry(item)],
        &style.style,
        style.locale.clone(),
        locales,
        None,
    ));
    let rendered = driver.finish(BibliographyRequest::new(
        &style.style,
        style.locale.clone(),
        locales,
    ));
    let entry = rendered.bibliography?.items.into_iter().next()?;
    let text = format!("{:#}", entry.content);
    // Numeric styles without second-field alignment print the number in the content.
    let text = strip_number(text.trim());
    (!text.is_empty()).then_some(text)
}

/// The reference when the engine gives none: title, container and year, as the record has
/// them (never the id).
fn plain(source: &Source) -> String {
    let year = source.year().map(|y| y.to_string());
    [
        source.csl_str("title"),
        source.csl_str("container-title"),
        year.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(|part| part.trim().trim_end_matches('.'))
    .filter(|part| !part.is_empty())
    .map(|part| format!("{part}."))
    .collect::<Vec<_>>()
    .join(" ")
}

/// "1. Seema, …" → "Seema, …": the reference number is the renderer's (per page).
fn strip_number(text: &str) -> String {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = &text[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix('.')) {
            return rest.trim_start().to_string();
        }
    }
    if let Some(rest) = text.strip_prefix('[') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(']') {
            return rest[digits + 1..].trim_start().to_string();
        }
    }
    text.to_string()
}

/// Our record as a CSL-JSON item for hayagriva, without the identifiers (linked apart) and
/// with shapes its engine cannot take made safe: date ranges are cut to their start (it
/// panics on ranges), anything that does not deserialise is dropped field by field.
fn csl_item(source: &Source, short_container: bool) -> Item {
    // The URL stays: styles print "[Internet]" or an access date by it (taken out after).
    const LINKED: &[&str] = &["DOI", "PMID", "PMCID"];
    let mut map = std::collections::BTreeMap::new();
    let abbreviation = source
        .csl_str("container-title-short")
        .or_else(|| source.csl_str("journalAbbreviation"))
        .filter(|_| short_container);
    for (key, value) in &source.csl {
        if LINKED.contains(&key.as_str()) {
            continue;
        }
        let value = match (key.as_str(), abbreviation) {
            ("container-title", Some(short)) => &serde_json::Value::String(short.to_string()),
            _ => value,
        };
        let value = match (key.as_str(), value) {
            ("issued" | "accessed" | "submitted" | "original-date" | "event-date", v) => {
                first_date(v)
            }
            (
                "author" | "editor" | "container-author" | "collection-editor" | "translator"
                | "reviewed-author" | "editorial-director" | "director" | "interviewer"
                | "recipient" | "composer" | "illustrator" | "original-author",
                serde_json::Value::Array(names),
            ) => Some(serde_json::Value::Array(
                names.iter().map(mend::name).collect(),
            )),
            _ => Some(value.clone()),
        };
        let Some(value) = value else { continue };
        if let Ok(v) = serde_json::from_value(value) {
            map.insert(key.clone(), v);
        }
    }
    Item(map)
}

/// A CSL date with only its first `date-parts` entry (its start), years in range.
fn first_date(value: &serde_json::Value) -> Option<serde_json::Value> {
    let mut value = value.clone();
    if let Some(parts) = value.get_mut("date-parts").and_then(|p| p.as_array_mut()) {
        parts.truncate(1);
        let first = parts.first()?.as_array()?;
        let plausible = first.iter().all(|p| {
            p.as_i64()
                .or_else(|| p.as_str().and_then(|s| s.trim().parse().ok()))
                .is_some_and(|n| (-9999..=9999).contains(&n))
        });
        if !plausible || first.is_empty() {
            return None;
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stripped() {
        assert_eq!(strip_number("1. Seema"), "Seema");
        assert_eq!(strip_number("[12] Seema"), "Seema");
        assert_eq!(strip_number("1980 study"), "1980 study");
    }
}
