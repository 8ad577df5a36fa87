//! Any text given to the bibtex reader: the checks of [`reader_check`].
#![no_main]

mod reader_check;

use evident::load::citations::read_bibtex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    reader_check::check(read_bibtex, text, reader_check::lines(text));
});
