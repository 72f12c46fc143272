use std::io::Write;

use crate::encode::{Layout, encode_paper};
use paper_format::{Error, Writer};
use paper_model::{CollectionHeader, Paper};

/// Writes a pretty-printed collection, one paper at a time.
///
/// The bytes equal `serde_json::to_string_pretty` of the whole
/// [`paper_model::Collection`] plus a final newline.
#[derive(Debug, Default)]
pub struct JsonWriter {
    papers_written: u64,
    element: Vec<u8>,
}

impl Writer for JsonWriter {
    fn begin(&mut self, out: &mut dyn Write, header: &CollectionHeader) -> Result<(), Error> {
        let head = serde_json::to_vec_pretty(header).map_err(std::io::Error::other)?;
        // `{ ...fields\n}` without its closing brace, then the papers array.
        let open = head.strip_suffix(b"\n}").unwrap_or(&head);
        out.write_all(open)?;
        out.write_all(b",\n  \"papers\": [")?;
        Ok(())
    }

    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        // `,` `\n` and four spaces, then the paper two levels deep.
        self.element.clear();
        if self.papers_written > 0 {
            self.element.push(b',');
        }
        self.element.extend_from_slice(b"\n    ");
        encode_paper(&mut self.element, paper, Layout::Pretty { level: 2 });
        out.write_all(&self.element)?;
        self.papers_written += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        if self.papers_written > 0 {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"]\n}\n")?;
        out.flush()?;
        Ok(())
    }
}

/// Writes one compact paper per line.
#[derive(Debug, Default)]
pub struct JsonLinesWriter {
    line: Vec<u8>,
}

impl Writer for JsonLinesWriter {
    fn write_paper(&mut self, out: &mut dyn Write, paper: &Paper) -> Result<(), Error> {
        self.line.clear();
        encode_paper(&mut self.line, paper, Layout::Compact);
        self.line.push(b'\n');
        out.write_all(&self.line)?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> Result<(), Error> {
        out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use paper_model::{Author, Collection};

    fn write_all(header: &CollectionHeader, papers: &[Paper]) -> String {
        let mut w = JsonWriter::default();
        let mut out = Vec::new();
        w.begin(&mut out, header).unwrap();
        for p in papers {
            w.write_paper(&mut out, p).unwrap();
        }
        w.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_output_equals_whole_document() {
        let mut header = CollectionHeader::default();
        header.title = "T".into();
        let mut a = Paper::new("Line\nbreak \"quoted\"", 1990);
        a.authors = vec![
            Author::person("Elman", "Jeffrey L."),
            Author::organization("OpenAI"),
        ];
        a.tags = vec!["language".into()];
        let b = Paper::new("B", 1991);
        for papers in [vec![], vec![a.clone()], vec![a, b]] {
            let whole = Collection::new(header.clone(), papers.clone());
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(write_all(&header, &papers), expected);
        }
    }
}
