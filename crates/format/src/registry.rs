use std::path::Path;

use crate::Format;

/// The list of known formats, looked up by name, alias or file extension.
#[derive(Default)]
pub struct Registry {
    formats: Vec<Box<dyn Format>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Adds a format; a later format with the same name is never found.
    pub fn register(&mut self, format: Box<dyn Format>) {
        self.formats.push(format);
    }

    /// Every format, in registration order.
    pub fn formats(&self) -> impl Iterator<Item = &dyn Format> {
        self.formats.iter().map(|f| f.as_ref())
    }

    /// The format with this name or alias, ignoring case.
    pub fn by_name(&self, name: &str) -> Option<&dyn Format> {
        self.formats().find(|f| {
            let info = f.info();
            info.name.eq_ignore_ascii_case(name)
                || info.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    }

    /// The format whose extension ends the file name, the longest match
    /// first (`refs.csl.json` is CSL-JSON, not JSON).
    pub fn by_extension(&self, path: impl AsRef<Path>) -> Option<&dyn Format> {
        let name = path.as_ref().file_name()?.to_str()?.to_ascii_lowercase();
        self.formats()
            .flat_map(|f| f.info().extensions.iter().map(move |ext| (f, *ext)))
            .filter(|(_, ext)| {
                name.len() > ext.len() + 1
                    && name.ends_with(ext)
                    && name.as_bytes()[name.len() - ext.len() - 1] == b'.'
            })
            .max_by_key(|(_, ext)| ext.len())
            .map(|(f, _)| f)
    }

    /// Names of the formats that can be written, in order.
    pub fn writable_names(&self) -> Vec<&'static str> {
        self.formats()
            .filter(|f| f.can_write())
            .map(|f| f.info().name)
            .collect()
    }

    /// Names of the formats that can be read, in order.
    pub fn readable_names(&self) -> Vec<&'static str> {
        self.formats()
            .filter(|f| f.can_read())
            .map(|f| f.info().name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FormatInfo, WriteOptions, Writer};

    struct Fake(FormatInfo);
    impl Format for Fake {
        fn info(&self) -> &FormatInfo {
            &self.0
        }
        fn writer(&self, _: &WriteOptions) -> Option<Box<dyn Writer>> {
            None
        }
    }

    fn fake(name: &'static str, extensions: &'static [&'static str]) -> Box<dyn Format> {
        Box::new(Fake(FormatInfo {
            name,
            aliases: &["alias"],
            extensions,
            summary: "",
            binary: false,
        }))
    }

    #[test]
    fn longest_extension_wins() {
        let mut r = Registry::new();
        r.register(fake("json", &["json"]));
        r.register(fake("csl-json", &["csl.json"]));
        assert_eq!(
            r.by_extension("a/refs.csl.json").unwrap().info().name,
            "csl-json"
        );
        assert_eq!(r.by_extension("REFS.JSON").unwrap().info().name, "json");
        assert!(r.by_extension("json").is_none());
        assert!(r.by_extension("x.xjson").is_none());
        assert_eq!(r.by_name("ALIAS").unwrap().info().name, "json");
    }
}
