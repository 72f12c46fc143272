use std::collections::BTreeMap;

/// Options every writer may read.
///
/// Settings that only one format understands (`--deck`, `--csv-raw`) travel
/// in [`WriteOptions::settings`] under that format's own keys, which the format
/// documents; this keeps a new format from changing this struct.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteOptions {
    /// Language of question and note in single-language outputs (`en`, `zh`).
    pub lang: String,
    /// Write a UTF-8 byte order mark first (text formats that allow it).
    pub bom: bool,
    /// Seconds since the Unix epoch to use where a format needs a timestamp,
    /// normally from `SOURCE_DATE_EPOCH`. `None` means the format's fixed default.
    pub timestamp: Option<i64>,
    /// Format-specific settings, `key → value`; flags have the value `"true"`.
    pub settings: BTreeMap<String, String>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            lang: "en".to_owned(),
            bom: false,
            timestamp: None,
            settings: BTreeMap::new(),
        }
    }
}

impl WriteOptions {
    /// The value of a format-specific setting.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.settings.get(key).map(String::as_str)
    }

    /// True when a format-specific flag is set.
    pub fn flag(&self, key: &str) -> bool {
        self.setting(key) == Some("true")
    }

    /// Sets a format-specific setting; returns `self` for chaining.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.insert(key.into(), value.into());
        self
    }
}

/// Options every reader may read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Format-specific settings, `key → value`.
    pub settings: BTreeMap<String, String>,
}
