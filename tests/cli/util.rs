//! Helpers shared by the CLI tests.

use assert_cmd::Command;

/// The binary, with an environment that cannot change its behaviour.
#[allow(dead_code)]
pub(crate) fn paper_export() -> Command {
    let mut cmd = Command::cargo_bin("paper-export").expect("binary builds");
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}
