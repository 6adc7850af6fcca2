//! The `logx` binary: parse the command line, run the verb, exit with 0/1/2. The command
//! line and the TUI are thin shells over the `logx` library.

mod cli;
mod tui;

use clap::Parser;

fn main() {
    let cli = cli::args::Cli::parse();
    std::process::exit(cli::main(cli));
}
