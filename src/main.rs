//! The `evident` binary: parses the command line and runs one command. The real date is read
//! here and nowhere else (`--today` overrides it).

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

// A build allocates and frees millions of small strings on two threads at once; glibc's
// allocator spent an eighth of a large build in malloc/free and held on to freed memory in
// per-thread arenas. mimalloc measured faster and smaller (see README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the 16th of `mi_option_e` in its `mimalloc.h`, in v2
/// and v3 alike); the `libmimalloc-sys` bindings name no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build is one short process whose freed memory is needed again within moments. mimalloc
/// returns freed memory to the system after a second by default and faults it in again, zeroed
/// by the kernel, when it is needed: 3.0 GB in 7,100 purges during one 100,000-claim build
/// (`MIMALLOC_SHOW_STATS=1`), where the kernel's zeroing was 6% of the CPU. Peak memory stayed
/// within run-to-run noise. Not for `serve`, which lives on between edits and should give
/// memory back.
fn keep_freed_memory() {
    // SAFETY: sets one integer option, which mimalloc reads atomically on any thread.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let today = cli.global.today.unwrap_or_else(|| {
        jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date()
    });
    if matches!(cli.command, cli::Command::Build(_)) {
        keep_freed_memory();
    }
    let result = cmd::Context::new(&cli.global, today).and_then(|ctx| match &cli.command {
        cli::Command::Build(args) => cmd::build::run(&ctx, args),
        cli::Command::Check(args) => cmd::check::run(&ctx, args),
        cli::Command::Init(args) => cmd::init::run(&ctx, args),
        cli::Command::New(args) => cmd::new::run(&ctx, args),
        cli::Command::Review(args) => cmd::review::run(&ctx, args),
        cli::Command::Import(args) => cmd::import::run(&ctx, args),
        cli::Command::Explain(args) => cmd::explain::run(&ctx, args),
        cli::Command::Handout(args) => cmd::handout::run(&ctx, args),
        cli::Command::Serve(args) => cmd::serve::run(&ctx, args),
        cli::Command::Schema(args) => cmd::schema::run(&ctx, args),
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index is mimalloc's, not ours: if an update renumbered its options, this would read
    /// another option's default, not the purge delay's documented 1000 ms (v3; 10 ms in v2).
    #[test]
    fn the_purge_delay_option_is_the_one_we_set() {
        // SAFETY: reads one integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
