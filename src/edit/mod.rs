//! Everything that changes the user's files: review decisions, imported sources and scaffolded
//! files. Each file is replaced whole, atomically, or created only where none exists, so an
//! edit never leaves a half-written file and never overwrites one by accident.

pub mod file;
pub mod import;
pub mod review;
pub mod scaffold;
