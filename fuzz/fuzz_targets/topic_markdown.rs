//! Topic bodies: scanning for embeds and citations and rendering never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

struct Hooks;
impl evident::text::markdown::Hooks for Hooks {
    fn embed(&mut self, id: &str) -> String {
        evident::text::escape::html(id)
    }
    fn claim_href(&mut self, id: &str) -> Option<String> {
        (!id.is_empty()).then(|| format!("claims/{id}/"))
    }
    fn cite(&mut self, keys: &[evident::text::markdown::CiteKey]) -> String {
        keys.len().to_string()
    }
}

fuzz_target!(|text: &str| {
    for reference in evident::text::markdown::scan(text) {
        let offset = match reference {
            evident::text::markdown::Reference::Embed { offset, .. }
            | evident::text::markdown::Reference::ClaimLink { offset, .. }
            | evident::text::markdown::Reference::InlineClaim { offset, .. }
            | evident::text::markdown::Reference::Link { offset, .. }
            | evident::text::markdown::Reference::Cite { offset, .. } => offset,
        };
        let _ = evident::text::line_column(text, offset);
    }
    let html = evident::text::markdown::render(text, &mut Hooks);
    assert!(!html.contains("<script"));
    let _ = evident::text::markdown::render_inline(text);
});
