//! The charmig binary: parse, run, map errors to exit codes (0 clean, 1 found, 2 error).

use clap::Parser;

fn main() {
    let cli = charmig::cli::Cli::parse();
    let code = match charmig::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "error: {}",
                charmig::report::term::escape_text(&format!("{e:#}"))
            );
            charmig::cli::EXIT_ERROR
        }
    };
    std::process::exit(code);
}
