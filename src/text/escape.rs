//! Text made safe for the languages evident writes by hand, one function per language:
//! HTML, XML and JSON inside an HTML `<script>` (the values of GitHub Actions workflow
//! commands are escaped where they are written, in `diag::report`). (Theme templates are escaped by minijinja's own HTML escaper, which writes `'`
//! as `&#x27;` and `/` as `&#x2f;`; pages keep that output.)

/// HTML text and attribute values (quoted with `"` or `'`): `& < > " '` as entities.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0 content and attribute values: `& < > " '` as entities, and the control
/// characters XML cannot carry at all dropped (a stray one in a YAML note would make a feed
/// unreadable).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// JSON text safe inside `<script>`: `<`, `>` and `&` as JSON escapes, so no `</script>` or
/// `<!--` can end the element. The JSON means the same.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_escapes_its_own_characters() {
        let text = "a<b & \"c\" 'd'>\u{1}\te";
        assert_eq!(
            html(text),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;\u{1}\te"
        );
        assert_eq!(xml(text), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\te");
        assert_eq!(
            script_json(r#"{"a":"</script>&"}"#),
            r#"{"a":"\u003c/script\u003e\u0026"}"#
        );
    }
}
