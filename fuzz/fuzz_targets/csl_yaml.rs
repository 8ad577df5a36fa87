//! Any text given to the CSL-YAML reader: the checks of [`reader_check`].
#![no_main]

mod reader_check;

use evident::load::citations::read_csl_yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    reader_check::check(read_csl_yaml, text, reader_check::yaml_lines(text));
});
