//! Formatting references for reference lists and source pages.
//!
//! A Vancouver (ICMJE/NLM) formatter over the CSL fields evident keeps: authors as family
//! name plus initials (six, then "et al."), title, journal abbreviation, year;volume(issue):pages.
//! It returns plain text; the renderer escapes it and adds the DOI/PubMed/PMC links.

use serde_json::Value;

use crate::model::Source;

/// The reference as one line of plain text, without identifiers (links are added apart).
pub fn vancouver(source: &Source) -> String {
    let mut parts: Vec<String> = Vec::new();
    let authors = authors(source.csl.get("author"));
    if !authors.is_empty() {
        parts.push(end_with_period(&authors));
    }
    parts.push(end_with_period(source.title()));
    let kind = source.csl_str("type").unwrap_or("");
    let container = source
        .csl_str("container-title-short")
        .or_else(|| source.csl_str("journalAbbreviation"))
        .or_else(|| source.csl_str("container-title"));
    let year = source.year().map(|y| y.to_string());
    match kind {
        "article-journal" | "article" | "article-magazine" | "article-newspaper" => {
            let mut tail = String::new();
            if let Some(journal) = container {
                tail.push_str(&format!("{journal}. "));
            }
            if let Some(year) = &year {
                tail.push_str(year);
            }
            if let Some(volume) = source.csl_str("volume") {
                tail.push_str(&format!(";{volume}"));
            }
            if let Some(issue) = source.csl_str("issue") {
                tail.push_str(&format!("({issue})"));
            }
            if let Some(page) = source.csl_str("page") {
                tail.push_str(&format!(":{}", short_pages(page)));
            }
            if !tail.trim().is_empty() {
                parts.push(end_with_period(tail.trim()));
            }
        }
        _ => {
            if let Some(container) = source.csl_str("container-title") {
                let medium = source
                    .csl_str("medium")
                    .map(|m| format!(" [{m}]"))
                    .unwrap_or_default();
                parts.push(end_with_period(&format!("In: {container}{medium}")));
            }
            let place = source.csl_str("publisher-place");
            let publisher = source.csl_str("publisher");
            let mut imprint = match (place, publisher) {
                (Some(p), Some(q)) => format!("{p}: {q}"),
                (None, Some(q)) => q.to_string(),
                (Some(p), None) => p.to_string(),
                (None, None) => String::new(),
            };
            if let Some(year) = &year {
                imprint = if imprint.is_empty() {
                    year.clone()
                } else {
                    format!("{imprint}; {year}")
                };
            }
            if !imprint.is_empty() {
                parts.push(end_with_period(&imprint));
            }
            if let Some(number) = source.csl_str("number") {
                let label = if kind == "report" { "Report No.: " } else { "" };
                parts.push(end_with_period(&format!("{label}{number}")));
            }
        }
    }
    parts.join(" ")
}

fn authors(value: Option<&Value>) -> String {
    let Some(Value::Array(list)) = value else {
        return String::new();
    };
    let names: Vec<String> = list.iter().filter_map(name).collect();
    if names.len() > 6 {
        format!("{}, et al", names[..6].join(", "))
    } else {
        names.join(", ")
    }
}

fn name(value: &Value) -> Option<String> {
    if let Some(literal) = value.get("literal").and_then(Value::as_str) {
        return Some(literal.trim().to_string());
    }
    let family = value.get("family").and_then(Value::as_str)?.trim();
    let initials: String = value
        .get("given")
        .and_then(Value::as_str)
        .map(|given| {
            given
                .split(|c: char| c.is_whitespace() || c == '.' || c == '-')
                .filter_map(|part| part.chars().next())
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_uppercase)
                .collect()
        })
        .unwrap_or_default();
    Some(if initials.is_empty() {
        family.to_string()
    } else {
        format!("{family} {initials}")
    })
}

/// "213-216" → "213-6", as NLM abbreviates page ranges.
fn short_pages(page: &str) -> String {
    let Some((start, end)) = page.split_once(['-', '–']) else {
        return page.to_string();
    };
    let (start, end) = (start.trim(), end.trim());
    if start.len() == end.len()
        && start.chars().all(|c| c.is_ascii_digit())
        && end.chars().all(|c| c.is_ascii_digit())
    {
        let common = start
            .chars()
            .zip(end.chars())
            .take_while(|(a, b)| a == b)
            .count();
        return format!("{start}-{}", &end[common.min(end.len() - 1)..]);
    }
    format!("{start}-{end}")
}

fn end_with_period(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EvidenceFields;

    fn source(json: &str) -> Source {
        let csl: serde_json::Map<String, Value> = serde_json::from_str(json).unwrap();
        Source {
            id: "x".into(),
            slug: "x".into(),
            path: String::new(),
            pos: Default::default(),
            csl,
            evidence: EvidenceFields::default(),
        }
    }

    #[test]
    fn journal_article_with_a_single_name_author() {
        let s = source(
            r#"{"type":"article-journal","title":"Relactation: an effective intervention to promote exclusive breastfeeding","author":[{"family":"Seema"},{"family":"Patwari","given":"A. K."},{"family":"Satyanarayana","given":"L."}],"container-title-short":"J Trop Pediatr","issued":{"date-parts":[[1997,8]]},"volume":"43","issue":"4","page":"213-216"}"#,
        );
        assert_eq!(
            vancouver(&s),
            "Seema, Patwari AK, Satyanarayana L. Relactation: an effective intervention to promote exclusive breastfeeding. J Trop Pediatr. 1997;43(4):213-6."
        );
    }

    #[test]
    fn no_authors_and_corporate_authors() {
        let s = source(
            r#"{"type":"article-journal","title":"Relactation: a study of 366 cases","container-title-short":"Pediatrics","issued":{"date-parts":[[1980,2]]},"volume":"65","issue":"2","page":"236-242"}"#,
        );
        assert_eq!(
            vancouver(&s),
            "Relactation: a study of 366 cases. Pediatrics. 1980;65(2):236-42."
        );
        let s = source(
            r#"{"type":"report","title":"Relactation: a review of experience and recommendations for practice","author":[{"literal":"World Health Organization"}],"publisher":"World Health Organization","publisher-place":"Geneva","number":"WHO/CHS/CAH/98.14","issued":{"date-parts":[[1998]]}}"#,
        );
        assert_eq!(
            vancouver(&s),
            "World Health Organization. Relactation: a review of experience and recommendations for practice. Geneva: World Health Organization; 1998. Report No.: WHO/CHS/CAH/98.14."
        );
    }

    #[test]
    fn hyphenated_given_names_and_more_than_six_authors() {
        let s = source(
            r#"{"type":"article-journal","title":"T","author":[{"family":"Wan","given":"Elise W-X."},{"family":"B","given":"C"},{"family":"C","given":"D"},{"family":"D","given":"E"},{"family":"E","given":"F"},{"family":"F","given":"G"},{"family":"G","given":"H"}]}"#,
        );
        assert_eq!(vancouver(&s), "Wan EWX, B C, C D, D E, E F, F G, et al. T.");
    }
}
