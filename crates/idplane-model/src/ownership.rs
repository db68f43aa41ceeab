//! The value of the `idplane:address` ownership tag: any logical address encoded into the
//! characters AWS accepts in a tag value, and decoded back (tags written by earlier versions too).
//!
//! sso-admin's `TagValue` must match `[\p{L}\p{Z}\p{N}_.:/=+\-@]*` (botocore), while an address
//! shows non-identifier segments quoted in brackets (`applications["my app"]`). The encoding keeps
//! an address made only of ASCII letters, digits and `_ . : / + - @` as it is (so plain addresses
//! read the same as before), and writes every other character, `=` included, as `=XX` per UTF-8
//! byte (uppercase hex), like quoted-printable: `applications=5B=22my=20app=22=5D`.
//!
//! Decoding: a value with `[` or `"` was written raw by an earlier version (such a value never
//! comes out of the encoder) and is returned as is; otherwise each `=XX` is turned back into its
//! byte. A value that does not decode to UTF-8 is returned as is.

use crate::Address;

/// Characters an encoded value keeps as they are (a subset of the tag alphabet, without `=`).
fn kept(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_.:/+-@".contains(c)
}

/// The tag value for an address: its display form, encoded into the tag alphabet.
pub fn encode_address_tag(address: &Address) -> String {
    encode_tag_text(&address.to_string())
}

/// Encodes any text into the tag alphabet (see the module documentation).
pub fn encode_tag_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else {
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("={b:02X}"));
            }
        }
    }
    out
}

/// The address text an `idplane:address` tag value stands for.
pub fn decode_address_tag(value: &str) -> String {
    if value.contains(['[', '"']) || !value.contains('=') {
        return value.to_string();
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = value.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether text matches botocore's sso-admin `TagValue` pattern `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
    /// (here stricter: ASCII only, which is what the encoder emits).
    fn in_tag_alphabet(text: &str) -> bool {
        text.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c))
    }

    #[test]
    fn plain_addresses_are_kept_as_they_are() {
        let a = Address::parse("user_pools.blog.clients.tti").unwrap();
        assert_eq!(encode_address_tag(&a), "user_pools.blog.clients.tti");
        assert_eq!(
            decode_address_tag("user_pools.blog.clients.tti"),
            a.to_string()
        );
    }

    #[test]
    fn any_logical_name_round_trips_within_the_tag_alphabet() {
        for name in [
            "my app",
            "a[b]\"c\"",
            "#1 = one",
            "été ✓ 名前",
            "x=41",
            "tab\there",
            "%20",
            "=",
        ] {
            let a = Address::root("identity_center", "applications").child([name]);
            let tag = encode_address_tag(&a);
            assert!(in_tag_alphabet(&tag), "{name:?} -> {tag:?}");
            assert_eq!(
                decode_address_tag(&tag),
                a.to_string(),
                "{name:?} -> {tag:?}"
            );
            assert_eq!(Address::parse(&decode_address_tag(&tag)).unwrap(), a);
        }
    }

    #[test]
    fn raw_values_of_earlier_versions_still_decode() {
        let raw = "identity_center.applications[\"my app=x\"]";
        assert_eq!(decode_address_tag(raw), raw);
        assert_eq!(decode_address_tag("user_pools.p"), "user_pools.p");
    }
}
