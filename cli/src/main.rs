//! `modreg`: the registry server, the demo, publishing, tokens, module docs and validation of
//! consumer configurations.

mod args;
mod client;
mod commands;
mod credentials;

use std::process::ExitCode;

use clap::Parser as _;

/// What a command reports when it did not fail.
pub enum Outcome {
    Ok,
    /// The command ran and found problems (exit 1).
    Findings,
}

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli.command)) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  Caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
