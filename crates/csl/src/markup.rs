//! Plain text from the rich-text titles of real CSL-JSON exports.

/// Inline HTML elements that exports put in titles (`<i>de novo</i>`,
/// `E <sup>2</sup> M`, `<span class="nocase">DNA</span>`). Only these are
/// taken out; anything else that looks like a tag (`<script>`) is text.
const INLINE_TAGS: [&str; 22] = [
    "i", "b", "u", "s", "em", "strong", "sub", "sup", "span", "sc", "small", "big", "tt", "code",
    "a", "br", "p", "div", "font", "scp", "nocase", "wbr",
];

/// `text` without inline HTML tags, and with HTML character references
/// (`&amp;`, `&lt;`, `&#233;`, `&#x2013;`) decoded. MathML tags
/// (`<mml:math>`) are taken out too; their text content stays.
///
/// Text with neither `<` nor `&` is returned unchanged.
pub(crate) fn plain_text(text: &str) -> String {
    if !text.contains(['<', '&']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let taken = if rest.starts_with('<') {
            tag_len(rest)
        } else {
            entity(rest).map(|(len, decoded)| {
                out.push(decoded);
                len
            })
        };
        match taken {
            Some(len) => rest = &rest[len..],
            None => {
                // A lone `<` or `&` is text.
                out.push_str(&rest[..1]);
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of the inline tag that starts `text`, if it is one.
fn tag_len(text: &str) -> Option<usize> {
    let end = text.find('>')?;
    let inner = &text[1..end];
    if inner.contains('<') {
        return None;
    }
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    let known = INLINE_TAGS.contains(&name.as_str())
        || name
            .strip_prefix("mml:")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric()));
    known.then_some(end + 1)
}

/// The character reference that starts `text`: its length and character.
fn entity(text: &str) -> Option<(usize, char)> {
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')?
        }
    };
    Some((end + 1, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_inline_markup_only() {
        assert_eq!(
            plain_text("Enabling drug discovery by <i>de novo</i> design"),
            "Enabling drug discovery by de novo design"
        );
        assert_eq!(plain_text("E <sup>2</sup> M"), "E 2 M");
        assert_eq!(
            plain_text(r#"<span class="nocase">DNA</span> &amp; <B>RNA</B>"#),
            "DNA & RNA"
        );
        assert_eq!(
            plain_text("<mml:math><mml:mi>x</mml:mi></mml:math>-ray"),
            "x-ray"
        );
        assert_eq!(
            plain_text("<script>alert(\"x\")</script> & <b>bold</b>"),
            "<script>alert(\"x\")</script> & bold"
        );
        assert_eq!(
            plain_text("a < b > c && d &x; &#233;&#x2013;"),
            "a < b > c && d &x; é–"
        );
        assert_eq!(plain_text("1 <i 2"), "1 <i 2");
        assert_eq!(plain_text("&#0; &#xZZ; &"), "&#0; &#xZZ; &");
        assert_eq!(plain_text("plain"), "plain");
    }
}
