//! Where hayagriva reads or prints differently from citeproc-js (the CSL processor inside
//! Zotero and Mendeley) with the same style and record, the difference is mended here, one
//! function a slip, each named after what citeproc-js does. `scripts/check-references`
//! measures the result on real exports; docs/references.md lists what is left.

use serde_json::{Map, Value};

/// A `<names>` element without a `<name>` child prints nothing in hayagriva (AMA's chapter
/// editors vanished: "In: Cancer Syndromes." for "In: Riegert-Johnson DL, …, eds. Cancer
/// Syndromes."), where CSL says it prints the names with the inherited options, as an empty
/// `<name/>` does. The shorthand `<names variable="…"/>` of a `<substitute>` is left alone.
pub fn style_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(start) = rest.find("<names") {
        let after_tag = &rest[start + "<names".len()..];
        let Some(end) = after_tag.find('>') else {
            break;
        };
        let open_end = start + "<names".len() + end + 1;
        out.push_str(&rest[..open_end]);
        let self_closing = rest[..open_end].ends_with("/>");
        let is_names_tag = after_tag.starts_with([' ', '>', '\n', '\t', '\r']);
        rest = &rest[open_end..];
        if self_closing || !is_names_tag {
            continue;
        }
        let body_end = rest.find("</names>").unwrap_or(rest.len());
        let has_name = ["<name ", "<name/", "<name>", "<name\n", "<name\t"]
            .iter()
            .any(|tag| rest[..body_end].contains(tag));
        if !has_name {
            out.push_str("<name/>");
        }
    }
    out.push_str(rest);
    out
}

/// Names as citeproc-js reads them, in the shape hayagriva reads the same way: initials
/// written without spaces ("T.S.", "Maggie C.U.") get their spaces, or hayagriva keeps only
/// the first ("Panevin T" for "Panevin TS"); lowercase particles at the start of a family
/// name ("van Raaij", "de la Chapelle") become its `non-dropping-particle`, or hayagriva
/// moves them behind the initials ("Raaij MJ van").
pub fn name(value: &Value) -> Value {
    let Some(name) = value.as_object() else {
        return value.clone();
    };
    let mut name: Map<String, Value> = name.clone();
    if let Some(given) = name.get("given").and_then(Value::as_str) {
        let spaced = spaced_initials(given);
        name.insert("given".into(), Value::String(spaced));
    }
    let has_particle =
        name.contains_key("non-dropping-particle") || name.contains_key("dropping-particle");
    if let (false, Some(family)) = (has_particle, name.get("family").and_then(Value::as_str))
        && let Some((particle, rest)) = leading_particle(family)
    {
        let (particle, rest) = (particle.to_string(), rest.to_string());
        name.insert("non-dropping-particle".into(), Value::String(particle));
        name.insert("family".into(), Value::String(rest));
    }
    Value::Object(name)
}

/// "T.S." → "T. S."; "Maggie C.U." → "Maggie C. U."; "J.-P." and "A. B." unchanged.
fn spaced_initials(given: &str) -> String {
    let mut out = String::with_capacity(given.len() + 4);
    let mut chars = given.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '.' && chars.peek().is_some_and(|next| next.is_alphabetic()) {
            out.push(' ');
        }
    }
    out
}

/// The lowercase words that open a family name followed by a capitalised one: ("van",
/// "Raaij"), ("de la", "Chapelle"). None when no word is lowercase, or all are.
fn leading_particle(family: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    for word in family.split(' ') {
        let first = word.chars().next()?;
        if !first.is_lowercase() {
            break;
        }
        end += word.len() + 1;
    }
    if end == 0 || end >= family.len() {
        return None;
    }
    Some((family[..end - 1].trim_end(), family[end..].trim_start()))
}

