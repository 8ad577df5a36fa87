//! Any text given to the nbib reader: the checks of [`reader_check`].
#![no_main]

mod reader_check;

use evident::load::citations::read_nbib;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    reader_check::check(read_nbib, text, reader_check::lines(text));
});
