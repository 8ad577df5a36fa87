//! Topic bodies: scanning for embeds and citations and rendering never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

struct Hooks;
impl evident::markdown::Hooks for Hooks {
    fn embed(&mut self, id: &str) -> String {
        evident::markdown::escape(id)
    }
    fn claim_link(&mut self, _id: &str, text: &str) -> String {
        evident::markdown::escape(text)
    }
    fn cite(&mut self, keys: &[evident::markdown::CiteKey]) -> String {
        keys.len().to_string()
    }
}

fuzz_target!(|text: &str| {
    for reference in evident::markdown::scan(text) {
        let offset = match reference {
            evident::markdown::Reference::Embed { offset, .. }
            | evident::markdown::Reference::ClaimLink { offset, .. }
            | evident::markdown::Reference::Cite { offset, .. } => offset,
        };
        let _ = evident::markdown::line_column(text, offset);
    }
    let html = evident::markdown::render(text, &mut Hooks);
    assert!(!html.contains("<script"));
    let _ = evident::markdown::render_inline(text);
});
