//! Any text given to the CSL-JSON reader: the checks of [`reader_check`].
#![no_main]

mod reader_check;

use evident::load::citations::read_csl_json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    reader_check::check(read_csl_json, text, reader_check::lines(text));
});
