//! Any text given to the ris reader: the checks of [`reader_check`].
#![no_main]

mod reader_check;

use evident::load::citations::read_ris;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    reader_check::check(read_ris, text, reader_check::lines(text));
});
