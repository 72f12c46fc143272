//! Helpers shared by the CLI tests.

use std::path::PathBuf;

use assert_cmd::Command;

/// The path of the binary under test.
pub(crate) fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("paper-export")
}

/// The binary, with an environment that cannot change its behaviour.
pub(crate) fn paper_export() -> Command {
    let mut cmd = Command::new(binary());
    cmd.env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// A file in `tests/fixtures`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs the command, checks it succeeded, and parses its stdout as JSON.
pub(crate) fn stdout_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}