/// Two slips of hayagriva's output that citeproc-js does not make, mended in the text:
/// a group's delimiter written before a macro that then prints nothing ("2017 Jul ;49",
/// "(2018,)", "2022 Oct 7;:S1080" for an article without volume), and a suffix's period doubled after the punctuation that ends the text before
/// it ("stand?." where citeproc-js prints "stand?", ";." for ";", ".." for "."). An
/// ellipsis ("...") is text, not a slip.
pub fn punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A delimiter after punctuation that closed the part before it: "7;:S1080".
            ':' if out.ends_with(';') => {}
            ';' | ',' if out.ends_with(' ') => {
                out.pop();
                out.push(c);
            }
            ')' if out.ends_with(',') || out.ends_with(", ") => {
                let trimmed = out.trim_end().trim_end_matches(',').len();
                out.truncate(trimmed);
                out.push(c);
            }
            '.' => {
                let after_mark = out.ends_with(['?', '!', ';', ':']);
                let doubled =
                    out.ends_with('.') && !out.ends_with("..") && chars.peek() != Some(&'.');
                if !(after_mark || doubled) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The fields a style prints as text that title case may touch.
const TITLED: &[&str] = &[
    "title",
    "title-short",
    "container-title",
    "container-title-short",
    "collection-title",
    "event-title",
    "publisher",
];

/// Title case as citeproc-js applies it leaves a word with a capital inside as written
/// ("PLoS", "eLife", "SARS-CoV-2", "J.Neurosurg."); hayagriva lowercases all but its first
/// letter ("Plos", "Elife", "SARS-Cov-2"). Such a word of the record's titles is put back
/// where the output holds exactly hayagriva's title-cased form of it.
pub fn mixed_case_words(text: &str, record: &Map<String, Value>) -> String {
    let mut words: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for key in TITLED {
        let Some(value) = record.get(*key).and_then(Value::as_str) else {
            continue;
        };
        for word in value.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            let inner_capital = word.chars().skip(1).any(char::is_uppercase);
            if inner_capital && word.chars().any(char::is_lowercase) {
                words.entry(word.to_lowercase()).or_insert(word);
            }
        }
    }
    if words.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, token) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let start = token.find(char::is_alphanumeric).unwrap_or(token.len());
        let end = token
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(start, |(i, c)| i + c.len_utf8())
            .max(start);
        let core = &token[start..end];
        match words.get(&core.to_lowercase()) {
            Some(original) if title_cased(original, core) => {
                out.push_str(&token[..start]);
                out.push_str(original);
                out.push_str(&token[end..]);
            }
            _ => out.push_str(token),
        }
    }
    out
}

/// Whether `output` is `original` as hayagriva's title case leaves it: a letter starting
/// the word may be raised, any other lowered, and something changed.
fn title_cased(original: &str, output: &str) -> bool {
    let mut changed = false;
    for (i, (a, b)) in original.chars().zip(output.chars()).enumerate() {
        if a == b {
            continue;
        }
        changed = true;
        let raised = i == 0 && a.is_lowercase() && b.is_uppercase();
        let lowered = i > 0 && a.is_uppercase() && b.is_lowercase();
        if !(raised || lowered) {
            return false;
        }
    }
    changed && original.chars().count() == output.chars().count()
}

/// The reference without its web address, which the page links apart ("Online"): the
/// style still sees the URL, so that it prints what depends on it ("[Internet]", "[cited
/// 2024 Jan 5]", "Accessed January 5, 2024"), and the address goes with the label that
/// introduces it ("Available from:", "Available at:", "Retrieved from").
pub fn without_url(text: &str, url: &str) -> String {
    let url = url.trim();
    let Some(at) = text.find(url).filter(|_| !url.is_empty()) else {
        return text.to_string();
    };
    let mut before = text[..at].trim_end();
    for label in ["Available from:", "Available at:", "Retrieved from"] {
        if let Some(stripped) = before.strip_suffix(label) {
            before = stripped.trim_end();
            break;
        }
    }
    let after = text[at + url.len()..].trim_start_matches('.');
    let joined = format!("{before}{after}");
    let joined = joined.trim();
    match joined.chars().last() {
        Some('.' | '?' | '!') | None => joined.to_string(),
        Some(_) => format!("{joined}."),
    }
}

