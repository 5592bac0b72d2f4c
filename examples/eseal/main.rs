//! The `eseal` command-line tool.
fn main() {
    eprintln!("eseal: not yet wired");
    std::process::exit(2);
}
