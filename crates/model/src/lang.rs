//! Telling the language of a text by its script.

/// The language of a text by its script: `ja` with kana, `ko` with
/// Hangul, `zh` with Han characters, else `en`. A text counts as CJK when
/// it has at least one CJK character per four Latin letters, so a Chinese
/// note with English names is `zh` and an English note quoting one
/// Chinese word stays `en`.
///
/// ```
/// assert_eq!(paper_model::detect_language("McCulloch和Pitts首次将神经网络建模"), "zh");
/// assert_eq!(paper_model::detect_language("The word 深度 means deep."), "en");
/// ```
pub fn detect_language(text: &str) -> &'static str {
    let (mut han, mut kana, mut hangul, mut latin) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' => kana += 1,
            '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' => {
                hangul += 1
            }
            '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' => han += 1,
            '\u{20000}'..='\u{2FFFF}' => han += 1,
            c if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    let cjk = han + kana + hangul;
    if cjk == 0 || cjk * 4 < latin {
        "en"
    } else if kana > 0 {
        "ja"
    } else if hangul > 0 {
        "ko"
    } else {
        "zh"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(detect_language("ニューラルネットワーク"), "ja");
        assert_eq!(detect_language("신경망"), "ko");
        assert_eq!(detect_language("神经网络是计算机器吗？"), "zh");
        assert_eq!(detect_language(""), "en");
    }
}
