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