/// citeproc-js capitalises a term that opens an entry: an APA reference without author or
/// title starts "(N.d.)", where hayagriva prints "(n.d.)".
pub fn opening_term(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('('), Some(c)) if c.is_lowercase() => {
            format!("({}{}", c.to_uppercase(), chars.as_str())
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_without_a_name_child_get_one() {
        let xml = r#"<macro name="e"><names variable="editor"><label form="short" prefix=", "/></names></macro><names variable="author"><name initialize-with=""/><substitute><names variable="editor"/></substitute></names>"#;
        assert_eq!(
            style_xml(xml),
            r#"<macro name="e"><names variable="editor"><name/><label form="short" prefix=", "/></names></macro><names variable="author"><name initialize-with=""/><substitute><names variable="editor"/></substitute></names>"#
        );
    }

    #[test]
    fn initials_and_particles() {
        assert_eq!(spaced_initials("T.S."), "T. S.");
        assert_eq!(spaced_initials("Maggie C.U."), "Maggie C. U.");
        assert_eq!(spaced_initials("J.-P."), "J.-P.");
        assert_eq!(spaced_initials("A. B."), "A. B.");
        assert_eq!(
            name(&json!({"family": "de la Chapelle", "given": "Albert"})),
            json!({"family": "Chapelle", "given": "Albert", "non-dropping-particle": "de la"})
        );
        assert_eq!(
            name(&json!({"family": "van Raaij", "given": "M J"})),
            json!({"family": "Raaij", "given": "M J", "non-dropping-particle": "van"})
        );
        assert_eq!(leading_particle("bell hooks"), None);
        assert_eq!(leading_particle("Smith"), None);
        assert_eq!(
            name(&json!({"literal": "Tea Board"})),
            json!({"literal": "Tea Board"})
        );
    }

    #[test]
    fn punctuation_slips() {
        assert_eq!(
            punctuation("Cell. 2011 Mar ;144(5)."),
            "Cell. 2011 Mar;144(5)."
        );
        assert_eq!(punctuation("(2018,). T."), "(2018). T.");
        assert_eq!(punctuation("Tea. 2022 Oct 7;:S12."), "Tea. 2022 Oct 7;S12.");
        assert_eq!(punctuation("where do we stand?."), "where do we stand?");
        assert_eq!(
            punctuation("Leukemia. 2021 Sept 3;."),
            "Leukemia. 2021 Sept 3;"
        );
        assert_eq!(
            punctuation("Proc. AMIA ... Annual."),
            "Proc. AMIA ... Annual."
        );
        assert_eq!(punctuation("Tea Ltd.."), "Tea Ltd.");
    }

    #[test]
    fn mixed_case_words_come_back() {
        let record = json!({"container-title": "PLoS One", "title": "A SARS-CoV-2 teapot (eLife)"});
        let record = record.as_object().unwrap();
        assert_eq!(
            mixed_case_words("T. Plos One. Sars-Cov-2 in (Elife).", record),
            "T. PLoS One. SARS-CoV-2 in (eLife)."
        );
        // Only hayagriva's title-cased form of a word is put back, not other spellings.
        let record = json!({"title": "Tea-Tea pairs", "note": "PLoS"});
        let record = record.as_object().unwrap();
        assert_eq!(mixed_case_words("tea-tea. Plos.", record), "tea-tea. Plos.");
        assert_eq!(opening_term("(n.d.). Tea."), "(N.d.). Tea.");
    }

    #[test]
    fn the_url_goes_with_its_label() {
        let url = "https://tea.example/leaf";
        assert_eq!(
            without_url(
                "Tea [Internet]. 2006 [cited 2024 Jan 5]. Available from: https://tea.example/leaf",
                url
            ),
            "Tea [Internet]. 2006 [cited 2024 Jan 5]."
        );
        assert_eq!(
            without_url(
                "Tea. Published 2006. Accessed January 5, 2024. https://tea.example/leaf",
                url
            ),
            "Tea. Published 2006. Accessed January 5, 2024."
        );
        assert_eq!(
            without_url("Tea. Kettle Press. https://tea.example/leaf", url),
            "Tea. Kettle Press."
        );
        assert_eq!(without_url("Tea. 2006.", url), "Tea. 2006.");
        assert_eq!(opening_term("van Tea T."), "van Tea T.");
    }
}
